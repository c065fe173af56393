import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AttachmentStore } from '../../attachments/attachment-store.ts';
import { imageType } from '../../attachments/image-type.ts';

export const FILES_PATH = '/chat/files';

/**
 * Links to the photos citizens sent, for their own chat to show: signed for one conversation and one file, valid
 * for a while. A photo is a citizen's personal data: no link without the signature, and no listing.
 */
export class FileLinks {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly lifetimeSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.key = Buffer.from(`files:${secret}`, 'utf8');
  }

  /** the signature that says this bridge took the file in for this conversation */
  sign(conversationId: string, ref: string): string {
    return this.mac(`ref|${conversationId}|${ref}`);
  }

  isOurs(conversationId: string, ref: string, sig: string): boolean {
    return equal(sig, this.sign(conversationId, ref));
  }

  /** a link relative to the page at /chat (the page may be behind a proxy that adds a path prefix) */
  urlOf(conversationId: string, ref: string): string {
    const exp = Math.floor(this.now() / 1000) + this.lifetimeSeconds;
    const hex = ref.slice('sha256:'.length);
    const q = new URLSearchParams({ c: conversationId, e: String(exp), s: this.mac(`view|${conversationId}|${hex}|${exp}`) });
    return `chat/files/${hex}?${q}`;
  }

  /** GET /chat/files/<hex>?c=&e=&s=: the photo, to whoever holds a valid link */
  mount(server: FastifyInstance, attachments: AttachmentStore): void {
    server.get(`${FILES_PATH}/:hex`, async (request, reply) => {
      const { hex } = request.params as { hex: string };
      const q = request.query as Record<string, string | undefined>;
      const exp = Number(q.e);
      const valid =
        /^[0-9a-f]{64}$/.test(hex) &&
        typeof q.c === 'string' &&
        typeof q.s === 'string' &&
        Number.isSafeInteger(exp) &&
        exp * 1000 > this.now() &&
        equal(q.s, this.mac(`view|${q.c}|${hex}|${exp}`));
      if (!valid) return reply.status(404).send({ error: 'not found' });
      const bytes = await attachments.get(`sha256:${hex}`);
      if (!bytes) return reply.status(404).send({ error: 'not found' });
      return reply
        .type(photoTypeOf(bytes))
        .header('cache-control', 'private, max-age=3600')
        .header('content-disposition', 'inline')
        .header('content-security-policy', "default-src 'none'")
        .send(bytes);
    });
  }

  private mac(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const photoTypeOf = (bytes: Buffer): string => imageType(bytes) ?? 'application/octet-stream';
