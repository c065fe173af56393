import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROBE_EVERY_MS } from '../../src/connectors/account-hold.ts';
import { HeldSendError, PermanentSendError, RateLimitedSendError, ReachElsewhereError, RetryableSendError, type Connector } from '../../src/connectors/connector.ts';
import { createFacebookConnector } from '../../src/connectors/facebook/index.ts';
import { createLogger } from '../../src/http/logger.ts';
import type { OutboundMessage } from '../../src/model/index.ts';
import { ChannelHealth } from '../../src/pipeline/channel-health.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import { FB_PAGE, FB_PAGE_TOKEN } from '../support/facebook-webhooks.ts';
import { businessUseCaseUsage, startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api.ts';

const PSID = '7300000000000001';

// The connector's sends through the real SDK against a Graph fake that is as rude as a real network.
describe('Facebook sends', () => {
  let graph: FakeGraphApi;
  let store: Store;
  let dir: string;
  let health: ChannelHealth;
  let fb: Connector;

  beforeAll(async () => {
    graph = await startFakeGraphApi({ pages: { [FB_PAGE]: FB_PAGE_TOKEN } });
    dir = mkdtempSync(join(tmpdir(), 'pmc-fbsend-'));
    store = openStore(`sqlite:${join(dir, 'b.db')}`, { ticketPrefix: 'PMC', firstTicketNumber: 1, archiveSync: 'NORMAL', minFreeBytes: 0 });
  });
  beforeEach(async () => {
    await fb?.close?.();
    health = new ChannelHealth();
    fb = createFacebookConnector(
      { appSecret: 'x'.repeat(16), verifyToken: 'verify-token', pages: [{ id: FB_PAGE, token: FB_PAGE_TOKEN, humanAgentTag: false }], graphBase: graph.url, requestTimeoutMs: 400, commentsPollMs: 60_000, catchUpHours: 24 },
      { store, health, logger: createLogger('silent'), tokenEnvOf: () => 'FACEBOOK_PAGE_TOKEN' },
    );
    graph.userWrote(FB_PAGE, PSID);
    await store.setCursor(`facebook:heard:${FB_PAGE}:${PSID}`, new Date().toISOString());
  });
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  afterAll(async () => {
    await fb?.close?.();
    await graph?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let n = 0;
  const reply = (text = `आपली तक्रार PMC${++n} नोंदवली आहे.`): OutboundMessage => ({
    channel: 'facebook', accountId: FB_PAGE, threadKey: PSID, to: PSID, text, language: 'mr', kind: 'reply', idempotencyKey: `k${n}`,
  });
  const failure = async (p: Promise<unknown>): Promise<Error> => p.then(() => new Error('it was sent'), (e: Error) => e);

  it('catches up on a post with more comments than one poll reads, over the next polls, losing none', async () => {
    const post = graph.addPost(FB_PAGE);
    const start = Date.now() - 3 * 3_600_000;
    const ids = Array.from({ length: 5050 }, (_, i) => graph.addComment(post, { from: { id: `74${String(i).padStart(13, '0')}`, name: 'C' }, message: `कचरा ${i}`, created_time: new Date(start + i * 1000) }));
    const poller = fb.pollers![0]!;
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let i = 0; i < 3; i++) {
      const r = await poller.poll(cursor);
      for (const m of r.messages) seen.add(m.externalId);
      cursor = r.cursor ?? cursor;
    }
    expect(ids.filter((id) => !seen.has(id))).toEqual([]);
  });

  it("stops the comments' catch-up at a rate limit: keeps what it read, leaves the cursor, and waits as long as Meta says", async () => {
    const clock = new Date();
    const clocked = createFacebookConnector(
      { appSecret: 'x'.repeat(16), verifyToken: 'verify-token', pages: [{ id: FB_PAGE, token: FB_PAGE_TOKEN, humanAgentTag: false }], graphBase: graph.url, requestTimeoutMs: 400, commentsPollMs: 60_000, catchUpHours: 24 },
      { store, health, logger: createLogger('silent'), tokenEnvOf: () => 'FACEBOOK_PAGE_TOKEN', now: () => clock },
    );
    cleanups.push(async () => clocked.close?.());
    // posts are read newest first: the newer post's comments come before the older post's, which Meta refuses
    const older = graph.addPost(FB_PAGE, { created_time: new Date(clock.getTime() - 60_000) });
    const newer = graph.addPost(FB_PAGE, { created_time: clock });
    const read = graph.addComment(newer, { from: { id: '7300000000000011', name: 'A' }, message: 'वारजे येथे कचरा साचला आहे' });
    const cut = graph.addComment(older, { from: { id: '7300000000000012', name: 'B' }, message: 'हडपसर में पानी नहीं आ रहा' });
    const cursor = String(Math.floor(clock.getTime() / 1000) - 60);
    for (const [code, usage, waitMs] of [[32, businessUseCaseUsage(FB_PAGE, 3), 3 * 60_000], [17, undefined, 5 * 60_000]] as const) {
      graph.failNext(1, 400, { code, message: `(#${code}) User request limit reached` }, usage, `/${older}/comments`);
      const r = await clocked.pollers![0]!.poll(cursor);
      expect(r.messages.map((m) => m.externalId), String(code)).toContain(read);
      expect(r.messages.map((m) => m.externalId), String(code)).not.toContain(cut);
      expect(r.cursor, String(code)).toBeUndefined();
      expect(r.waitUntil?.getTime(), String(code)).toBe(clock.getTime() + waitMs);
    }
    expect(health.list()).toEqual([]); // a rate limit is not a page in trouble
  });

  it('finds a reply whose answer was lost instead of sending it again', async () => {
    const msg = reply();
    const since = new Date();
    graph.rudeNext(1, 'reset-after', '/messages');
    const err = await failure(fb.send(msg, { outboxId: 1 }));
    expect(err).toBeInstanceOf(RetryableSendError);
    expect((err as RetryableSendError).outcomeUnknown).toBe(true);
    expect(fb.resend.kind).toBe('lookup');
    const found = fb.resend.kind === 'lookup' ? await fb.resend.findSent(msg, since) : undefined;
    expect(found?.providerId).toBe(graph.sentMessages().at(-1)!.messageId);
    // and one that never reached Meta is not found, so it is sent
    const lost = reply();
    graph.rudeNext(1, 'reset-before', '/messages');
    await failure(fb.send(lost, { outboxId: 2 }));
    expect(fb.resend.kind === 'lookup' ? await fb.resend.findSent(lost, since) : 'x').toBeUndefined();
  });

  it('gives up on a hung call after its time-out, as of unknown outcome', async () => {
    graph.rudeNext(1, 'hang', '/messages');
    const started = Date.now();
    const err = await failure(fb.send(reply(), { outboxId: 3 }));
    expect(Date.now() - started).toBeLessThan(3000);
    expect((err as RetryableSendError).outcomeUnknown).toBe(true);
  });

  it("waits as long as Meta's rate limit says, and retries 5xx; says which errors are final", async () => {
    // the app's, the user's, the page's and a call's own rate limit: the page's whole lane waits
    for (const [i, code] of [4, 17, 32, 613].entries()) {
      graph.failNext(1, 400, { code, message: `(#${code}) Application request limit reached` }, businessUseCaseUsage(FB_PAGE, 7 + i), '/messages');
      const limited = await failure(fb.send(reply(), { outboxId: 4 }));
      expect(limited, String(code)).toBeInstanceOf(RateLimitedSendError);
      expect((limited as RateLimitedSendError).retryAfterMs, String(code)).toBe((7 + i) * 60_000);
    }
    // no X-Business-Use-Case-Usage to say how long: a minute
    graph.failNext(1, 400, { code: 4, message: '(#4) Application request limit reached' }, undefined, '/messages');
    expect(((await failure(fb.send(reply(), { outboxId: 4 }))) as RateLimitedSendError).retryAfterMs).toBe(60_000);
    graph.failNext(1, 503, { code: 2 }, undefined, '/messages');
    expect(await failure(fb.send(reply(), { outboxId: 5 }))).toBeInstanceOf(RetryableSendError);
    for (const code of [551, 200, 100]) {
      graph.failNext(1, 400, { code, message: `(#${code}) refused` }, undefined, '/messages');
      const err = await failure(fb.send(reply(), { outboxId: 6 }));
      expect(err, String(code)).toBeInstanceOf(PermanentSendError);
      expect((err as PermanentSendError).code).toBe(code);
    }
    graph.failNext(1, 400, { code: 10, error_subcode: 2018278, message: '(#10) This message is sent outside of allowed window.' }, undefined, '/messages');
    expect(await failure(fb.send(reply(), { outboxId: 7 }))).toBeInstanceOf(ReachElsewhereError);
  });

  it('takes Meta refusing a second private reply to a comment as the first having reached the citizen', async () => {
    const post = graph.addPost(FB_PAGE);
    const comment = graph.addComment(post, { from: { id: '7300000000000002', name: 'S' }, message: 'Kachra padla aahe Baner madhe' });
    const msg = { ...reply(), privateReplyTo: comment, to: '7300000000000002' };
    graph.rudeNext(1, 'reset-after', '/messages');
    await failure(fb.send(msg, { outboxId: 20 }));
    expect(await fb.send(msg, { outboxId: 20 })).toEqual({ providerId: `private-reply:${comment}` });
    expect(graph.sentMessages().filter((m) => m.recipient.comment_id === comment)).toHaveLength(1);
  });
  it('holds the look-up before a resend too while the token is refused, instead of spending the attempt', async () => {
    const msg = reply();
    const since = new Date();
    graph.rudeNext(1, 'reset-before', '/messages');
    await failure(fb.send(msg, { outboxId: 30 }));
    graph.expireToken(FB_PAGE);
    const lookup = fb.resend.kind === 'lookup' ? await failure(fb.resend.findSent(msg, since)) : new Error('no lookup');
    expect(lookup).toBeInstanceOf(HeldSendError);
    expect(health.isUnauthorised('facebook', FB_PAGE)).toBe(true);
    const calls = graph.requests.length;
    expect(fb.resend.kind === 'lookup' ? await failure(fb.resend.findSent(msg, since)) : undefined).toBeInstanceOf(HeldSendError);
    expect(graph.requests.length).toBe(calls); // held: Meta is not asked again
  });

  it("probes a refused page with one real call every 5 minutes, however many replies are due then; the others wait for it", async () => {
    let clock = Date.now();
    const held = createFacebookConnector(
      { appSecret: 'x'.repeat(16), verifyToken: 'verify-token', pages: [{ id: FB_PAGE, token: FB_PAGE_TOKEN, humanAgentTag: false }], graphBase: graph.url, requestTimeoutMs: 400, commentsPollMs: 60_000, catchUpHours: 24 },
      { store, health, logger: createLogger('silent'), tokenEnvOf: () => 'FACEBOOK_PAGE_TOKEN', now: () => new Date(clock) },
    );
    try {
      graph.expireToken(FB_PAGE);
      const sends = () => graph.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages')).length;
      expect(await failure(held.send(reply(), { outboxId: 40 }))).toBeInstanceOf(HeldSendError);
      const before = sends();
      clock += PROBE_EVERY_MS + 1000;
      // ten held replies come due together: one of them is the probe, the rest are held without a call
      const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => failure(held.send(reply(), { outboxId: 41 + i }))));
      expect(sends() - before).toBe(1);
      expect(outcomes.every((e) => e instanceof HeldSendError)).toBe(true);
      // the probe was refused again: the next one is 5 minutes on
      clock += 60_000;
      expect(await failure(held.send(reply(), { outboxId: 51 }))).toBeInstanceOf(HeldSendError);
      expect(sends() - before).toBe(1);
    } finally {
      await held.close?.();
    }
  });

  it('marks the page refused on an expired token, holds its replies without calling Meta, and never says the token', async () => {
    graph.expireToken(FB_PAGE);
    const before = graph.requests.length;
    const first = await failure(fb.send(reply(), { outboxId: 8 }));
    expect(first).toBeInstanceOf(HeldSendError);
    expect(health.isUnauthorised('facebook', FB_PAGE)).toBe(true);
    expect(health.list()[0]!.action).toMatch(/re-authorise page .*FACEBOOK_PAGE_TOKEN/);
    for (let i = 0; i < 5; i++) expect(await failure(fb.send(reply(), { outboxId: 9 + i }))).toBeInstanceOf(HeldSendError);
    expect(graph.requests.length - before).toBe(1);
    expect(`${first.message} ${JSON.stringify(health.list())}`).not.toContain(FB_PAGE_TOKEN);
  });

});
