import type { Config } from '../../config/schema.ts';

/** Everything the SMS connector needs, already validated by the config loader. */
export interface SmsConnectorOptions {
  accountSid: string;
  authToken: string;
  /** an E.164 number (+91…) or a Messaging Service SID (MG…) */
  from: string;
  /** tests and staging only: every Twilio API request goes here instead of https://api.twilio.com */
  apiBase?: string;
  /**
   * The URL Twilio calls us on (scheme, host, optional path prefix), e.g. https://bridge.pmc.gov.in.
   * Signatures are computed over the public URL, so behind a proxy this must be set. Null: verify against the
   * request's own Host, and send without a StatusCallback (no delivery receipts).
   */
  publicBaseUrl: string | null;
  /** replies are shaped to fit this many SMS segments */
  segmentBudget: number;
  /** a Twilio API call unanswered by then fails as of unknown outcome (default 15 s) */
  requestTimeoutMs?: number;
  /** India's DLT ids (config channels.sms.dlt): checked at each send, see dlt.ts */
  dlt?: Config['channels']['sms']['dlt'];
}

/** The SMS options from the loaded config; check `config.channels.sms.twilio` first (unset = SMS off). */
export function smsOptionsFromConfig(config: Readonly<Config>): SmsConnectorOptions {
  const twilio = config.channels.sms.twilio;
  if (!twilio) throw new Error('TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM are not set: the SMS connector cannot be built');
  return {
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
    from: twilio.from,
    ...(twilio.apiBase ? { apiBase: twilio.apiBase } : {}),
    publicBaseUrl: config.server.publicBaseUrl,
    segmentBudget: config.channels.sms.segmentBudget,
    requestTimeoutMs: config.channels.sms.requestTimeoutMs,
    dlt: config.channels.sms.dlt,
  };
}

/** A Messaging Service SID goes out as MessagingServiceSid, not From. */
export const isMessagingServiceSid = (from: string): boolean => /^MG[0-9a-fA-F]{32}$/.test(from);

/** publicBaseUrl without a trailing slash, so that base + '/webhooks/…' never doubles it. */
export const trimBase = (base: string): string => base.replace(/\/+$/, '');
