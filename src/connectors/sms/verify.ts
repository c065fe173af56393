import twilio from 'twilio';
import type { FormParams } from '../../http/form-body.ts';
import { trimBase } from './config.ts';

/** What signature checking needs from an HTTP request; kept framework-free so it is easy to test. */
export interface TwilioSignedRequest {
  /** path and query exactly as received (fastify's request.url) */
  url: string;
  /** how the request reached us: 'http' or 'https' */
  protocol: string;
  /** lower-cased header names, as node gives them */
  headers: Record<string, string | string[] | undefined>;
  /** the parsed form, or undefined when the body was not application/x-www-form-urlencoded */
  params: FormParams | undefined;
  /** the body as received (needed only for bodySHA256-signed JSON posts) */
  rawBody: string | undefined;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

const SIGNATURE = twilio.SIGNATURE_HEADER.toLowerCase();
const SETTINGS = twilio.SIGNATURE_SETTINGS_HEADER.toLowerCase();

/**
 * The URL Twilio signed: the one it called. Behind a proxy or tunnel that is not what we see (TLS ends at the
 * proxy, the Host may be rewritten), so publicBaseUrl, when set, replaces scheme and host (and may add a path
 * prefix the proxy strips).
 */
export function publicUrlOf(req: Pick<TwilioSignedRequest, 'url' | 'protocol' | 'headers'>, publicBaseUrl: string | null): string | undefined {
  if (publicBaseUrl) return trimBase(publicBaseUrl) + req.url;
  const host = single(req.headers.host);
  return host ? `${req.protocol}://${host}${req.url}` : undefined;
}

/**
 * Checks X-Twilio-Signature with the SDK. The SDK already retries the URL with and without the default port
 * (Twilio strips :443 / :80 on some paths and keeps it on others) and with its legacy query encoding.
 *
 * `secret` is the account's Auth Token. Note: a webhook carrying X-Twilio-Webhooks-Signature-Settings with
 * `key=…` was signed with a SharedKey secret instead; the header only tells us the algorithm.
 */
export function verifyTwilioSignature(secret: string, req: TwilioSignedRequest, publicBaseUrl: string | null): VerifyResult {
  const signature = single(req.headers[SIGNATURE]);
  if (!signature) return { ok: false, reason: `no ${twilio.SIGNATURE_HEADER} header` };
  const url = publicUrlOf(req, publicBaseUrl);
  if (!url) return { ok: false, reason: 'no Host header to rebuild the signed URL from (set PUBLIC_BASE_URL)' };

  // A missing settings header means the classic Auth Token signature, HMAC-SHA1. We check the algorithm
  // ourselves because the SDK answers an unknown one with console.warn, which bypasses our logger.
  const algorithm = twilio.getSignatureAlgorithm(single(req.headers[SETTINGS]));
  if (algorithm !== twilio.HMAC_SHA1 && algorithm !== twilio.HMAC_SHA256)
    return { ok: false, reason: `unsupported signature algorithm ${algorithm.slice(0, 40)}` };

  let valid: boolean;
  try {
    // JSON posts are signed over the URL only, which then carries bodySHA256 = hex SHA-256 of the raw body.
    // Form posts are signed over the URL plus every form param, sorted; a key sent twice is passed as an array,
    // which the SDK sorts by value (Digits1234Digits5678), matching what Twilio signs.
    valid = hasBodyHash(url)
      ? twilio.validateRequestWithBody(secret, signature, url, req.rawBody ?? '', algorithm)
      : twilio.validateRequest(secret, signature, url, req.params ?? {}, algorithm);
  } catch {
    // a URL that `new URL()` rejects (the SDK's fallback path) cannot be what Twilio signed
    valid = false;
  }
  return valid ? { ok: true } : { ok: false, reason: 'signature does not match' };
}

function hasBodyHash(url: string): boolean {
  const q = url.indexOf('?');
  return q !== -1 && new URLSearchParams(url.slice(q + 1)).has('bodySHA256');
}

/** A header sent twice is not something Twilio does; treat it as absent. */
function single(v: string | string[] | undefined): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}
