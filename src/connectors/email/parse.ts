import { createHash } from 'node:crypto';
import { MailParser, type AttachmentStream, type HeaderLines, type Headers, type MessageText } from 'mailparser';
import { attachmentKind } from '../../attachments/attachment-kind.ts';
import type { AttachmentStore } from '../../attachments/attachment-store.ts';
import type { Attachment, InboundMessage } from '../../model/index.ts';

export interface MailLimits {
  maxAttachmentBytes: number;
  maxAttachments: number;
}

/** Where a mail was read: with the bytes, what the archive keeps of it. */
export interface MailOrigin {
  accountId: string;
  folder: string;
  uidValidity: string;
  uid: number;
  /** the server's INTERNALDATE */
  receivedAt?: Date;
  /** the mail was larger than the bridge reads: only its beginning is here, its attachments are refused */
  truncated?: boolean;
}

// an inline image this small is a logo or a tracking pixel in a signature, not a photo of the street
const TINY_INLINE_BYTES = 4096;
// the HTML body is kept for the normalizer only when there is no plain text; beyond this it is not parsed at all
const MAX_HTML_CHARS = 2_000_000;

/** "<abc@x>" → "abc@x"; what is not a message id → undefined */
export function messageIdOf(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const id = v.trim().replace(/^<|>$/g, '').trim();
  return id.length > 0 && id.length <= 500 ? id : undefined;
}

/** References as mailparser gives them: a string for one id, an array for several (or ids in one string) */
export function referencesOf(v: unknown): string[] {
  const all = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  return all.flatMap((s) => (typeof s === 'string' ? (s.match(/<[^<>]+>/g) ?? [s]) : [])).flatMap((s) => messageIdOf(s) ?? []);
}

/** the raw header lines as name (lower case) → value(s), unfolded: what the archive keeps and loop checks read */
function headersOf(lines: HeaderLines): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const { key, line } of lines) {
    const value = line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
    const had = out[key];
    out[key] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return out;
}

// refused parts listed one by one on the ticket at most; the rest are one line (a mail of 500 parts is no list)
const MOST_REFUSED_LISTED = 10;

function summarised(all: Attachment[]): Attachment[] {
  const refused = all.filter((a) => a.refused);
  if (refused.length <= MOST_REFUSED_LISTED) return all;
  const listed = new Set(refused.slice(0, MOST_REFUSED_LISTED - 1));
  const rest = refused.length - listed.size;
  return [...all.filter((a) => !a.refused || listed.has(a)), { kind: 'file', refused: `and ${rest} more parts, refused (too many or too large)` }];
}

const megabytes = (n: number) => `${Math.round(n / 100_000) / 10} MB`;

/**
 * One mail as the pipeline's message: the text (the normalizer cuts quotes and signatures later), the threading
 * headers, the sender, and each attachment stored by content, or refused for that part alone (too large, too
 * many). Streaming: an attachment is counted as it is decoded and never held whole beyond the limit.
 */
export async function parseMail(raw: Buffer, origin: MailOrigin, deps: { attachments: AttachmentStore; limits: MailLimits }): Promise<InboundMessage> {
  try {
    return await parseWhole(raw, origin, deps);
  } catch (err) {
    // a MIME bomb (thousands of parts, parts nested thousands deep) or a structure the parser gives up on: the
    // citizen's words are still read, from the first plain-text part, and every part is refused
    const salvaged = await parseWhole(textOnly(raw), origin, deps);
    const why = `the mail's structure could not be read (${err instanceof Error ? err.message : String(err)}): its parts are refused`;
    return { ...salvaged, attachments: [{ kind: 'file', refused: why }], raw: { ...(salvaged.raw as object), size: raw.length, salvaged: why } };
  }
}

// the first text/plain part's own headers (the block holding its Content-Type), then its body up to a boundary
const FIRST_TEXT_PART = /(?:^|\r?\n)((?:[^\r\n]+\r?\n)*?Content-Type:[ \t]*text\/plain[^\r\n]*(?:\r?\n[^\r\n]+)*)\r?\n\r?\n([\s\S]*?)(?=\r?\n--|$)/i;
const MAX_SALVAGED_TEXT = 256 * 1024;

/** a mail the parser refused, reduced to its own headers and its first plain-text part */
function textOnly(raw: Buffer): Buffer {
  const source = raw.subarray(0, 4 * 1024 * 1024).toString('latin1');
  const split = source.search(/\r?\n\r?\n/);
  const head = (split < 0 ? source : source.slice(0, split))
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .filter((l) => !/^(content-|mime-version:)/i.test(l));
  const part = FIRST_TEXT_PART.exec(split < 0 ? '' : source.slice(split));
  const partHead = (part?.[1] ?? 'Content-Type: text/plain; charset=utf-8').replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/).filter((l) => /^content-(type|transfer-encoding):/i.test(l));
  const body = (part?.[2] ?? '').slice(0, MAX_SALVAGED_TEXT);
  return Buffer.from([...head, 'MIME-Version: 1.0', ...partHead, '', body].join('\r\n'), 'latin1');
}

async function parseWhole(raw: Buffer, origin: MailOrigin, deps: { attachments: AttachmentStore; limits: MailLimits }): Promise<InboundMessage> {
  const parser = new MailParser({ skipImageLinks: true, skipTextToHtml: true, maxHtmlLengthToParse: MAX_HTML_CHARS });
  let headers: Headers = new Map();
  let lines: HeaderLines = [];
  let text: MessageText | undefined;
  const stored: Promise<Attachment | undefined>[] = [];
  // counted as they are kept: a signature's tiny logos take no place of a citizen's photos
  const kept = { count: 0 };
  parser.on('headers', (h: Headers) => (headers = h));
  parser.on('headerLines', (l: HeaderLines) => (lines = l));
  parser.on('data', (data: AttachmentStream | MessageText) => {
    if (data.type === 'text') {
      text = data;
      return;
    }
    stored.push(takeAttachment(data, kept, origin, deps));
  });
  const done = new Promise<void>((resolve, reject) => {
    parser.once('end', resolve);
    parser.once('error', reject);
  });
  parser.end(raw);
  await done;
  const attachments = summarised((await Promise.all(stored)).filter((a): a is Attachment => a !== undefined));

  // the sender is From, the address DMARC vouches for (Reply-To is anyone's to write, so it names no citizen)
  const from = (headers.get('from') as { value?: { address?: string; name?: string }[] } | undefined)?.value ?? [];
  const sender = from.find((a) => a.address?.includes('@'));
  const address = sender?.address?.toLowerCase() ?? '';
  const messageId = messageIdOf(headers.get('message-id'));
  const references = referencesOf(headers.get('references'));
  const inReplyTo = referencesOf(headers.get('in-reply-to'))[0];
  const subject = typeof headers.get('subject') === 'string' ? (headers.get('subject') as string) : undefined;
  const full = raw.length > 0 && !origin.truncated ? await deps.attachments.put(raw, 'message/rfc822') : undefined;
  const html = typeof text?.html === 'string' ? text.html : undefined;
  return {
    channel: 'email',
    accountId: origin.accountId,
    // the same mail found again under a new UIDVALIDITY has the same id: the archive takes it once
    externalId: messageId ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`,
    // the thread's first mail (a reply to our reply carries it in References) and the sender: one citizen's mails in
    // one thread are one conversation; a neighbour's reply-all, or many answers to one city mail, are their own
    threadKey: `${references[0] ?? inReplyTo ?? messageId ?? `mail:${origin.uidValidity}:${origin.uid}`} ${address || 'unknown'}`,
    sender: { id: address || `unknown:${origin.uidValidity}:${origin.uid}`, ...(sender?.name ? { name: sender.name } : {}), ...(address ? { email: address } : {}) },
    receivedAt: (origin.receivedAt ?? new Date()).toISOString(),
    text: text?.text ?? '',
    ...(subject ? { subject } : {}),
    ...(html && !text?.text?.trim() ? { html } : {}),
    attachments,
    ...(inReplyTo ? { inReplyTo } : {}),
    headers: headersOf(lines),
    raw: {
      imap: { folder: origin.folder, uidValidity: origin.uidValidity, uid: origin.uid },
      size: raw.length,
      ...(references.length > 0 ? { references } : {}),
      // the mail as received, kept by content beside the attachments (a truncated read keeps only its headers)
      ...(full ? { storedRef: full.ref } : { truncated: true }),
    },
  };
}

async function takeAttachment(data: AttachmentStream, kept: { count: number }, origin: MailOrigin, deps: { attachments: AttachmentStore; limits: MailLimits }): Promise<Attachment | undefined> {
  const mime = (data.contentType || 'application/octet-stream').toLowerCase();
  const about = { kind: attachmentKind(mime), mime, ...(data.filename ? { name: data.filename } : {}) };
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  try {
    for await (const chunk of data.content as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > deps.limits.maxAttachmentBytes) over = true;
      if (!over) chunks.push(chunk);
      else chunks.length = 0;
    }
  } finally {
    data.release?.();
  }
  if (data.related && size < TINY_INLINE_BYTES && about.kind === 'image') return undefined;
  if (origin.truncated) return { ...about, size, refused: 'the mail was larger than the bridge reads; ask the citizen to send it another way' };
  if (over) return { ...about, size, refused: `larger than ${megabytes(deps.limits.maxAttachmentBytes)}` };
  if (kept.count >= deps.limits.maxAttachments) return { ...about, size, refused: `more than ${deps.limits.maxAttachments} attachments in one mail` };
  kept.count++;
  const file = await deps.attachments.put(Buffer.concat(chunks), mime);
  return { ...about, size: file.size, storedRef: file.ref };
}
