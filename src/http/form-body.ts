import type { FastifyInstance } from 'fastify';
import { checkJsonShape } from './json-shape.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** the body exactly as it arrived, for signature checks; undefined when there was no body */
    rawBody?: string;
  }
}

/**
 * Form params as a webhook sent them; a key sent twice keeps every value, in order. The object has no prototype,
 * so a key named `toString`, `constructor` or `__proto__` is a key like any other.
 */
export type FormParams = Record<string, string | string[]>;

/** A Twilio webhook has about 40 fields (70 with ten media): far more is not a channel talking to us. */
export const MOST_FORM_FIELDS = 256;

export class BadBodyError extends Error {
  override readonly name = 'BadBodyError';
  constructor(
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

/**
 * Linear in the body: the fields are counted before any is decoded, so an absurd form is refused before any work,
 * and a repeated key appends to its list instead of copying it.
 */
export function parseForm(raw: string, mostFields = MOST_FORM_FIELDS): FormParams {
  let fields = raw.length === 0 ? 0 : 1;
  for (let at = raw.indexOf('&'); at !== -1; at = raw.indexOf('&', at + 1)) {
    if (++fields > mostFields) throw new BadBodyError(`the form has more than ${mostFields} fields`, 413);
  }
  const out = Object.create(null) as FormParams;
  for (const [k, v] of new URLSearchParams(raw)) {
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[k] = [prev, v];
  }
  return out;
}

/**
 * Keeps the raw body of form and JSON posts (channels sign the bytes they sent) and parses it. Both parsers run
 * before any signature check, so both are linear and bounded. Invalid UTF-8 is refused with 400 rather than
 * silently replaced: a replaced character would break the signature anyway and the sender should learn its body
 * is broken. Error messages never quote the body.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** the body as text; invalid UTF-8 is refused (400), not replaced */
export function decodeBody(buf: Buffer): string {
  try {
    return utf8.decode(buf);
  } catch {
    throw new BadBodyError('the body is not valid UTF-8');
  }
}

export function registerBodyParsers(server: FastifyInstance): void {
  const decode = decodeBody;
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
      done(null, raw.length === 0 ? undefined : parseJson(raw));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}

/** JSON of a bounded shape (depth, values) checked linearly before parsing; errors never quote the body */
export function parseJson(raw: string): unknown {
  const shape = checkJsonShape(raw);
  if (shape) throw new BadBodyError(shape, 413);
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    // V8's message quotes the body around the error, and error answers never echo what was sent
    throw new BadBodyError('the body is not valid JSON');
  }
}
