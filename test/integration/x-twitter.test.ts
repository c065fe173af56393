import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT } from '../support/bridge-process.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xWeightedLength } from '../../src/render/x-length.ts';
import { startFakeXApi, type FakeXApi } from '../support/fake-x-api.ts';
import { startSocialBridge, X_ACCOUNT, X_APP_KEY, type SocialBridge } from '../support/social-bridge.ts';
import { until } from '../support/wait.ts';
import { dmActivity, longformMentionActivity, mentionActivity, postToXHook, signX } from '../support/x-activity.ts';

const HANDLE = 'PMCPune';
const hiTexts = parseYaml(readFileSync(join(ROOT, 'config', 'messages', 'hi.yaml'), 'utf8')) as Record<string, string>;

// The whole bridge with X on: the real twitter-api-v2 against a local HTTPS fake of the X API v2 (trusted through
// NODE_EXTRA_CA_CERTS), polled by the pipeline's scheduler.
describe('X mentions and DMs', () => {
  let x: FakeXApi;
  let bridge: SocialBridge;

  beforeAll(async () => {
    x = await startFakeXApi({ accountId: X_ACCOUNT, username: HANDLE, appKey: X_APP_KEY });
    bridge = await startSocialBridge({ x });
    await bridge.app.polls.runAll();
  });
  afterAll(async () => {
    await bridge?.close();
    await x?.close();
  });

  const ticketsOf = async (userId: string) => (await bridge.app.store.listTickets({ limit: 1000 })).filter((t) => t.citizen.identities.some((i) => i.channel === 'twitter' && i.id === userId));
  const repliesTo = (tweetId: string) => x.tweetsSent().filter((t) => t.inReplyTo === tweetId);

  it('answers a mention once, in public, with the number and none of what the citizen gave', async () => {
    const m = x.addMention({ authorId: '1800000000000000001', username: 'sunita_k', name: 'Sunita Kulkarni', text: `@${HANDLE} कोथरूड मध्ये तीन दिवस कचरा उचलला नाही. माझा नंबर 9812345678` });
    await bridge.app.polls.runAll();
    const reply = await until('the public reply', () => repliesTo(m.id)[0]);
    const [ticket] = await ticketsOf('1800000000000000001');
    expect(ticket).toMatchObject({ language: 'mr', category: 'garbage', ward: 'kothrud-bavdhan' });
    expect(ticket!.description.original).not.toContain(`@${HANDLE}`);
    expect(reply.text).toContain(ticket!.ticketNo);
    expect(reply.text).not.toMatch(/9812345678|Sunita|sunita_k/);
    expect(xWeightedLength(reply.text)).toBeLessThanOrEqual(280);
    // polled again: nothing new, nothing answered twice
    await bridge.app.polls.runAll();
    expect(repliesTo(m.id)).toHaveLength(1);
  });

  it("keeps a citizen's answer to our reply in the same complaint, and never takes our own posts for mentions", async () => {
    const citizen = '1800000000000000002';
    const first = x.addMention({ authorId: citizen, username: 'ravi_p', text: `@${HANDLE} Streetlights off on Baner road near the Balewadi phata for a week` });
    await bridge.app.polls.runAll();
    const ours = await until('our reply', () => repliesTo(first.id)[0]);
    const answer = x.addMention({ authorId: citizen, username: 'ravi_p', text: `@${HANDLE} still dark tonight`, conversationId: first.conversation_id, inReplyToTweetId: ours.id });
    await bridge.app.polls.runAll();
    await until('the second post archived', async () => (await ticketsOf(citizen))[0]?.sources.length === 3);
    expect(await ticketsOf(citizen)).toHaveLength(1);
    // read with the post it answers and that post's author expanded (X refuses an expansion it does not know)
    const read = x.requests.filter((r) => r.path.endsWith('/mentions') && r.query.since_id !== undefined).at(-1)!;
    expect(read.answer?.status).toBe(200);
    expect(read.query.expansions?.split(',')).toEqual(expect.arrayContaining(['author_id', 'referenced_tweets.id', 'in_reply_to_user_id']));
    const kept = await bridge.app.store.getInboundBySource({ channel: 'twitter', accountId: X_ACCOUNT, externalId: answer.id });
    const started = await bridge.app.store.getInboundBySource({ channel: 'twitter', accountId: X_ACCOUNT, externalId: first.id });
    expect(kept?.message).toMatchObject({ inReplyTo: ours.id, threadKey: started!.message.threadKey });
    // our replies were in the same timeline's threads, and none became a complaint
    expect(await ticketsOf(X_ACCOUNT)).toHaveLength(0);
  });

  it('talks to a DM in romanised Marathi in Marathi, through the bot, and never reads our own DMs', async () => {
    const citizen = '1800000000000000300';
    x.addDm({ senderId: citizen, username: 'amol', text: 'maza galli madhe 3 divas pani nahi yet' });
    await bridge.app.polls.runAll();
    const first = await until('the first DM reply', () => x.dmsSent().find((d) => d.participantId === citizen));
    expect(first.text).toMatch(/[\u0900-\u097f]/);
    const entry = (await bridge.outbox('twitter')).find((e) => e.message.to === citizen)!;
    expect(entry.message).toMatchObject({ language: 'mr' });
    expect(entry.message.public).toBeUndefined();
    await bridge.app.polls.runAll(); // our own DM is in the same list now
    expect(x.dmsSent().filter((d) => d.participantId === citizen)).toHaveLength(1);
    expect(await ticketsOf(X_ACCOUNT)).toHaveLength(0);
  });

  it('starts an account with no mentions from the catch-up window, never from the whole timeline', async () => {
    const fresh = await startFakeXApi({ accountId: X_ACCOUNT, username: HANDLE, appKey: X_APP_KEY });
    const old = fresh.addMention({ authorId: '1800000000000000800', username: 'o1', text: `@${HANDLE} a complaint from last month`, createdAt: new Date(Date.now() - 30 * 86_400_000) });
    const b = await startSocialBridge({ x: fresh });
    try {
      await b.app.polls.runAll();
      await b.app.polls.runAll();
      expect(await b.app.store.getCursor(`poll:twitter:${X_ACCOUNT}:mentions`)).toBeUndefined();
      expect(await b.app.store.getInboundBySource({ channel: 'twitter', accountId: X_ACCOUNT, externalId: old.id })).toBeUndefined();
      const recent = fresh.addMention({ authorId: '1800000000000000801', username: 'o2', text: `@${HANDLE} कचरा उचलला नाही, बाणेर` });
      await b.app.polls.runAll();
      expect(await b.app.store.getCursor(`poll:twitter:${X_ACCOUNT}:mentions`)).toBe(recent.id);
    } finally {
      await b.close();
      await fresh.close();
    }
  });

  it('files no ticket for a thank-you or a greeting: silence for one, an invitation to DM for the other', async () => {
    const thanks = x.addMention({ authorId: '1800000000000000350', username: 't1', text: `@${HANDLE} धन्यवाद! रस्ता दुरुस्त झाला, छान काम` });
    const hello = x.addMention({ authorId: '1800000000000000351', username: 't2', text: `@${HANDLE} नमस्ते, शिकायत कैसे दर्ज करूं?` });
    await bridge.app.polls.runAll();
    const invite = await until('the invitation', () => repliesTo(hello.id)[0]);
    expect(invite.text).toMatch(/DM/);
    await bridge.app.pipeline.sweep({ ratings: false });
    expect(repliesTo(thanks.id)).toHaveLength(0);
    expect([...(await ticketsOf('1800000000000000350')), ...(await ticketsOf('1800000000000000351'))]).toHaveLength(0);
  });

  it('invites every citizen in words of their own (X refuses the same words twice), and takes "duplicate content" and "cannot DM this user" as final', async () => {
    const invitation = hiTexts.publicReply!;
    const invited = await until('the first invitation', () => x.tweetsSent().find((t) => t.text.startsWith(invitation)));
    const again = x.addMention({ authorId: '1800000000000000352', username: 't3', text: `@${HANDLE} नमस्ते जी, शिकायत कैसे दर्ज करें?` });
    await bridge.app.polls.runAll();
    const second = await until('the second invitation', () => repliesTo(again.id)[0]);
    expect(second.text).not.toBe(invited.text);
    expect(second.text).toContain(again.id.slice(-8));
    // the same words already posted (say, by a person on the account): X refuses, and that is final
    const third = x.addMention({ authorId: '1800000000000000353', username: 't4', text: `@${HANDLE} नमस्ते, मुझे शिकायत करनी है` });
    x.tweets.push({ ...invited, id: '1', text: `${invitation} · ${third.id.slice(-8)}`, author_id: X_ACCOUNT, created_at: new Date().toISOString(), conversation_id: '1', edit_history_tweet_ids: ['1'], mentionsUs: false });
    await bridge.app.polls.runAll();
    const duplicate = await until('the duplicate dead', async () => (await bridge.outbox('twitter')).find((e) => e.message.inReplyTo === third.id && e.state === 'dead'));
    expect(duplicate.lastError).toMatch(/403.*duplicate content/);
    expect(x.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets' && JSON.stringify(r.body).includes(third.id))).toHaveLength(1);
    const blocked = '1800000000000000400';
    x.blockDms(blocked);
    x.addDm({ senderId: blocked, text: 'Hadapsar mein do din se pani nahi aa raha' });
    await bridge.app.polls.runAll();
    const dead = await until('the refused DM dead', async () => (await bridge.outbox('twitter')).find((e) => e.message.to === blocked && e.state === 'dead'));
    expect(dead.lastError).toMatch(/403.*cannot send messages/i);
    expect(x.requests.filter((r) => r.path.endsWith(`/with/${blocked}/messages`))).toHaveLength(1);
  });
  // last here: its 130 public replies use up the fake's 100 posts per 15 minutes, as X's would
  it('resumes a mentions read cut by a rate limit from the old cursor, losing and repeating nothing', async () => {
    const authors = Array.from({ length: 130 }, (_, i) => `18000000000001${String(i).padStart(5, '0')}`);
    const added = authors.map((a, i) => x.addMention({ authorId: a, username: `c${i}`, text: `@${HANDLE} पाणी गळती, वारजे माळवाडी, घर ${i}` }));
    const before = x.requests.filter((r) => r.path.endsWith('/mentions')).length;
    x.limitAfter(1, '/mentions', 2); // the first page comes, the second gets 429 until the reset in 2 s
    await bridge.app.polls.runAll();
    const cut = x.requests.filter((r) => r.path.endsWith('/mentions')).slice(before);
    expect(cut.map((r) => r.query.pagination_token === undefined)).toEqual([true, false]);
    const cursorAfterCut = await bridge.app.store.getCursor(`poll:twitter:${X_ACCOUNT}:mentions`);
    // the next read starts from the cursor the cut read began with, and reads both pages
    x.clearLimit();
    await bridge.app.polls.runAll();
    const resumed = x.requests.filter((r) => r.path.endsWith('/mentions')).slice(before + 2);
    expect(resumed[0]!.query.since_id).toBe(cursorAfterCut);
    expect(await bridge.app.store.getCursor(`poll:twitter:${X_ACCOUNT}:mentions`)).toBe(added.at(-1)!.id);
    for (const m of [added[0]!, added[64]!, added[129]!]) expect(await bridge.app.store.getInboundBySource({ channel: 'twitter', accountId: X_ACCOUNT, externalId: m.id })).toBeDefined();
    await until('a ticket for every mention', async () => (await bridge.app.store.listTickets({ limit: 1000 })).filter((t) => authors.includes(t.citizen.identities[0]?.id ?? '')).length === 130, 20_000);
  });
});

describe('X with the Account Activity webhook, and a rude network', () => {
  const SECRET = 'test-consumer-secret-0123456789';
  let x: FakeXApi;
  let bridge: SocialBridge;
  let hook: string;

  beforeAll(async () => {
    x = await startFakeXApi({ accountId: X_ACCOUNT, username: HANDLE, appKey: X_APP_KEY });
    bridge = await startSocialBridge({ x }, { env: { X_WEBHOOK_SECRET: SECRET } });
    hook = `${bridge.app.url}/webhooks/twitter`;
    await bridge.app.polls.runAll(); // the catch-up at start is over before the tests add anything
  });
  afterAll(async () => {
    await bridge?.close();
    await x?.close();
  });

  it('reads mentions with the app bearer token when one is set, and DMs with the account', async () => {
    const other = await startFakeXApi({ accountId: X_ACCOUNT, username: HANDLE, appKey: X_APP_KEY, bearerToken: 'test-bearer-token-0123' });
    const b = await startSocialBridge({ x: other }, { env: { X_BEARER_TOKEN: 'test-bearer-token-0123' } });
    try {
      const m = other.addMention({ authorId: '1800000000000000700', username: 'b1', text: `@${HANDLE} Aundh madhe kachra padla aahe` });
      await b.app.polls.runAll();
      expect(await b.app.store.getInboundBySource({ channel: 'twitter', accountId: X_ACCOUNT, externalId: m.id })).toBeDefined();
      const reads = other.requests.filter((r) => r.method === 'GET');
      expect(reads.filter((r) => r.path.endsWith('/mentions')).every((r) => r.headers.authorization === 'Bearer test-bearer-token-0123')).toBe(true);
      expect(reads.filter((r) => r.path === '/2/dm_events').every((r) => String(r.headers.authorization).startsWith('OAuth '))).toBe(true);
      // the app's token revoked: mentions are refused while DMs (the account's keys) still work, and the account
      // shows refused, naming what was refused, until mentions work again
      other.failNext(1, 401, '/mentions');
      await b.app.polls.runAll();
      const refused = b.app.health.list().find((a) => a.channel === 'twitter')!;
      expect(refused).toMatchObject({ state: 'unauthorised', refusedBy: ['app'], action: expect.stringContaining('X_BEARER_TOKEN') });
      await b.app.polls.runAll(); // a new token works
      expect(b.app.health.list().find((a) => a.channel === 'twitter')).toMatchObject({ state: 'ok' });
    } finally {
      await b.close();
      await other.close();
    }
  });

  it("answers X's CRC check with the token signed by the consumer secret", async () => {
    const res = await fetch(`${hook}?crc_token=challenge-123`);
    expect(res.status).toBe(200);
    const expected = createHmac('sha256', SECRET).update('challenge-123').digest('base64');
    expect(await res.json()).toEqual({ response_token: `sha256=${expected}` });
  });

  it('takes a signed mention and a signed DM, refuses a forged one, and the catch-up poll files nothing twice', async () => {
    const citizen = { id: '1800000000000000500', screen_name: 'meera_d', name: 'Meera D' };
    const tweet = x.addMention({ authorId: citizen.id, username: citizen.screen_name, text: `@${HANDLE} हडपसर में सड़क पर बड़ा गड्ढा है` });
    const forged = await postToXHook(hook, mentionActivity(X_ACCOUNT, HANDLE, { id: tweet.id, text: tweet.text, author: citizen }), 'not-the-secret-000000000');
    expect(forged.status).toBe(403);
    expect(await bridge.app.store.getInboundBySource({ channel: 'twitter', accountId: X_ACCOUNT, externalId: tweet.id })).toBeUndefined();
    const ok = await postToXHook(hook, mentionActivity(X_ACCOUNT, HANDLE, { id: tweet.id, text: tweet.text, author: citizen }), SECRET);
    expect(ok.status).toBe(200);
    const reply = await until('the public reply', () => x.tweetsSent().find((t) => t.inReplyTo === tweet.id));
    expect(reply.text).toMatch(/शिकायत नंबर PMC\d+/);
    const dm = x.addDm({ senderId: citizen.id, text: 'Hello, I want to complain about garbage' });
    expect((await postToXHook(hook, dmActivity(X_ACCOUNT, { id: dm.id, senderId: citizen.id, text: dm.text }), SECRET)).status).toBe(200);
    await until('the DM answered', () => x.dmsSent().find((d) => d.participantId === citizen.id));
    // the catch-up poll reads the same mention and DM: the archive already has both
    await bridge.app.polls.runAll();
    await bridge.app.pipeline.sweep({ ratings: false });
    expect(x.tweetsSent().filter((t) => t.inReplyTo === tweet.id)).toHaveLength(1);
    expect(x.dmsSent().filter((d) => d.participantId === citizen.id)).toHaveLength(1);
  });

  it("keeps a citizen's own follow-up in the same complaint whichever way it came, and answers the thread once", async () => {
    const citizen = { id: '1800000000000000550', screen_name: 'kiran_s', name: 'Kiran S' };
    const first = x.addMention({ authorId: citizen.id, username: citizen.screen_name, text: `@${HANDLE} Garbage dumped near Aundh ITI road` });
    await postToXHook(hook, mentionActivity(X_ACCOUNT, HANDLE, { id: first.id, text: first.text, author: citizen }), SECRET);
    await until('the first reply', () => x.tweetsSent().find((t) => t.inReplyTo === first.id));
    // the follow-up answers the citizen's own post, not ours: the webhook's v1.1 event has no conversation id
    const next = x.addMention({ authorId: citizen.id, username: citizen.screen_name, text: `@${HANDLE} it is still there, it smells`, conversationId: first.conversation_id, inReplyToTweetId: first.id });
    await postToXHook(hook, mentionActivity(X_ACCOUNT, HANDLE, { id: next.id, text: next.text, author: citizen, inReplyTo: { status: first.id, user: citizen.id } }), SECRET);
    await until('the follow-up archived', () => bridge.app.store.getInboundBySource({ channel: 'twitter', accountId: X_ACCOUNT, externalId: next.id }));
    await bridge.app.polls.runAll(); // the catch-up reads both again
    await bridge.app.pipeline.sweep({ ratings: false });
    const tickets = (await bridge.app.store.listTickets({ limit: 1000 })).filter((t) => t.citizen.identities.some((i) => i.id === citizen.id));
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.sources.map((src) => src.externalId)).toEqual(expect.arrayContaining([first.id, next.id]));
    expect(x.tweetsSent().filter((t) => t.inReplyTo === next.id)).toHaveLength(0);
  });

  const archived = (externalId: string, accountId = X_ACCOUNT) => bridge.app.store.getInboundBySource({ channel: 'twitter', accountId, externalId });

  it('takes the good events of a signed delivery when one does not fit the schema, and answers 200', async () => {
    const citizen = { id: '1800000000000000900', screen_name: 'asha_k', name: 'Asha K' };
    const tweet = x.addMention({ authorId: citizen.id, username: citizen.screen_name, text: `@${HANDLE} Kothrud madhe 3 divas kachra padla aahe` });
    const dm = x.addDm({ senderId: citizen.id, text: 'Baner road var khadde aahet' });
    const [goodTweet] = mentionActivity(X_ACCOUNT, HANDLE, { id: tweet.id, text: tweet.text, author: citizen }).tweet_create_events as Record<string, unknown>[];
    const [goodDm] = dmActivity(X_ACCOUNT, { id: dm.id, senderId: citizen.id, text: dm.text }).direct_message_events as Record<string, unknown>[];
    // X sends ids as strings; a number where a string belongs is off the schema
    const badTweet = { ...goodTweet, id_str: '1900000000000000901', in_reply_to_status_id_str: 1900000000000000 };
    const badDm = { ...goodDm, id: 1950000000000000 };
    const res = await postToXHook(hook, { for_user_id: X_ACCOUNT, tweet_create_events: [badTweet, goodTweet], direct_message_events: [goodDm, badDm] }, SECRET);
    expect(res.status).toBe(200);
    expect(await archived(tweet.id)).toBeDefined();
    expect(await archived(`dm:${dm.id}`)).toBeDefined();
    expect(await archived('1900000000000000901')).toBeUndefined();
    await until('the mention answered', () => x.tweetsSent().find((t) => t.inReplyTo === tweet.id));
  });

  it('takes a mention inside a long-form post, where X puts it in extended_tweet alone', async () => {
    const citizen = { id: '1800000000000000910', screen_name: 'nitin_p', name: 'Nitin P' };
    const fullText = `Warje Malwadi madhe paanyachi pipeline phutli aahe, don divsapasun rastyavar paani vahat aahe, kuni alela nahi. Ghara samor motha khadda padla aahe ani gaadya adaktat. Krupaya lavkar durusti kara @${HANDLE}`;
    expect([...fullText].length).toBeGreaterThan(140);
    const tweet = x.addMention({ authorId: citizen.id, username: citizen.screen_name, text: fullText });
    const res = await postToXHook(hook, longformMentionActivity(X_ACCOUNT, HANDLE, { id: tweet.id, fullText, author: citizen }), SECRET);
    expect(res.status).toBe(200);
    const kept = await archived(tweet.id);
    expect(kept?.message).toMatchObject({ public: true, sender: { id: citizen.id }, text: fullText });
  });

  it('checks the signature on the raw bytes before parsing: unsigned or wrongly signed junk is 403; a signed 200 KB delivery is taken', async () => {
    const junk = `{"for_user_id": "${X_ACCOUNT}", "tweet_create_events": [{"id_str": `;
    for (const signature of [undefined, signX(junk, 'not-the-secret-000000000')]) {
      const res = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'x-twitter-webhooks-signature': signature } : {}) }, body: junk });
      expect(res.status, signature ?? 'unsigned').toBe(403);
    }
    const invalidUtf8 = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) });
    expect(invalidUtf8.status).toBe(403);
    // a real delivery carries whole user objects: a mention among likes, each with its user, past 200 KB
    const citizen = { id: '1800000000000000920', screen_name: 'vidya_m', name: 'Vidya M' };
    const tweet = x.addMention({ authorId: citizen.id, username: citizen.screen_name, text: `@${HANDLE} Hadapsar gadital kachra uchalla nahi` });
    const user = (i: number) => ({ id_str: `18000000000001${String(i).padStart(5, '0')}`, screen_name: `liker${i}`, name: `Liker ${i}`, description: 'पुणे '.repeat(60), location: 'Pune, India', followers_count: i, profile_image_url_https: `https://pbs.twimg.com/profile_images/${i}/photo_normal.jpg` });
    const body = { ...mentionActivity(X_ACCOUNT, HANDLE, { id: tweet.id, text: tweet.text, author: citizen }), favorite_events: Array.from({ length: 250 }, (_, i) => ({ id: `fav${i}`, created_at: new Date().toUTCString(), timestamp_ms: Date.now(), favorited_status: { id_str: tweet.id }, user: user(i) })) };
    expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(200 * 1024);
    const res = await postToXHook(hook, body, SECRET);
    expect(res.status).toBe(200);
    expect(await archived(tweet.id)).toBeDefined();
  });

  it('finds a DM whose answer was lost instead of sending it twice', async () => {
    const citizen = '1800000000000000600';
    x.rudeNext(1, 'reset-after', `/with/${citizen}/messages`);
    x.addDm({ senderId: citizen, text: 'Kothrud madhe kachra padla aahe' });
    await bridge.app.polls.runAll();
    const entry = await until('the reply sent after a look-up', async () => (await bridge.outbox('twitter')).find((e) => e.message.to === citizen && e.state === 'sent'));
    expect(x.dmsSent().filter((d) => d.participantId === citizen)).toHaveLength(1);
    expect(entry.providerId).toBe(`dm:${x.dmsSent().find((d) => d.participantId === citizen)!.id}`);
  });

  it('finds a lost DM in its own conversation, however busy the account and the conversation were since', async () => {
    const citizen = '1800000000000000610';
    x.rudeNext(1, 'reset-after', `/with/${citizen}/messages`);
    // as the reply is taken: 300 of our DMs to others and 150 more to this citizen, all newer than it (3 pages of
    // the account's DMs, 2 of the conversation's)
    x.afterSend = (kind) => {
      if (kind !== 'dm') return;
      x.afterSend = undefined;
      for (let i = 0; i < 300; i++) x.addDm({ senderId: X_ACCOUNT, recipientId: `17999999999${String(i).padStart(8, '0')}`, text: `Other citizen ${i}` });
      for (let i = 0; i < 150; i++) x.addDm({ senderId: X_ACCOUNT, recipientId: citizen, text: `तक्रार क्रमांक ${i}` });
    };
    x.addDm({ senderId: citizen, text: 'हडपसर में दो दिन से कचरा नहीं उठाया गया' });
    await bridge.app.polls.runAll();
    const entry = await until('the reply found by the look-up', async () => (await bridge.outbox('twitter')).find((e) => e.message.to === citizen && e.state === 'sent'));
    const ours = x.dmsSent().filter((d) => d.participantId === citizen && !d.text.startsWith('तक्रार क्रमांक'));
    expect(ours).toHaveLength(1);
    expect(entry.providerId).toBe(`dm:${ours[0]!.id}`);
    expect(entry.message.language).toBe('hi');
    // read page by page in the citizen's conversation
    const reads = x.requests.filter((r) => r.path === `/2/dm_conversations/with/${citizen}/dm_events`);
    expect(reads.length).toBeGreaterThanOrEqual(2);
    expect(reads.every((r) => r.answer?.status === 200)).toBe(true);
  });

  it('never takes an earlier DM with the same words for the one whose answer was lost', async () => {
    const citizen = '1800000000000000630';
    x.addDm({ senderId: citizen, text: 'नमस्कार' });
    await bridge.app.polls.runAll();
    const first = await until('the first answer', () => x.dmsSent().find((d) => d.participantId === citizen));
    // that answer went two hours ago
    x.dms.find((d) => d.id === first.id)!.created_at = new Date(Date.now() - 2 * 3_600_000).toISOString();
    x.rudeNext(1, 'reset-before', `/with/${citizen}/messages`);
    x.addDm({ senderId: citizen, text: 'नमस्कार' });
    await bridge.app.polls.runAll();
    const again = await until('the second answer, sent after the look-up', () => x.dmsSent().filter((d) => d.participantId === citizen)[1]);
    // the same words: the look-up had an earlier DM to mistake for this one
    expect(again.text).toBe(first.text);
    const sent = (await bridge.outbox('twitter')).filter((e) => e.message.to === citizen && e.state === 'sent');
    expect(sent.map((e) => e.providerId).sort()).toEqual([`dm:${first.id}`, `dm:${again.id}`].sort());
  });

  it('takes a look-up answered with errors only as no answer: a DM X took is not sent again', async () => {
    const citizen = '1800000000000000640';
    x.rudeNext(1, 'reset-after', `/with/${citizen}/messages`);
    x.failNext(1, 200, `/with/${citizen}/dm_events`);
    x.addDm({ senderId: citizen, text: 'Sinhagad road var kachra padla aahe' });
    await bridge.app.polls.runAll();
    const entry = await until('the reply, found by a look-up that X answered', async () => (await bridge.outbox('twitter')).find((e) => e.message.to === citizen && e.state === 'sent'));
    const lookups = x.requests.filter((r) => r.path === `/2/dm_conversations/with/${citizen}/dm_events`);
    // the first look-up said nothing (errors only): it was asked again, and found the DM, before anything was sent
    expect(lookups.map((r) => r.answer?.status)).toEqual([200, 200]);
    const sent = x.dmsSent().filter((d) => d.participantId === citizen);
    expect(sent).toHaveLength(1);
    expect(entry.providerId).toBe(`dm:${sent[0]!.id}`);
  });

  it('finds a lost public reply among more than a page of our posts since', async () => {
    const citizen = '1800000000000000620';
    x.rudeNext(1, 'reset-after', 'POST /2/tweets');
    x.afterSend = (kind) => {
      if (kind !== 'tweet') return;
      x.afterSend = undefined;
      for (let i = 0; i < 250; i++) x.addMention({ authorId: X_ACCOUNT, username: HANDLE, text: `Water supply notice ${i} for ward offices` });
    };
    const m = x.addMention({ authorId: citizen, username: 'meera_j', text: `@${HANDLE} Pothole on Sinhagad Road near Vadgaon bridge, two bikes fell yesterday` });
    await bridge.app.polls.runAll();
    const entry = await until('the public reply found by the look-up', async () => (await bridge.outbox('twitter')).find((e) => e.message.inReplyTo === m.id && e.state === 'sent'));
    const replies = x.tweetsSent().filter((t) => t.inReplyTo === m.id);
    expect(replies).toHaveLength(1);
    expect(entry.providerId).toBe(replies[0]!.id);
    expect(x.requests.filter((r) => r.path === `/2/users/${X_ACCOUNT}/tweets`).length).toBeGreaterThanOrEqual(3);
  });

  it('marks the account refused when X no longer takes its keys, says what to do, and keeps the bridge ready', async () => {
    // both reads (mentions and DMs) are refused: the keys were revoked
    x.failNext(2, 401);
    await bridge.app.polls.runAll();
    const body = (await (await fetch(`${bridge.app.url}/readyz`)).json()) as { ready: boolean; channels: { twitter: { accounts: Record<string, { state: string; action: string }> } } };
    expect(body.ready).toBe(true);
    expect(body.channels.twitter.accounts[X_ACCOUNT]).toMatchObject({ state: 'unauthorised', action: expect.stringMatching(/X_ACCESS_TOKEN and X_ACCESS_SECRET/) });
    expect(JSON.stringify(body)).not.toMatch(/test-access-(token|secret)/);
  });
});

describe('X with two accounts of the bridge', () => {
  const SECRET = 'test-consumer-secret-0123456789';
  const WARD = '1700000000000000002';
  const WARD_HANDLE = 'PMCWard5';
  let x: FakeXApi;
  let bridge: SocialBridge;

  beforeAll(async () => {
    x = await startFakeXApi({ accountId: X_ACCOUNT, username: HANDLE, appKey: X_APP_KEY });
    bridge = await startSocialBridge(
      { x },
      {
        localYaml: `channels: { twitter: { accounts: [{ id: '${WARD}', envPrefix: X_WARD }] } }`,
        env: { X_WEBHOOK_SECRET: SECRET, X_WARD_API_KEY: X_APP_KEY, X_WARD_API_SECRET: 'test-app-secret-0123', X_WARD_ACCESS_TOKEN: 'test-ward-token-0123', X_WARD_ACCESS_SECRET: 'test-ward-secret-0123' },
      },
    );
    await bridge.app.polls.runAll();
  });
  afterAll(async () => {
    await bridge?.close();
    await x?.close();
  });

  it("never takes one account's reply that carries another's handle for a citizen's complaint, polled or pushed", async () => {
    const citizen = '1800000000000001000';
    const post = x.addMention({ authorId: citizen, username: 'sanjay_r', text: `@${HANDLE} @${WARD_HANDLE} Sinhagad road var 2 divas pani nahi`, mentioned: [X_ACCOUNT, WARD] });
    await bridge.app.polls.runAll();
    const ours = await until("the main account's reply", () => x.tweetsSent().find((t) => t.inReplyTo === post.id));
    // X lists a reply in a thread under everyone it names: the main account's reply is a mention of the ward's
    const stored = x.tweets.find((t) => t.id === ours.id)!;
    Object.assign(stored, { text: `@sanjay_r @${WARD_HANDLE} ${stored.text}`, mentionsUs: true, mentioned: [WARD] });
    await bridge.app.polls.runAll();
    const pushed = mentionActivity(WARD, WARD_HANDLE, { id: ours.id, text: stored.text, author: { id: X_ACCOUNT, screen_name: HANDLE, name: 'PMC' }, inReplyTo: { status: post.id, user: citizen } });
    expect((await postToXHook(`${bridge.app.url}/webhooks/twitter`, pushed, SECRET)).status).toBe(200);
    await bridge.app.pipeline.sweep({ ratings: false });
    for (const account of [WARD, X_ACCOUNT]) expect(await bridge.app.store.getInboundBySource({ channel: 'twitter', accountId: account, externalId: ours.id })).toBeUndefined();
    const tickets = await bridge.app.store.listTickets({ limit: 1000 });
    expect(tickets.filter((t) => t.citizen.identities.some((i) => i.channel === 'twitter' && [X_ACCOUNT, WARD].includes(i.id)))).toEqual([]);
    // the citizen's own post is each account's to take
    expect(await bridge.app.store.getInboundBySource({ channel: 'twitter', accountId: WARD, externalId: post.id })).toBeDefined();
  });

  it("files each account's complaints by its own mapping", async () => {
    await bridge.app.store.upsertMapping({ id: 'x-ward5', channel: 'twitter', accountId: WARD, department: 'WARD5-OFFICE', ward: 'warje-karvenagar', defaultLanguage: 'mr', replyPolicy: 'conversational', slaHours: 48, enabled: true });
    await bridge.app.pipeline.sweep({ ratings: false }); // the routing table reads the new mapping
    const toWard = x.addMention({ authorId: '1800000000000001101', username: 'meena_w', text: `@${WARD_HANDLE} आमच्या गल्लीत दोन दिवसांपासून समस्या आहे, कोथरूड`, mentioned: [WARD] });
    const toMain = x.addMention({ authorId: '1800000000000001102', username: 'rahul_m', text: `@${HANDLE} हमारी गली में दो दिन से समस्या है, कोथरूड`, mentioned: [X_ACCOUNT] });
    await bridge.app.polls.runAll();
    const ticketOf = (source: string) => until(`the ticket of ${source}`, async () => (await bridge.app.store.listTickets({ limit: 1000 })).find((t) => t.sources.some((s) => s.externalId === source)));
    const [ward, main] = [await ticketOf(toWard.id), await ticketOf(toMain.id)];
    // no rule names a department for these: each account's mapping gives it, and the ward page's its ward
    expect(ward).toMatchObject({ department: 'WARD5-OFFICE', ward: 'warje-karvenagar', routing: { mappingId: 'x-ward5', department: { by: 'mapping' } } });
    expect(ward.history[0]!.by).toBe('twitter:x-ward5');
    expect(main).toMatchObject({ department: 'call-centre', routing: { mappingId: 'twitter-default', department: { by: 'mapping' } } });
    expect(main.history[0]!.by).toBe('twitter:twitter-default');
  });
});
