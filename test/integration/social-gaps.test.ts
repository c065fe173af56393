import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/http/logger.ts';
import type { OutboxEntry } from '../../src/model/index.ts';
import { delivery, FB_APP_SECRET, FB_PAGE, FB_PAGE_TOKEN, FB_VERIFY_TOKEN, pageEntry, postToFacebookHook } from '../support/facebook-webhooks.ts';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api.ts';
import { startFakeXApi, type FakeXApi } from '../support/fake-x-api.ts';
import type { RecordedRequest } from '../support/recorded-request.ts';
import { startSocialBridge, X_ACCOUNT, X_APP_KEY, X_KEYS, type SocialBridge } from '../support/social-bridge.ts';
import { until } from '../support/wait.ts';

const HANDLE = 'PMCPune';
let mids = 0;
const messengerEvent = (psid: string, message: Record<string, unknown>, at = Date.now()) => ({ sender: { id: psid }, recipient: { id: FB_PAGE }, timestamp: at, message: { mid: `m_gaps${++mids}`, ...message } });

// What the Facebook and X channels did with no test saying so (the issue-11 audit): each against the real SDK and
// a local fake, through the whole bridge.
describe('X: a rate limit on a reply', () => {
  let x: FakeXApi;
  let bridge: SocialBridge;

  beforeAll(async () => {
    x = await startFakeXApi({ accountId: X_ACCOUNT, username: HANDLE, appKey: X_APP_KEY });
    // no sweep while the test runs: the retry is the one the outbox schedules for the reset (a sweep that lands
    // during a send queues the entry again, and that job runs at once, before its time)
    bridge = await startSocialBridge({ x }, { localYaml: 'pipeline: { sweepIntervalMs: 600000 }' });
    await bridge.app.polls.runAll();
  });
  afterAll(async () => {
    await bridge?.close();
    await x?.close();
  });

  /** the rate-limit reset X gave with a 429 (x-rate-limit-reset: unix seconds), in ms */
  const resetOf = (r: RecordedRequest): number => Number(r.answer!.headers['x-rate-limit-reset']) * 1000;

  it('keeps a public reply and a DM that X answered 429, waits for the reset X gave, then sends each once', async () => {
    // posts and DMs refused with 429 for 4 s (X's x-rate-limit-reset says when), reads still answered
    x.limitAfter(0, /^POST \/2\/(tweets|dm_conversations\/)/, 4);
    const mention = x.addMention({ authorId: '1800000000000002001', username: 'swati_j', text: `@${HANDLE} वारजे माळवाडी मध्ये रस्त्यावर मोठा खड्डा पडला आहे, गाड्या अडकतात` });
    const citizen = '1800000000000002002';
    x.addDm({ senderId: citizen, username: 'farhan_s', text: 'हडपसर में दो दिन से पानी नहीं आ रहा है' });
    await bridge.app.polls.runAll();

    const replyOf = (entries: OutboxEntry[]) => entries.find((e) => e.message.public && e.message.inReplyTo === mention.id);
    const dmOf = (entries: OutboxEntry[]) => entries.find((e) => !e.message.public && e.message.to === citizen);
    // both wait, not dead: their next attempt is set at or after the reset X gave with its 429
    const waiting = await until('both replies waiting after a 429', async () => {
      const all = await bridge.outbox('twitter');
      const [r, d] = [replyOf(all), dmOf(all)];
      return r?.state === 'pending' && /429/.test(r.lastError ?? '') && d?.state === 'pending' && /429/.test(d.lastError ?? '') ? { r, d } : undefined;
    });
    const posts = () => x.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets' && (r.body as { reply?: { in_reply_to_tweet_id?: string } }).reply?.in_reply_to_tweet_id === mention.id);
    const dms = () => x.requests.filter((r) => r.method === 'POST' && r.path === `/2/dm_conversations/with/${citizen}/messages`);
    const [refusedPost] = posts();
    const [refusedDm] = dms();
    expect([refusedPost?.answer?.status, refusedDm?.answer?.status]).toEqual([429, 429]);
    expect(new Date(waiting.r.nextAttemptAt).getTime()).toBeGreaterThanOrEqual(resetOf(refusedPost!));
    expect(new Date(waiting.d.nextAttemptAt).getTime()).toBeGreaterThanOrEqual(resetOf(refusedDm!));

    const sent = await until('both replies sent', async () => {
      const all = await bridge.outbox('twitter');
      const [r, d] = [replyOf(all), dmOf(all)];
      return r?.state === 'sent' && d?.state === 'sent' ? { r, d } : undefined;
    }, 15_000);
    // once each, after the reset: one 429 and one post taken, never a second post of the same reply
    expect(posts().map((r) => r.answer?.status)).toEqual([429, 201]);
    expect(posts()[1]!.at!).toBeGreaterThanOrEqual(resetOf(refusedPost!));
    expect(x.tweetsSent().filter((t) => t.inReplyTo === mention.id)).toHaveLength(1);
    expect(sent.r.providerId).toBe(x.tweetsSent().find((t) => t.inReplyTo === mention.id)!.id);
    expect(dms().map((r) => r.answer?.status)).toEqual([429, 201]);
    expect(dms()[1]!.at!).toBeGreaterThanOrEqual(resetOf(refusedDm!));
    expect(x.dmsSent().filter((d) => d.participantId === citizen)).toHaveLength(1);
    expect((await bridge.outbox('twitter')).filter((e) => e.state === 'dead')).toEqual([]);
  });
});

describe('Messenger: read receipts, videos and replies to a message', () => {
  let graph: FakeGraphApi;
  let bridge: SocialBridge;
  let hook: string;

  beforeAll(async () => {
    graph = await startFakeGraphApi({ pages: { [FB_PAGE]: FB_PAGE_TOKEN } });
    bridge = await startSocialBridge({ graph });
    hook = `${bridge.app.url}/webhooks/facebook`;
  });
  afterAll(async () => {
    await bridge?.close();
    await graph?.close();
  });

  const sentTo = (psid: string) => graph.sentMessages().filter((m) => m.recipient.id === psid);
  async function post(...events: Record<string, unknown>[]): Promise<void> {
    const res = await postToFacebookHook(hook, delivery(pageEntry(events)));
    expect(res.status).toBe(200);
  }
  const entryOf = async (mid: string) => (await bridge.outbox('facebook')).find((e) => e.providerId === mid);

  it('marks our reply delivered by a read receipt alone (its watermark), and not by a read from before it was sent', async () => {
    const psid = '7100000000000201';
    const wroteAt = Date.now();
    graph.userWrote(FB_PAGE, psid);
    await post(messengerEvent(psid, { text: 'माझ्या गल्लीत दोन दिवसांपासून पाणी येत नाही, बाणेर' }, wroteAt));
    const ours = await until('our reply sent', () => sentTo(psid)[0]);
    expect((await until('its outbox entry sent', () => entryOf(ours.messageId))).state).toBe('sent');
    const read = (watermark: number) => ({ sender: { id: psid }, recipient: { id: FB_PAGE }, timestamp: Date.now(), read: { watermark } });
    // the citizen read up to their own message, before our reply: it is not read yet
    await post(read(wroteAt));
    expect((await entryOf(ours.messageId))?.state).toBe('sent');
    // then everything up to now, with no delivery event naming the message: the read alone marks it
    await post(read(Date.now()));
    await until('the reply marked delivered by the read', async () => (await entryOf(ours.messageId))?.state === 'delivered');
  });

  it("keeps a video and the message it answers (reply_to) in the archive", async () => {
    const psid = '7100000000000202';
    graph.userWrote(FB_PAGE, psid);
    await post(messengerEvent(psid, { text: 'कोथरूड में सड़क पर गड्ढा है, बहुत बड़ा' }));
    const ours = await until('our question', () => sentTo(psid)[0]);
    const video = messengerEvent(psid, { attachments: [{ type: 'video', payload: { url: 'https://video.xx.fbcdn.net/v/t42.1790-2/khadda.mp4' } }], reply_to: { mid: ours.messageId } });
    await post(video);
    const kept = await until('the video archived', () => bridge.app.store.getInboundBySource({ channel: 'facebook', accountId: FB_PAGE, externalId: video.message.mid }));
    expect(kept.message.attachments).toEqual([{ kind: 'video', url: 'https://video.xx.fbcdn.net/v/t42.1790-2/khadda.mp4' }]);
    expect(kept.message.inReplyTo).toBe(ours.messageId);
  });
});

describe('no token in the logs of failing Graph and X calls', () => {
  let graph: FakeGraphApi;
  let x: FakeXApi;
  let bridge: SocialBridge;
  const lines: string[] = [];

  beforeAll(async () => {
    graph = await startFakeGraphApi({ pages: { [FB_PAGE]: FB_PAGE_TOKEN } });
    x = await startFakeXApi({ accountId: X_ACCOUNT, username: HANDLE, appKey: X_APP_KEY });
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    bridge = await startSocialBridge({ graph, x }, { logger: createLogger('debug', sink) });
    await bridge.app.polls.runAll();
  });
  afterAll(async () => {
    await bridge?.close();
    await x?.close();
    await graph?.close();
  });

  type Line = { msg?: string; channel?: string; error?: string };
  const logged = (): Line[] => lines.flatMap((l) => l.split('\n')).filter(Boolean).map((l) => JSON.parse(l) as Line);
  const sawLog = (what: string, test: (l: Line) => boolean) => until(what, () => logged().some(test));

  it('logs a refused page token (190), a Graph 503, refused X keys (401) and an X 500 without any token or secret', async () => {
    // Graph: a send answered 503 (logged with its error), then the comments poll refused with a 190 that quotes the
    // token (Graph's "Malformed access token" does), then every call refused: the token expired (190/463)
    const first = '7100000000000301';
    graph.userWrote(FB_PAGE, first);
    graph.failNext(1, 503, { code: 2 }, undefined, '/messages');
    await postToFacebookHook(`${bridge.app.url}/webhooks/facebook`, delivery(pageEntry([messengerEvent(first, { text: 'Garbage not collected near Aundh telephone exchange for a week' })])));
    await sawLog('the Graph 503 logged', (l) => l.msg === 'send failed, will retry' && l.channel === 'facebook' && /Graph 503/.test(l.error ?? ''));
    await until('the reply sent on its retry', () => graph.sentMessages().find((m) => m.recipient.id === first));
    graph.failNext(1, 400, { code: 190, message: `Malformed access token ${FB_PAGE_TOKEN}` }, undefined, '/posts');
    await bridge.app.polls.runAll();
    await sawLog('the refused comments poll logged', (l) => l.msg === 'poll refused: the account needs a person' && l.channel === 'facebook');
    graph.expireToken(FB_PAGE);
    const second = '7100000000000302';
    graph.userWrote(FB_PAGE, second);
    await postToFacebookHook(`${bridge.app.url}/webhooks/facebook`, delivery(pageEntry([messengerEvent(second, { text: 'कोथरूड मध्ये तीन दिवस कचरा उचलला नाही' })])));
    await until('the reply held on the expired token', async () => (await bridge.outbox('facebook')).find((e) => e.message.to === second && /190/.test(e.lastError ?? '')));

    // X: a reply answered 500 (logged, then found missing and sent), a reply refused 401, both reads refused 401
    const m1 = x.addMention({ authorId: '1800000000000003001', username: 'neha_k', text: `@${HANDLE} Streetlights off on Baner road near Balewadi phata` });
    x.failNext(1, 500, 'POST /2/tweets');
    await bridge.app.polls.runAll();
    await sawLog('the X 500 logged', (l) => l.msg === 'send failed, will retry' && l.channel === 'twitter' && /X 500/.test(l.error ?? ''));
    await until('the reply sent after its look-up', () => x.tweetsSent().find((t) => t.inReplyTo === m1.id));
    const m2 = x.addMention({ authorId: '1800000000000003002', username: 'raju_p', text: `@${HANDLE} हडपसर में कचरा नहीं उठाया गया, तीन दिन हो गए` });
    x.failNext(1, 401, 'POST /2/tweets');
    await bridge.app.polls.runAll();
    await until('the reply held on refused keys', async () => (await bridge.outbox('twitter')).find((e) => e.message.inReplyTo === m2.id && /401/.test(e.lastError ?? '')));
    x.failNext(2, 401, /^GET /);
    await bridge.app.polls.runAll();
    await sawLog('the refused X reads logged', (l) => l.msg === 'poll refused: the account needs a person' && l.channel === 'twitter');
    await sawLog('a held reply logged', (l) => l.msg === 'reply held: its account needs a person' && l.channel === 'twitter');

    const all = lines.join('');
    const secrets = [FB_PAGE_TOKEN, FB_APP_SECRET, FB_VERIFY_TOKEN, X_KEYS.X_ACCESS_TOKEN, X_KEYS.X_ACCESS_SECRET, X_KEYS.X_API_SECRET];
    for (const secret of secrets) expect(all, secret).not.toContain(secret);
    // nor a recognisable part of one (a log that cut a token short still gives it away), a query's token, or an OAuth header
    for (const part of ['testpagetoken', 'test-access-token', 'test-access-secret', 'test-app-secret', 'access_token=', 'oauth_']) expect(all, part).not.toContain(part);
  });
});

describe('X with the Account Activity webhook on: polling only catches up', () => {
  const CADENCE = 'channels: { twitter: { pollSeconds: 60, catchUpPollSeconds: 900 } }';

  it('polls mentions and DMs every catchUpPollSeconds with X_WEBHOOK_SECRET set, every pollSeconds without', async () => {
    const x = await startFakeXApi({ accountId: X_ACCOUNT, username: HANDLE, appKey: X_APP_KEY });
    const pollsOf = async (env: Record<string, string>): Promise<string[]> => {
      const b = await startSocialBridge({ x }, { localYaml: CADENCE, env });
      try {
        return b.app.polls.describe();
      } finally {
        await b.close();
      }
    };
    try {
      const withHook = await pollsOf({ X_WEBHOOK_SECRET: 'test-consumer-secret-0123456789' });
      const without = await pollsOf({});
      expect(withHook.filter((p) => p.startsWith('twitter '))).toEqual([`twitter ${X_ACCOUNT} mentions every 900 s`, `twitter ${X_ACCOUNT} dms every 900 s`]);
      expect(without.filter((p) => p.startsWith('twitter '))).toEqual([`twitter ${X_ACCOUNT} mentions every 60 s`, `twitter ${X_ACCOUNT} dms every 60 s`]);
    } finally {
      await x.close();
    }
  });
});
