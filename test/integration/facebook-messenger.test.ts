import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '../../src/model/index.ts';
import { ROOT } from '../support/bridge-process.ts';
import { delivery, FB_PAGE, FB_PAGE_TOKEN, FB_VERIFY_TOKEN, metaJson, pageEntry, postToFacebookHook, signMeta } from '../support/facebook-webhooks.ts';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../support/sms-webhooks.ts';
import { startSocialBridge, type SocialBridge } from '../support/social-bridge.ts';
import { until } from '../support/wait.ts';

type Texts = Record<string, string>;
const say = Object.fromEntries(['mr', 'hi', 'en'].map((l) => [l, parseYaml(readFileSync(join(ROOT, 'config', 'messages', `${l}.yaml`), 'utf8')) as Texts])) as Record<'mr' | 'hi' | 'en', Texts>;
const DAY = 86_400_000;
let mids = 0;

// The whole bridge with Facebook on: Meta-signed deliveries in, replies out through facebook-nodejs-business-sdk
// to a local fake of the Graph API that enforces Meta's send rules (the 24-hour window, tokens).
describe('Messenger', () => {
  let graph: FakeGraphApi;
  let twilio: FakeTwilioApi;
  let bridge: SocialBridge;
  let hook: string;

  beforeAll(async () => {
    graph = await startFakeGraphApi({ pages: { [FB_PAGE]: FB_PAGE_TOKEN } });
    twilio = await startFakeTwilioApi({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN });
    bridge = await startSocialBridge({ graph, twilio });
    hook = `${bridge.app.url}/webhooks/facebook`;
  });
  afterAll(async () => {
    await bridge?.close();
    await graph?.close();
    await twilio?.close();
  });

  const sentTo = (psid: string) => graph.sentMessages().filter((m) => m.recipient.id === psid);
  const replies = (psid: string, count: number) =>
    until(`${count} Messenger replies to ${psid}`, () => (sentTo(psid).length >= count ? sentTo(psid).map((m) => m.message.text ?? '') : undefined));
  const event = (psid: string, message: Record<string, unknown>) => ({ sender: { id: psid }, recipient: { id: FB_PAGE }, timestamp: Date.now(), message: { mid: `m_fbtest${++mids}`, ...message } });
  async function post(...events: Record<string, unknown>[]): Promise<void> {
    for (const e of events) graph.userWrote(FB_PAGE, (e.sender as { id: string }).id);
    const res = await postToFacebookHook(hook, delivery(pageEntry(events)));
    expect(res.status).toBe(200);
  }
  const ticketOf = (psid: string) =>
    until(`a ticket for ${psid}`, async () => (await bridge.app.store.listTickets({ limit: 1000 })).find((t) => t.citizen.identities.some((i) => i.channel === 'facebook' && i.id === psid)));

  it('answers the subscription handshake with the challenge, and refuses a wrong verify token', async () => {
    const ok = await fetch(`${hook}?hub.mode=subscribe&hub.verify_token=${FB_VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(`${hook}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444`);
    expect(wrong.status).toBe(403);
  });

  it('takes every event of a signed batch: three citizens in Marathi, Hindi and English, each answered in theirs', async () => {
    const citizens = [
      ['7100000000000001', 'mr', 'माझ्या भागात तीन दिवसांपासून कचरा उचलला गेला नाही, कोथरूड'],
      ['7100000000000002', 'hi', 'हडपसर में हमारी गली में दो दिन से पानी नहीं आ रहा है'],
      ['7100000000000003', 'en', 'Streetlight not working near Karve Road bus stop for a week'],
    ] as const;
    await post(...citizens.map(([psid, , text]) => event(psid, { text })));
    for (const [psid, lang] of citizens) {
      // a complaint with its place: Messenger carries photos, so the bot asks for one (with a button to say no)
      expect(await replies(psid, 1)).toEqual([say[lang].askPhoto]);
      expect(sentTo(psid)[0]).toMatchObject({ messaging_type: 'RESPONSE' });
      expect(sentTo(psid)[0]!.message.quick_replies?.length).toBeGreaterThan(0);
    }
    // a photo answers the photo question: filed with it
    await post(event(citizens[0][0], { attachments: [{ type: 'image', payload: { url: 'https://scontent.xx.fbcdn.net/v/kachra.jpg' } }] }));
    const [, filed] = await replies(citizens[0][0], 2);
    const ticket = await ticketOf(citizens[0][0]);
    expect(filed).toContain(ticket.ticketNo);
    expect(ticket).toMatchObject({ language: 'mr', category: 'garbage' });
    expect(ticket.attachments).toEqual([expect.objectContaining({ kind: 'image', url: 'https://scontent.xx.fbcdn.net/v/kachra.jpg' })]);
    // a quick reply's payload is the answer: "नहीं" files the Hindi one without a photo
    await post(event(citizens[1][0], { text: 'नहीं', quick_reply: { payload: 'नहीं' } }));
    expect((await replies(citizens[1][0], 2))[1]).toContain((await ticketOf(citizens[1][0])).ticketNo);
  });

  it('refuses a forged or missing signature with 403 and archives nothing', async () => {
    const body = delivery(pageEntry([event('7100000000000009', { text: 'कचरा उचलला नाही, कोथरूड' })]));
    const forged = await postToFacebookHook(hook, body, { secret: 'not-the-app-secret-000000' });
    const missing = await postToFacebookHook(hook, body, { signature: null });
    expect([forged.status, missing.status]).toEqual([403, 403]);
    const mid = ((body.entry as { messaging: { message: { mid: string } }[] }[])[0]!.messaging[0]!.message.mid);
    expect(await bridge.app.store.getInboundBySource({ channel: 'facebook', accountId: FB_PAGE, externalId: mid })).toBeUndefined();
  });

  const archived = (mid: string) => bridge.app.store.getInboundBySource({ channel: 'facebook', accountId: FB_PAGE, externalId: mid });
  const midOf = (e: Record<string, unknown>) => (e.message as { mid: string }).mid;

  it("answers 200 to a signed delivery with nothing for us (Instagram's, a page it does not serve) and archives nothing", async () => {
    const inbound = async () => Object.values((await bridge.app.store.stats()).inbound).reduce((a, b) => a + b, 0);
    const before = await inbound();
    // the same app may be subscribed to Instagram's webhook, or still to a page it no longer serves
    const insta = event('7100000000000095', { text: 'बाणेर रस्त्यावर मोठा खड्डा आहे' });
    const otherPage = { ...event('7100000000000096', { text: 'हडपसर में सड़क पर बड़ा गड्ढा है' }), recipient: { id: '104000000000999' } };
    const bodies = [{ object: 'instagram', entry: [{ id: '17841400000000001', time: Date.now(), messaging: [insta] }] }, delivery(pageEntry([otherPage], '104000000000999'))];
    for (const body of bodies) {
      const res = await postToFacebookHook(hook, body);
      expect(res.status).toBe(200); // an error would only make Meta disable the webhook
      expect(await res.text()).toBe('EVENT_RECEIVED');
    }
    expect(await archived(midOf(insta))).toBeUndefined();
    expect(await bridge.app.store.getInboundBySource({ channel: 'facebook', accountId: '104000000000999', externalId: midOf(otherPage) })).toBeUndefined();
    expect(await inbound()).toBe(before);
  });

  it('takes the good entries of a signed batch when one does not fit the schema, and answers 200', async () => {
    const psid = '7100000000000090';
    graph.userWrote(FB_PAGE, psid);
    const good = event(psid, { text: 'Streetlight not working near Karve Road bus stop for a week' });
    const other = event('7100000000000091', { text: 'Garbage near Baner road' });
    // Meta sends `time` in whole milliseconds: 1.5 is off the schema, and only that entry is left out
    const res = await postToFacebookHook(hook, delivery({ ...pageEntry([other]), time: 1.5 }, pageEntry([good])));
    expect(res.status).toBe(200);
    expect(await archived(midOf(good))).toBeDefined();
    expect(await archived(midOf(other))).toBeUndefined();
    await replies(psid, 1);
  });

  it('checks the signature on the raw bytes before parsing: unsigned or wrongly signed junk is 403; a signed 200 KB batch is taken', async () => {
    const junk = '{"object": "page", "entry": [{"id": ';
    for (const signature of [undefined, signMeta(junk, 'not-the-app-secret-000000')]) {
      const res = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) }, body: junk });
      expect(res.status, signature ?? 'unsigned').toBe(403);
    }
    const invalidUtf8 = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) });
    expect(invalidUtf8.status).toBe(403);
    const form = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1&'.repeat(1000) });
    expect(form.status).toBe(403);
    // a busy page's batch: one citizen's message among the read receipts of a thousand others, past 200 KB
    const psid = '7100000000000092';
    graph.userWrote(FB_PAGE, psid);
    const complaint = event(psid, { text: 'हडपसर में हमारी गली में दो दिन से पानी नहीं आ रहा है' });
    const reads = (from: number, n = 1000) => Array.from({ length: n }, (_, i) => ({ sender: { id: String(7_110_000_000_000_000 + from + i) }, recipient: { id: FB_PAGE }, timestamp: Date.now(), read: { watermark: Date.now() } }));
    const body = delivery(pageEntry([...reads(0, 999), complaint]), pageEntry(reads(1000)));
    expect(Buffer.byteLength(metaJson(body))).toBeGreaterThan(200 * 1024);
    const res = await postToFacebookHook(hook, body);
    expect(res.status).toBe(200);
    expect(await archived(midOf(complaint))).toBeDefined();
  });

  it('files one ticket when Meta delivers the same events twice, and never takes echoes, reads or deliveries for complaints', async () => {
    const psid = '7100000000000010';
    const complaint = event(psid, { text: 'Garbage not collected for a week near Aundh telephone exchange' });
    await post(complaint);
    await post(complaint);
    await replies(psid, 1);
    await post(event(psid, { text: 'no' }));
    const ticket = await ticketOf(psid);
    const [, filed] = await replies(psid, 2);
    expect(filed).toContain(ticket.ticketNo);
    const ours = sentTo(psid)[1]!.messageId;
    // the echo of our reply, a delivery receipt for it, and a read: none is a message from the citizen
    await post({ sender: { id: FB_PAGE }, recipient: { id: psid }, timestamp: Date.now(), message: { mid: ours, is_echo: true, text: filed } });
    const receipts = [
      { sender: { id: psid }, recipient: { id: FB_PAGE }, timestamp: Date.now(), delivery: { mids: [ours], watermark: Date.now() } },
      { sender: { id: psid }, recipient: { id: FB_PAGE }, timestamp: Date.now(), read: { watermark: Date.now() } },
    ];
    const res = await postToFacebookHook(hook, delivery(pageEntry(receipts)));
    expect(res.status).toBe(200);
    await until('the reply marked delivered', async () => (await bridge.outbox('facebook')).find((e) => e.providerId === ours && e.state === 'delivered'));
    const mine = (await bridge.app.store.listTickets({ limit: 1000 })).filter((t) => t.citizen.identities.some((i) => i.id === psid));
    expect(mine).toHaveLength(1);
    expect(sentTo(psid)).toHaveLength(2);
  });

  it('takes a shared location pin as the place of the complaint', async () => {
    const psid = '7100000000000011';
    await post(event(psid, { text: 'रस्त्यावर मोठा खड्डा पडला आहे, अपघात होऊ शकतो' }));
    expect((await replies(psid, 1))[0]).toBe(say.mr.askWhere);
    await post(event(psid, { attachments: [{ type: 'location', payload: { coordinates: { lat: 18.5089, long: 73.8259 } } }] }));
    expect((await replies(psid, 2))[1]).toBe(say.mr.askPhoto);
    await post(event(psid, { text: 'नाही' }));
    const ticket: Ticket = await ticketOf(psid);
    expect(ticket.location).toMatchObject({ lat: 18.5089, lon: 73.8259 });
    expect(ticket.category).toBe('roads');
  });

  it('answers a status update days later by SMS when the window has closed, or records it unreachable; never a send Meta refuses', async () => {
    const withPhone = '7100000000000012';
    const without = '7100000000000013';
    // one of them writes their mobile number in the complaint: that is where they can be reached later
    for (const [psid, text] of [[withPhone, 'Water leaking from the main pipe at Warje Malwadi chowk, my number 98123 99012'], [without, 'Water leaking from the main pipe at Warje Malwadi chowk']] as const) {
      await post(event(psid, { text }));
      await replies(psid, 1);
      await post(event(psid, { text: 'no' }));
      await replies(psid, 2);
    }
    // three days pass: the citizens' messages are that old, for Meta and for the bridge (its archive and the
    // window it keeps), which is stopped meanwhile
    const threeDaysAgo = new Date(Date.now() - 3 * DAY).toISOString();
    const bridgeDir = bridge.dir;
    await bridge.close({ keepFiles: true });
    const db = new Database(join(bridgeDir, 'bridge.db'));
    for (const psid of [withPhone, without]) {
      graph.userWrote(FB_PAGE, psid, new Date(threeDaysAgo));
      db.prepare(`UPDATE inbound SET message = json_set(message, '$.receivedAt', ?) WHERE json_extract(message, '$.sender.id') = ?`).run(threeDaysAgo, psid);
      db.prepare(`UPDATE cursors SET value = ? WHERE key = ?`).run(threeDaysAgo, `facebook:heard:${FB_PAGE}:${psid}`);
    }
    db.close();
    // the restarted bridge owns the files from here (and removes them at its close)
    // status updates at once and at any hour, so the test need not wait for a settle time or the morning
    bridge = await startSocialBridge({ graph, twilio }, { dir: bridgeDir, localYaml: 'notify: { settleSeconds: 0, quietHours: null }' });
    const restarted = bridge;
    const removeDir = () => rmSync(bridgeDir, { recursive: true, force: true });
    bridge = { ...restarted, close: async (o) => restarted.close(o).finally(o?.keepFiles ? () => undefined : removeDir) };
    hook = `${bridge.app.url}/webhooks/facebook`;
    const posted = graph.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages')).length;
    for (const psid of [withPhone, without]) await bridge.app.store.updateTicketStatus((await ticketOf(psid)).ticketNo, 'resolved', 'test:officer');
    const question = say.en.askRating!.replace('{ticketNo}', (await ticketOf(withPhone)).ticketNo);
    await until('the rating request by SMS', () => twilio.sent.find((m) => m.To === '+919812399012' && m.Body === question));
    // the news that it was resolved reaches them the same way: by SMS, once
    const update = say.en.statusResolved!.replace('{ticketNo}', (await ticketOf(withPhone)).ticketNo);
    await until('the status update by SMS', () => twilio.sent.find((m) => m.To === '+919812399012' && m.Body === update));
    const unreachable = await until('the other one recorded unreachable', async () => (await bridge.outbox('facebook')).find((e) => e.message.to === without && e.state === 'dead'));
    expect(unreachable.lastError).toMatch(/24-hour window.*no phone number/);
    expect(twilio.sent.filter((m) => m.Body === update)).toHaveLength(1);
    // nothing was even tried on Messenger
    expect(graph.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages')).length).toBe(posted);
  });
});
