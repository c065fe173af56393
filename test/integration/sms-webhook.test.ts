import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { PipelineIntake } from '../../src/connectors/connector.ts';
import { createSmsConnector } from '../../src/connectors/sms/index.ts';
import type { SmsConnectorOptions } from '../../src/connectors/sms/config.ts';
import { createLogger, type Logger } from '../../src/http/logger.ts';
import { buildServer } from '../../src/http/server.ts';
import type { InboundMessage } from '../../src/model/index.ts';
import type { Store } from '../../src/store/store.ts';
import { formBody, signTwilioRequest, type SignableParams } from '../support/twilio-signing.ts';

type Vector = {
  name: string;
  url: string;
  params?: Record<string, string>;
  params_multi?: [string, string][];
  body?: string;
  expected: string;
  valid: boolean;
};
const FIXTURE = JSON.parse(readFileSync(new URL('../fixtures/twilio/request_validator_vectors.json', import.meta.url), 'utf8')) as {
  auth_token: string;
  vectors: Vector[];
};

const TOKEN = 'test-auth-token-0123456789';
const FROM = '+912066000000';
const CITIZEN = '+919812345678';
const PUBLIC = 'https://bridge.example.test';
const HOOK = '/webhooks/sms/twilio';
const STATUS = '/webhooks/sms/twilio/status';
const NOW = new Date('2025-06-01T10:15:00.000Z');

function smsParams(overrides: Record<string, string> = {}): Record<string, string> {
  const sid = 'SM' + 'e'.repeat(32);
  return {
    ToCountry: 'IN',
    SmsMessageSid: sid,
    NumMedia: '0',
    SmsSid: sid,
    SmsStatus: 'received',
    Body: 'माझ्या भागात तीन दिवसांपासून कचरा उचलला गेला नाही, कोथरूड',
    To: FROM,
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: 'AC' + '0'.repeat(32),
    From: CITIZEN,
    ApiVersion: '2010-04-01',
    ...overrides,
  };
}

interface Harness {
  url: string;
  accepted: InboundMessage[];
  deliveries: [string, string, string | undefined][];
  failWith(err: Error): void;
}

const servers: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/**
 * The real server with the SMS routes, and an intake that records what reaches it. `alsoAt` mounts the same
 * routes a second time at other paths (the validator vectors were signed for https://mycompany.com/myapp.php).
 */
async function start(
  opts: Partial<SmsConnectorOptions> = {},
  { logger = createLogger('silent'), alsoAt }: { logger?: Logger; alsoAt?: Record<string, string> } = {},
): Promise<Harness> {
  const accepted: InboundMessage[] = [];
  const deliveries: Harness['deliveries'] = [];
  let failure: Error | undefined;
  const intake: PipelineIntake = {
    async accept(messages) {
      if (failure) throw failure;
      accepted.push(...messages);
      return { accepted: messages.length, duplicates: 0 };
    },
    async recordDelivery(providerId, state, error) {
      if (failure) throw failure;
      deliveries.push([providerId, state, error]);
    },
  };
  const connector = createSmsConnector(
    { accountSid: 'AC' + '0'.repeat(32), authToken: TOKEN, from: FROM, publicBaseUrl: PUBLIC, segmentBudget: 2, ...opts },
    { now: () => NOW },
  );
  const ctx = { intake, store: {} as Store };
  const server = await buildServer({ logger, bodyLimitBytes: 65536, requestTimeoutMs: 10_000, connectors: [connector], channels: [], ctx, accepting: () => true });
  servers.push(server);
  if (alsoAt) {
    // the routes only call server.post(path, handler): hand them a view of the server that moves the paths
    const moved = { post: (path: string, handler: never) => server.post(alsoAt[path] ?? path, handler) };
    await connector.routes!(moved as unknown as FastifyInstance, ctx);
  }
  await server.listen({ port: 0, host: '127.0.0.1' });
  const { port } = server.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, accepted, deliveries, failWith: (e) => (failure = e) };
}

function post(url: string, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
}

/** POSTs params to `target`, signed as Twilio would sign a call to `signedUrl`. */
function postSigned(target: string, signedUrl: string, params: SignableParams, token = TOKEN): Promise<Response> {
  return post(target, formBody(params), { 'x-twilio-signature': signTwilioRequest(token, signedUrl, params) });
}

describe('the official request-validator vectors through the real route', () => {
  // These vectors are Twilio's own (SDK test suites). Their params are voice calls (CallSid…) or JSON bodies, not
  // SMS, so a vector that verifies ends in 400 "MessageSid is missing" / "expected a form body": past the
  // signature check, which would have answered 403. publicBaseUrl is the vector URL's scheme://userinfo@host:port
  // and the request carries its path and query, so what we verify is exactly the URL Twilio signed.
  for (const v of FIXTURE.vectors) {
    it(`${v.name}: ${v.valid ? 'passes the signature check' : 'is refused with 403'}`, async () => {
      const base = /^[a-z]+:\/\/[^/?#]*/i.exec(v.url)![0];
      const pathAndQuery = v.url.slice(base.length);
      const path = pathAndQuery.split('?')[0]!;
      const h = await start({ authToken: FIXTURE.auth_token, publicBaseUrl: base }, { alsoAt: { [HOOK]: path, [STATUS]: `${path}/status` } });
      const headers: Record<string, string> = { 'x-twilio-signature': v.expected };
      const res =
        v.body !== undefined
          ? await post(h.url + pathAndQuery, v.body, { ...headers, 'content-type': 'application/json' })
          : await post(h.url + pathAndQuery, new URLSearchParams(v.params_multi ?? Object.entries(v.params ?? {})).toString(), headers);
      const answer = (await res.json()) as { error: string };
      if (v.valid) {
        expect(res.status).toBe(400);
        expect(answer.error).toMatch(v.body !== undefined ? /^expected an application\/x-www-form-urlencoded body$/ : /^MessageSid is missing/);
      } else {
        expect(res.status).toBe(403);
        expect(answer.error).toBe('invalid X-Twilio-Signature');
      }
      expect(h.accepted).toHaveLength(0);
    });
  }
});

describe('POST /webhooks/sms/twilio', () => {
  const signedUrl = PUBLIC + HOOK;
  const TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

  it.each([
    ['Marathi', 'माझ्या भागात तीन दिवसांपासून कचरा उचलला गेला नाही, कोथरूड'],
    ['Hindi', 'हमारी गली में दो दिन से पानी नहीं आ रहा है'],
    ['English', 'Streetlight not working near Karve Road bus stop for a week'],
    ['Devanagari digits only', '१२३४५'],
    ['emoji only', '🚰❌🙏'],
  ])('archives a signed %s SMS and answers 200 with empty TwiML', async (_label, body) => {
    const h = await start();
    const params = smsParams({ Body: body });
    const res = await postSigned(h.url + HOOK, signedUrl, params);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await res.text()).toBe(TWIML);
    expect(h.accepted).toHaveLength(1);
    expect(h.accepted[0]).toMatchObject({
      channel: 'sms',
      accountId: FROM,
      externalId: params.MessageSid,
      threadKey: CITIZEN,
      sender: { id: CITIZEN, phone: CITIZEN },
      text: body,
      receivedAt: NOW.toISOString(),
      raw: params,
    });
  });

  it('archives an MMS with a photo and no text', async () => {
    const h = await start();
    const params = smsParams({ Body: '', NumMedia: '1', MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/SM1/Media/ME1', MediaContentType0: 'image/jpeg' });
    expect((await postSigned(h.url + HOOK, signedUrl, params)).status).toBe(200);
    expect(h.accepted[0]?.attachments).toEqual([{ kind: 'image', mime: 'image/jpeg', url: params.MediaUrl0 }]);
  });

  it('verifies an HMAC-SHA256 signature named by X-Twilio-Webhooks-Signature-Settings', async () => {
    const h = await start();
    const params = smsParams();
    const res = await post(h.url + HOOK, formBody(params), {
      'x-twilio-signature': signTwilioRequest(TOKEN, signedUrl, params, 'HMAC_SHA256'),
      'x-twilio-webhooks-signature-settings': 'key=webhooks_sharedkey_1,algorithm=HMAC_SHA256',
    });
    expect(res.status).toBe(200);
    expect(h.accepted).toHaveLength(1);
  });

  it('verifies against the public URL with a path prefix the proxy strips', async () => {
    const h = await start({ publicBaseUrl: 'https://pmc.example.test/bridge/' });
    const res = await postSigned(h.url + HOOK + '?src=ward12', 'https://pmc.example.test/bridge' + HOOK + '?src=ward12', smsParams());
    expect(res.status).toBe(200);
  });

  it("without publicBaseUrl, verifies against the request's own scheme and Host", async () => {
    const h = await start({ publicBaseUrl: null });
    expect((await postSigned(h.url + HOOK, h.url + HOOK, smsParams())).status).toBe(200);
    expect((await postSigned(h.url + HOOK, signedUrl, smsParams())).status).toBe(403);
  });

  describe('refuses with 403 and passes nothing on', () => {
    const cases: [string, (h: Harness) => Promise<Response>][] = [
      ['a wrong signature', (h) => post(h.url + HOOK, formBody(smsParams()), { 'x-twilio-signature': 'RSOYDt4T1cUTdK1PDd93/VVr8B8=' })],
      ['no signature', (h) => post(h.url + HOOK, formBody(smsParams()))],
      ['a signature for another URL', (h) => postSigned(h.url + HOOK, 'https://elsewhere.example.test' + HOOK, smsParams())],
      ['a signature made with another token', (h) => postSigned(h.url + HOOK, signedUrl, smsParams(), 'another-token-000000')],
      [
        'a body changed after signing',
        (h) =>
          post(h.url + HOOK, formBody(smsParams({ Body: 'बदललेला मजकूर' })), {
            'x-twilio-signature': signTwilioRequest(TOKEN, signedUrl, smsParams()),
          }),
      ],
      [
        'an unknown signature algorithm',
        (h) =>
          post(h.url + HOOK, formBody(smsParams()), {
            'x-twilio-signature': signTwilioRequest(TOKEN, signedUrl, smsParams()),
            'x-twilio-webhooks-signature-settings': 'algorithm=HMAC_MD5',
          }),
      ],
    ];
    it.each(cases)('%s', async (_label, send) => {
      const h = await start();
      const res = await send(h);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: 'invalid X-Twilio-Signature' });
      expect(h.accepted).toHaveLength(0);
    });
  });

  it('logs a refusal without the body or the phone numbers', async () => {
    const lines: string[] = [];
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
    const h = await start({}, { logger: createLogger('info', sink) });
    const params = smsParams({ Body: 'गुप्त तक्रार मजकूर' });
    await post(h.url + HOOK, formBody(params), { 'x-twilio-signature': 'bm90LWEtc2lnbmF0dXJl' });
    await new Promise((r) => setImmediate(r));
    const log = lines.join('');
    expect(log).toMatch(/signature check failed/);
    expect(log).toMatch(/signature does not match/);
    expect(log).not.toContain('गुप्त');
    expect(log).not.toContain(CITIZEN.slice(3));
    expect(log).not.toContain(FROM.slice(3));
  });

  it.each(['From', 'MessageSid'])('answers 400 naming %s when it is missing', async (field) => {
    const h = await start();
    const params = smsParams();
    delete params[field];
    if (field === 'MessageSid') {
      delete params.SmsSid;
      delete params.SmsMessageSid;
    }
    const res = await postSigned(h.url + HOOK, signedUrl, params);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: `${field} is missing` });
    expect(h.accepted).toHaveLength(0);
  });

  it('answers 413 to a 1 MB body', async () => {
    const h = await start();
    const params = smsParams({ Body: 'क'.repeat(350_000) });
    const res = await postSigned(h.url + HOOK, signedUrl, params);
    expect(res.status).toBe(413);
    expect(h.accepted).toHaveLength(0);
  });

  it('answers 400 to a body that is not valid UTF-8', async () => {
    const h = await start();
    const body = new Uint8Array([...Buffer.from('MessageSid=SM1&From=%2B919812345678&To=%2B912066000000&Body='), 0xff, 0xfe, 0x80]);
    const res = await post(h.url + HOOK, body, { 'x-twilio-signature': 'x' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/UTF-8/);
    expect(h.accepted).toHaveLength(0);
  });

  it('answers 503 when the message cannot be archived, so Twilio does not count it delivered', async () => {
    const h = await start();
    h.failWith(new Error('database is locked'));
    const res = await postSigned(h.url + HOOK, signedUrl, smsParams());
    expect(res.status).toBe(503);
    expect(await res.text()).not.toContain('<Response');
  });
});

describe('POST /webhooks/sms/twilio/status', () => {
  const signedUrl = PUBLIC + STATUS;
  const SID = 'SM' + 'd'.repeat(32);
  const callback = (status: string, extra: Record<string, string> = {}) => ({
    AccountSid: 'AC' + '0'.repeat(32),
    ApiVersion: '2010-04-01',
    From: FROM,
    To: CITIZEN,
    MessageSid: SID,
    SmsSid: SID,
    MessageStatus: status,
    SmsStatus: status,
    ...extra,
  });

  it('records sent, delivered and undelivered (with the error code) and answers 204', async () => {
    const h = await start();
    for (const [status, extra] of [['sent', {}], ['delivered', {}], ['undelivered', { ErrorCode: '30003' }]] as const) {
      const res = await postSigned(h.url + STATUS, signedUrl, callback(status, extra));
      expect(res.status).toBe(204);
    }
    expect(h.deliveries).toEqual([
      [SID, 'sent', undefined],
      [SID, 'delivered', undefined],
      [SID, 'undelivered', '30003'],
    ]);
  });

  it('answers 204 and records nothing for a status we do not track', async () => {
    const h = await start();
    expect((await postSigned(h.url + STATUS, signedUrl, callback('accepted'))).status).toBe(204);
    expect(h.deliveries).toHaveLength(0);
  });

  it('refuses a callback with a bad signature', async () => {
    const h = await start();
    expect((await postSigned(h.url + STATUS, PUBLIC + HOOK, callback('delivered'))).status).toBe(403);
    expect(h.deliveries).toHaveLength(0);
  });

  it('answers 400 without a MessageStatus, and 503 when recording fails', async () => {
    const h = await start();
    const bare = callback('delivered');
    delete (bare as Partial<typeof bare>).MessageStatus;
    delete (bare as Partial<typeof bare>).SmsStatus;
    expect((await postSigned(h.url + STATUS, signedUrl, bare)).status).toBe(400);
    h.failWith(new Error('store down'));
    expect((await postSigned(h.url + STATUS, signedUrl, callback('delivered'))).status).toBe(503);
  });
});
