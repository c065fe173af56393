import twilio from 'twilio';

export const TEST_AUTH_TOKEN = 'test-auth-token-0123456789';
export const TEST_ACCOUNT_SID = 'AC' + '0123456789abcdef'.repeat(2);
/** our Twilio number in tests: synthetic */
export const TEST_FROM = '+912066000000';

// each says what and where, so the bot files it at once: these drive the transport tests, not the dialogs
const BODIES = [
  'माझ्या भागात तीन दिवसांपासून कचरा उचलला गेला नाही, कोथरूड',
  'हडपसर में हमारी गली में दो दिन से पानी नहीं आ रहा है',
  'Streetlight not working near Karve Road bus stop for a week',
  'वारजे येथे रस्त्यावर मोठा खड्डा आहे, अपघात होऊ शकतो',
  'baner madhe maza rasta khup kharab ahe, lavkar durust kara',
];

/** A synthetic citizen's inbound SMS as Twilio posts it. The numbers are made up, not anyone's. */
export function smsParams(i: number, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ToCountry: 'IN',
    SmsMessageSid: `SM${i.toString(16).padStart(32, '0')}`,
    NumMedia: '0',
    SmsSid: `SM${i.toString(16).padStart(32, '0')}`,
    SmsStatus: 'received',
    Body: `${BODIES[i % BODIES.length]} #${i}`,
    To: TEST_FROM,
    NumSegments: '1',
    MessageSid: `SM${i.toString(16).padStart(32, '0')}`,
    AccountSid: TEST_ACCOUNT_SID,
    From: `+9198${String(10_000_000 + i).slice(-8)}`,
    ApiVersion: '2010-04-01',
    ...overrides,
  };
}

/** POSTs one webhook, signed for `publicUrl` (what Twilio would have called). */
export async function postSigned(target: string, publicUrl: string, params: Record<string, string>, token = TEST_AUTH_TOKEN): Promise<Response> {
  return fetch(target, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(token, publicUrl, params),
    },
    body: new URLSearchParams(params).toString(),
  });
}

export const TEST_PUBLIC_BASE_URL = 'https://bridge.example.test';

/** The environment of a bridge with SMS on: its SQLite file, and the real twilio SDK pointed at a fake API. */
export function smsBridgeEnv(dbFile: string, twilioApiBase: string): Record<string, string> {
  return {
    STORE_URL: `sqlite:${dbFile}`,
    PUBLIC_BASE_URL: TEST_PUBLIC_BASE_URL,
    TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    TWILIO_FROM: TEST_FROM,
    TWILIO_API_BASE: twilioApiBase,
    // tests run at any hour: nothing the bridge starts itself waits for the morning, or for a change to settle,
    // unless a test says so
    QUIET_HOURS: 'off',
    NOTIFY_SETTLE_SECONDS: '0',
  };
}
