import { z } from 'zod';
import { attachmentKind } from '../../attachments/attachment-kind.ts';
import type { AttachmentStore } from '../../attachments/attachment-store.ts';
import { publicLink } from '../../attachments/link-check.ts';
import { Language, type Attachment, type Channel, type InboundMessage } from '../../model/index.ts';
import { extractPhones } from '../../normalizer/phone.ts';

const Text = z.string().trim();

/** A file the source sends along: a link the staff can open, or the bytes themselves (base64, within the body limit). */
const EnvelopeAttachment = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) address' }).max(2000).optional(),
    contentBase64: z.string().max(8_000_000).optional(),
    name: Text.max(200).optional(),
    mime: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type such as image/jpeg').optional(),
  })
  .strict()
  .refine((a) => (a.url === undefined) !== (a.contentBase64 === undefined), 'give either url or contentBase64');

/**
 * The intake API's one envelope (POST /webhooks/api/<source>), documented in the OpenAPI document. What a source
 * knows it says (language, category, a pin); the bridge reads the rest from the text as for any message.
 */
export const Envelope = z
  .object({
    /** the source's own id of the complaint: the same id twice is one ticket */
    externalId: Text.min(1).max(200),
    /** the agent who filed it for a caller (channel phone) */
    agentId: Text.min(1).max(64).optional(),
    sender: z
      .object({ name: Text.min(1).max(200).optional(), phone: Text.max(32).optional(), email: z.string().trim().email().max(254).optional() })
      .strict()
      .default({}),
    // the pipeline files nothing without a letter or a digit: refused here, not accepted and never filed
    text: Text.min(1).max(10_000).refine((t) => /[\p{L}\p{N}]/u.test(t), 'must say something in words (letters or digits)'),
    language: Language.optional(),
    location: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180), label: Text.max(300).optional() }).strict().optional(),
    attachments: z.array(EnvelopeAttachment).max(10).default([]),
    /** a category id of GET /open311/v2/services.json (config/categories.yaml) */
    category: Text.max(64).optional(),
    /** when the citizen reported it (default: now); not in the future (it sets the due date) */
    reportedAt: z
      .string()
      .datetime({ offset: true })
      .refine((t) => Date.parse(t) <= Date.now() + 5 * 60_000, 'must not be in the future')
      .optional(),
  })
  .strict();
export type Envelope = z.infer<typeof Envelope>;

/** zod's issues as `field: what is wrong`, for a 422 that names what to fix */
export function issuesOf(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(body)', message: i.message }));
}

/** the envelope's files: public https links kept as links (the bridge fetches nothing it is pointed at), bytes stored */
export async function attachmentsOf(list: Envelope['attachments'], store: AttachmentStore): Promise<Attachment[]> {
  const out: Attachment[] = [];
  for (const a of list) {
    const about = { kind: attachmentKind(a.mime), ...(a.mime ? { mime: a.mime } : {}), ...(a.name ? { name: a.name } : {}) };
    if (a.url) out.push(publicLink({ ...about, url: a.url }));
    else {
      const file = await store.put(Buffer.from(a.contentBase64!, 'base64'), a.mime ?? 'application/octet-stream');
      out.push({ ...about, size: file.size, storedRef: file.ref });
    }
  }
  return out;
}

/** the sender's phone as E.164, or the reason it is not one */
export function phoneOf(raw: string | undefined): { phone?: string } | { error: string } {
  if (raw === undefined || raw === '') return {};
  const phone = extractPhones(raw)[0];
  return phone ? { phone } : { error: `"${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw}" is not a phone number (write +91 98765 43210 or 9876543210)` };
}

/** one envelope as the pipeline's message */
export function envelopeMessage(e: Envelope, o: { channel: Channel; sourceId: string; phone?: string; attachments: Attachment[]; raw: unknown; now: Date }): InboundMessage {
  const email = e.sender.email?.toLowerCase();
  return {
    channel: o.channel,
    accountId: o.sourceId,
    externalId: e.externalId,
    // each filing is its own complaint; the citizen is found again by their phone or address
    threadKey: `${o.sourceId}:${e.externalId}`,
    sender: {
      id: o.phone ?? email ?? `${o.sourceId}:${e.externalId}`,
      ...(e.sender.name ? { name: e.sender.name } : {}),
      ...(o.phone ? { phone: o.phone } : {}),
      ...(email ? { email } : {}),
      // an agent took the call from that number; another system only says so
      ...(o.channel === 'api' ? { claimed: true } : {}),
    },
    receivedAt: e.reportedAt ?? o.now.toISOString(),
    text: e.text,
    attachments: o.attachments,
    ...(e.location ? { location: e.location } : {}),
    ...(e.language ? { language: e.language } : {}),
    ...(e.category ? { category: e.category } : {}),
    ...(e.agentId ? { filedBy: e.agentId } : {}),
    raw: o.raw,
  };
}
