import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** the body exactly as it arrived, for signature checks; undefined when there was no body */
    rawBody?: string;
  }
}

/** Form params as a webhook sent them; a key sent twice keeps every value, in order. */
export type FormParams = Record<string, string | string[]>;

export function parseForm(raw: string): FormParams {
  const out: FormParams = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

export class BadBodyError extends Error {
  override readonly name = 'BadBodyError';
  readonly statusCode = 400;
}

/**
 * Keeps the raw body of form and JSON posts (channels sign the bytes they sent) and parses it. Invalid UTF-8 is
 * refused with 400 rather than silently replaced: a replaced character would break the signature anyway and the
 * sender should learn its body is broken.
 */
export function registerBodyParsers(server: FastifyInstance): void {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (buf: Buffer): string => {
    try {
      return decoder.decode(buf);
    } catch {
      throw new BadBodyError('the body is not valid UTF-8');
    }
  };
  server.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (req, body, done) => {
    try {
      const raw = decode(body as Buffer);
      req.rawBody = raw;
      done(null, parseForm(raw));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    try {
      const raw = decode(body as Buffer);
      req.rawBody = raw;
      done(null, raw.length === 0 ? undefined : JSON.parse(raw));
    } catch (err) {
      const e = err instanceof BadBodyError ? err : new BadBodyError(`the body is not valid JSON: ${(err as Error).message}`);
      done(e, undefined);
    }
  });
}
