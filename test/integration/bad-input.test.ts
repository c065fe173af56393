import { request, type ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { SMS_HOOK_PUBLIC, startInProcessBridge, type InProcessBridge } from '../support/in-process-bridge.ts';
import { postSigned, smsParams, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../support/sms-webhooks.ts';
import { formBody, signTwilioRequest } from '../support/twilio-signing.ts';
import { until } from '../support/wait.ts';

const FORM = 'application/x-www-form-urlencoded';

describe('bad input to the SMS webhook (running bridge)', () => {
  let fake: FakeTwilioApi;
  let bridge: InProcessBridge;
  let store: Store;
  /** the MessageSid of every webhook the bridge answered 2xx: each must end up archived and processed */
  const acknowledged: string[] = [];

  beforeAll(async () => {
    fake = await startFakeTwilioApi({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN });
    bridge = await startInProcessBridge(fake);
    store = bridge.app.store;
  });
  afterAll(async () => {
    await bridge?.close();
    await fake?.close();
  });

  const archivedCount = async () => Object.values((await store.stats()).inbound).reduce((a, b) => a + b, 0);
  const sign = (params: Record<string, string>, token = TEST_AUTH_TOKEN) => signTwilioRequest(token, SMS_HOOK_PUBLIC, params);

  async function post(body: string | Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> {
    const res = await fetch(bridge.hook, { method: 'POST', headers, body: typeof body === 'string' ? body : Uint8Array.from(body) });
    return { status: res.status, text: await res.text() };
  }

  async function webhook(params: Record<string, string>): Promise<{ status: number; text: string }> {
    const res = await postSigned(bridge.hook, SMS_HOOK_PUBLIC, params);
    const out = { status: res.status, text: await res.text() };
    if (res.ok) acknowledged.push(params.MessageSid!);
    return out;
  }

  /** a request that announces more body than it sends; resolves with the status, 'closed', or 'pending' at `ms` */
  function shortBody(params: Record<string, string>): { req: ClientRequest; outcome: (ms: number) => Promise<number | 'closed' | 'pending'> } {
    const body = formBody(params);
    const req = request(bridge.hook, {
      method: 'POST',
      headers: { 'content-type': FORM, 'content-length': String(Buffer.byteLength(body) + 200), 'x-twilio-signature': sign(params) },
    });
    const answered = new Promise<number | 'closed'>((resolve) => {
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve('closed'));
      req.on('close', () => resolve('closed'));
    });
    req.write(body);
    const outcome = (ms: number) => Promise.race([answered, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms))]);
    return { req, outcome };
  }

  it.each([['%%%'], ['a=%ZZ'], ['From=%E0%A4&To=%']])('refuses the malformed form body %j with a 400 and archives nothing', async (body) => {
    const before = await archivedCount();
    const params = Object.fromEntries(new URLSearchParams(body));
    const res = await post(body, { 'content-type': FORM, 'x-twilio-signature': sign(params) });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error).toMatch(/missing/);
    expect(await archivedCount()).toBe(before);
  });

  it('drops a body cut off by a client that disconnects: nothing archived, the server keeps serving', async () => {
    const params = smsParams(1000, { Body: 'अर्धवट संदेश, पूर्ण आला नाही' });
    const { req } = shortBody(params);
    await until('the partial body to reach the server', () => req.writableFinished || req.socket?.bytesWritten);
    req.destroy();
    expect((await fetch(`${bridge.app.url}/healthz`)).status).toBe(200);
    // a complete message sent afterwards is archived and processed; the cut-off one never is
    expect((await webhook(smsParams(1001))).status).toBe(200);
    await until('the complete message processed', async () => (await bridge.inbound(smsParams(1001).MessageSid!))?.state === 'done');
    expect(await bridge.inbound(params.MessageSid!)).toBeUndefined();
  });

  it('answers (or closes) a request whose body stops short of its Content-Length, instead of waiting forever', async () => {
    const params = smsParams(1002, { Body: 'हमारी गली में पानी नहीं आ रहा है' });
    const { req, outcome } = shortBody(params);
    req.end(); // "done" — but 200 bytes short, and the socket stays open
    try {
      // while it is held: nothing archived, and other requests are served
      expect((await fetch(`${bridge.app.url}/healthz`)).status).toBe(200);
      expect(await bridge.inbound(params.MessageSid!)).toBeUndefined();
      const result = await outcome(3000);
      expect(result, 'after 3 s the server is still waiting for the 200 missing bytes (no request timeout)').not.toBe('pending');
      if (typeof result === 'number') expect(result >= 400 && result < 500, `answered ${result}`).toBe(true);
      expect(await bridge.inbound(params.MessageSid!)).toBeUndefined();
    } finally {
      req.destroy(); // a held request would also hold up app.stop()
    }
  });

  it.each([
    ['From', { From: '' }],
    ['MessageSid', { MessageSid: '', SmsSid: '', SmsMessageSid: '' }],
  ])('refuses a message without %s with a 400 naming the field, and archives nothing', async (field, blank) => {
    const params = Object.fromEntries(Object.entries(smsParams(1010, { Body: 'Garbage not collected', ...blank })).filter(([, v]) => v !== ''));
    const before = await archivedCount();
    const res = await webhook(params);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error).toContain(`${field} is missing`);
    expect(await archivedCount()).toBe(before);
  });

  it('refuses a 1 MB body with 413 and archives nothing', async () => {
    const params = smsParams(1020, { Body: 'क'.repeat(1024 * 1024 / 3) });
    const res = await webhook(params);
    expect(res.status).toBe(413);
    expect(await bridge.inbound(params.MessageSid!)).toBeUndefined();
  });

  it('refuses a body that is not valid UTF-8 with 400 and archives nothing', async () => {
    const params = smsParams(1030);
    const valid = formBody({ ...params, Body: '' });
    const body = Buffer.concat([Buffer.from(valid), Buffer.from([0x25, 0x45, 0x30]), Buffer.from([0xe0, 0xa4, 0xff, 0xfe])]);
    const res = await post(body, { 'content-type': FORM, 'x-twilio-signature': sign(params) });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error).toMatch(/UTF-8/);
    expect(await bridge.inbound(params.MessageSid!)).toBeUndefined();
  });

  it('refuses an XML body with 415 and archives nothing', async () => {
    const params = smsParams(1040);
    const res = await post(`<Message><MessageSid>${params.MessageSid}</MessageSid><Body>पाणी नाही</Body></Message>`, {
      'content-type': 'application/xml',
      'x-twilio-signature': sign(params),
    });
    expect(res.status).toBe(415);
    expect(await bridge.inbound(params.MessageSid!)).toBeUndefined();
  });

  it('refuses an unsigned webhook, and one signed with another token, with 403 and archives nothing', async () => {
    const params = smsParams(1050);
    expect((await post(formBody(params), { 'content-type': FORM })).status).toBe(403);
    expect((await post(formBody(params), { 'content-type': FORM, 'x-twilio-signature': sign(params, 'not-our-token-123') })).status).toBe(403);
    expect(await bridge.inbound(params.MessageSid!)).toBeUndefined();
  });

  it.each([
    ['an emoji-only SMS', smsParams(1100, { Body: '🙏🙏' })],
    ['a Devanagari-digits-only SMS that is no ticket of theirs', smsParams(1101, { Body: '१२३४५' })],
    [
      'a photo with no text',
      smsParams(1102, {
        Body: '',
        NumMedia: '1',
        MediaUrl0: `https://api.twilio.com/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Messages/MM${'1'.repeat(32)}/Media/ME${'2'.repeat(32)}`,
        MediaContentType0: 'image/jpeg',
      }),
    ],
  ])('answers %s with one reply asking what is wrong, and files nothing yet', async (_what, params) => {
    expect((await webhook(params)).status).toBe(200);
    await until('the message processed', async () => (await bridge.inbound(params.MessageSid!))?.state === 'done');
    expect(await store.findTicketBySource({ channel: 'sms', accountId: params.To!, externalId: params.MessageSid! })).toBeUndefined();
    const sent = await until('the reply sent', async () => {
      const replies = await bridge.repliesTo(params.MessageSid!);
      return replies.length === 1 && replies[0]!.state === 'sent' ? replies[0] : undefined;
    });
    expect(sent.message).toMatchObject({ to: params.From, language: 'mr' });
    expect(sent.message.ticketNo).toBeUndefined();
    expect(fake.sent.filter((m) => m.To === params.From).map((m) => m.Body)).toEqual([sent.message.text]);
    // the mapping's default language (Marathi) and a question about the problem (or, for a bare number, the answer
    // about a ticket that is not theirs), not an error
    expect(sent.message.text).toMatch(/अडचण|या क्रमांकाची तक्रार/u);
  });

  it('keeps a photo sent alone and files it with the complaint that follows', async () => {
    const photo = smsParams(1120, {
      Body: '',
      NumMedia: '1',
      MediaUrl0: `https://api.twilio.com/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Messages/MM${'3'.repeat(32)}/Media/ME${'4'.repeat(32)}`,
      MediaContentType0: 'image/jpeg',
    });
    expect((await webhook(photo)).status).toBe(200);
    await until('the photo processed', async () => (await bridge.inbound(photo.MessageSid!))?.state === 'done');
    const words = smsParams(1121, { From: photo.From!, Body: 'कोथरूडमध्ये कचरा तीन दिवस उचलला नाही' });
    expect((await webhook(words)).status).toBe(200);
    const ticket = await until('the ticket filed', async () =>
      store.findTicketBySource({ channel: 'sms', accountId: photo.To!, externalId: photo.MessageSid! }),
    );
    expect(ticket.attachments).toEqual([{ kind: 'image', mime: 'image/jpeg', url: photo.MediaUrl0 }]);
    expect(ticket.description.original).toContain('कचरा');
    expect(ticket.sources.map((s) => s.externalId)).toEqual([photo.MessageSid, words.MessageSid]);
    const sent = await until('the reply with the number', async () => {
      const replies = await bridge.repliesTo(words.MessageSid!);
      return replies[0]?.state === 'sent' ? replies[0] : undefined;
    });
    expect(sent.message.text).toContain(ticket.ticketNo);
  });

  it('asks a citizen who sent an empty SMS what the complaint is, and files no ticket', async () => {
    const params = smsParams(1110, { Body: '' });
    expect((await webhook(params)).status).toBe(200);
    await until('the message processed', async () => (await bridge.inbound(params.MessageSid!))?.state === 'done');
    const sent = await until('the reply sent', async () => {
      const replies = await bridge.repliesTo(params.MessageSid!);
      return replies.length === 1 && replies[0]!.state === 'sent' ? replies[0] : undefined;
    });
    expect(sent.message.kind).toBe('reply');
    expect(sent.message.ticketNo).toBeUndefined();
    expect(sent.message.text).toContain('अडचण'); // no language to go by: the mapping's default, Marathi
    expect(sent.message.text).not.toMatch(/PMC\d/);
    expect(await store.findTicketBySource({ channel: 'sms', accountId: params.To!, externalId: params.MessageSid! })).toBeUndefined();
  });

  it('lost nothing it acknowledged, archived nothing it refused, and is still up', async () => {
    expect((await fetch(`${bridge.app.url}/healthz`)).status).toBe(200);
    expect(acknowledged.length).toBeGreaterThanOrEqual(5);
    for (const sid of acknowledged) expect((await bridge.inbound(sid))?.state, sid).toBe('done');
    expect(await archivedCount()).toBe(acknowledged.length);
  });
});
