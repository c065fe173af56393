import twilio from 'twilio';

export type SignableParams = Record<string, string | string[]>;

/**
 * X-Twilio-Signature for a form post to `url`, computed by the SDK exactly as Twilio does; for tests and for
 * replaying archived webhooks against a running bridge. `algorithm` HMAC_SHA256 goes with the
 * X-Twilio-Webhooks-Signature-Settings header.
 */
export function signTwilioRequest(
  authToken: string,
  url: string,
  params: SignableParams,
  algorithm: typeof twilio.HMAC_SHA1 | typeof twilio.HMAC_SHA256 = twilio.HMAC_SHA1,
): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params, algorithm);
}

/** The form body for `params`, keeping repeated keys repeated. */
export function formBody(params: SignableParams): string {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) body.append(k, x);
  return body.toString();
}
