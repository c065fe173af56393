import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { freePort, runCli, startBridge, startWorker, type BridgeProcess } from '../support/bridge-process.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { startRedisServer, type RedisServer } from '../support/redis-server.ts';
import { copyShippedConfig } from '../support/shipped-config.ts';
import { postSigned, smsBridgeEnv, smsParams, TEST_PUBLIC_BASE_URL } from '../support/sms-webhooks.ts';
import { until } from '../support/wait.ts';
import { DirectLineClient, TEST_WEBCHAT_SECRET } from '../support/webchat-bridge.ts';
import { describeNeeding } from '../support/system-tools.ts';

const PUBLIC_URL = `${TEST_PUBLIC_BASE_URL}/webhooks/sms/twilio`;

/** posts the webhooks of messages `from`…`to - 1`, `inFlight` at a time; the statuses in order */
async function postMany(web: string, from: number, to: number, inFlight: number, onEach?: (posted: number) => void | Promise<void>): Promise<number[]> {
  const statuses: number[] = [];
  let next = from;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < to) {
      const i = next++;
      const res = await postSigned(`${web}/webhooks/sms/twilio`, PUBLIC_URL, smsParams(i)).catch(() => undefined);
      statuses[i - from] = res?.status ?? 0;
      await onEach?.(i - from + 1);
    }
  }));
  return statuses;
}

/**
 * The bridge as several processes over Redis (BullMQ) and one shared SQLite file (one machine: no MongoDB server
 * can be had here). Each process is `pmc-bridge start`, as an operator runs it.
 */
describeNeeding('redis-server', 'distributed mode: one web and two worker processes over Redis', () => {
  let dir: string;
  let redis: RedisServer;
  let fake: FakeTwilioApi;
  let env: Record<string, string>;
  const procs: BridgeProcess[] = [];
  let store: SqliteStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pmc-distributed-'));
    redis = await startRedisServer();
    fake = await startFakeTwilioApi();
    const configDir = join(dir, 'config');
    copyShippedConfig(configDir);
    // a dead worker's jobs are taken over after 3 s, not 30; a lost job is swept up after 1 s
    writeFileSync(join(configDir, 'local.yaml'), 'queue:\n  lockSeconds: 3\npipeline:\n  sweepIntervalMs: 1000\n');
    env = { ...smsBridgeEnv(join(dir, 'bridge.db'), fake.url), QUEUE_URL: redis.url, PMC_CONFIG_DIR: configDir };
    store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
  });
  afterEach(async () => {
    for (const p of procs.splice(0)) {
      p.proc.kill('SIGTERM');
      await p.exited;
    }
  });
  afterAll(async () => {
    await store?.close();
    await fake?.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** every ticket filed once, from its own message, and answered with exactly one SMS naming it */
  async function expectEachFiledAndAnsweredOnce(sids: string[]): Promise<void> {
    const tickets = await store.listTickets();
    const sources = tickets.flatMap((t) => t.sources.map((s) => s.externalId));
    expect(new Set(sources).size).toBe(sources.length);
    for (const sid of sids) expect(sources).toContain(sid);
    const named = new Map<string, number>();
    for (const m of fake.sent) {
      const no = /PMC-?\d+/.exec(m.Body ?? '')?.[0];
      if (no) named.set(no, (named.get(no) ?? 0) + 1);
    }
    for (const t of tickets) expect(named.get(t.ticketNo), t.ticketNo).toBe(1);
  }

  it('2,000 SMS become exactly 2,000 tickets and 2,000 replies, though a worker is SIGKILLed mid-stream', async () => {
    const web = await startBridge({ ...env, PMC_ROLE: 'web' }, await freePort());
    const workers = [await startWorker(env), await startWorker(env)];
    procs.push(web, ...workers);
    const before = fake.sent.length;
    let killed = false;
    const statuses = await postMany(web.url, 100_000, 102_000, 16, async (posted) => {
      if (posted === 700 && !killed) {
        killed = true;
        workers[1]!.proc.kill('SIGKILL'); // its running jobs hold their locks until they expire: stalled
        expect((await workers[1]!.exited).signal).toBe('SIGKILL');
      }
    });
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    await until('2,000 replies sent', async () => (await store.stats()).outbox.sent >= 2_000 && (await store.stats()).inbound.pending === 0, 120_000);
    // a moment more: a duplicate would come after the count was reached
    await new Promise((r) => setTimeout(r, 1_500));
    const stats = await store.stats();
    expect(stats.outbox.sent).toBe(2_000);
    expect(stats.inbound.dead + stats.outbox.dead).toBe(0);
    expect(fake.sent.length - before).toBe(2_000);
    expect(await store.listTickets()).toHaveLength(2_000);
    await expectEachFiledAndAnsweredOnce(Array.from({ length: 2_000 }, (_, i) => smsParams(100_000 + i).MessageSid!));
    // the worker that lived did the work of the one that died
    expect(workers[0]!.proc.exitCode).toBeNull();
  }, 180_000);

  it('while Redis is down the webhooks answer 503, never 2xx; what was acknowledged is filed and answered after it returns', async () => {
    const web = await startBridge({ ...env, PMC_ROLE: 'web' }, await freePort());
    procs.push(web, await startWorker(env));
    const acknowledged: string[] = [];
    const post = async (i: number) => {
      const p = smsParams(i);
      const res = await postSigned(`${web.url}/webhooks/sms/twilio`, PUBLIC_URL, p).catch(() => undefined);
      if (res?.status === 200) acknowledged.push(p.MessageSid!);
      return res?.status ?? 0;
    };
    // a stream of messages going on while Redis goes away and comes back
    let i = 200_000;
    let downAt = 0;
    let upAt = 0;
    const whileDown: number[] = [];
    let streaming = true;
    const stream = (async () => {
      while (streaming) {
        const sentAt = Date.now();
        const status = await post(i++);
        // a request that started while Redis was down (give the web process a moment to see it go)
        if (downAt && sentAt > downAt + 200 && !upAt) whileDown.push(status);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await until('some messages acknowledged', () => acknowledged.length >= 50, 15_000);
    await redis.kill();
    downAt = Date.now();
    await new Promise((r) => setTimeout(r, 1_500));
    const ready = await fetch(`${web.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { queue: { ok: boolean; kind: string } }).queue).toMatchObject({ ok: false, kind: 'bullmq' });
    await redis.restart(); // empty: every waiting job is gone with it
    upAt = Date.now();
    await until('the web process ready again', async () => (await fetch(`${web.url}/readyz`)).status === 200, 15_000);
    await until('acknowledged again', () => acknowledged.length > 0 && whileDown.length > 0 && acknowledged.length >= 80, 15_000);
    streaming = false;
    await stream;
    expect(whileDown.length).toBeGreaterThan(5);
    expect(whileDown.filter((s) => s >= 200 && s < 300)).toEqual([]);
    expect(new Set(whileDown)).toEqual(new Set([503]));
    await until('every acknowledged message filed and answered', async () => {
      const sources = new Set((await store.listTickets()).flatMap((t) => t.sources.map((s) => s.externalId)));
      return acknowledged.every((sid) => sources.has(sid)) && (await store.stats()).outbox.pending + (await store.stats()).outbox.sending === 0;
    }, 30_000);
    await expectEachFiledAndAnsweredOnce(acknowledged);
  }, 120_000);

  it('a web and a worker process stopped while Redis is down still exit cleanly, in bounded time', async () => {
    const web = await startBridge({ ...env, PMC_ROLE: 'web' }, await freePort());
    const worker = await startWorker(env);
    await redis.kill();
    try {
      await new Promise((r) => setTimeout(r, 300));
      const asked = Date.now();
      web.proc.kill('SIGTERM');
      worker.proc.kill('SIGTERM');
      expect(await web.exited).toEqual({ code: 0, signal: null });
      expect(await worker.exited).toEqual({ code: 0, signal: null });
      expect(Date.now() - asked).toBeLessThan(20_000);
    } finally {
      await redis.restart();
    }
  }, 60_000);

  it('a web chat goes on across two web processes behind a balancer, whichever one each request reaches', async () => {
    const chatEnv = { ...env, WEBCHAT_TOKEN_SECRET: TEST_WEBCHAT_SECRET };
    const webs = [await startBridge({ ...chatEnv, PMC_ROLE: 'web' }, await freePort()), await startBridge({ ...chatEnv, PMC_ROLE: 'web' }, await freePort())];
    procs.push(...webs, await startWorker(chatEnv));
    // the session and the conversation opened on one process, the messages posted to the other, read on both
    const onA = new DirectLineClient(webs[0]!.url);
    await onA.start();
    const onB = Object.assign(new DirectLineClient(webs[1]!.url), { token: onA.token, userId: onA.userId, conversationId: onA.conversationId });
    expect((await onB.post('नमस्कार, वारजे येथे रस्त्यावर मोठा खड्डा आहे', 'c-1')).status).toBe(200);
    // web chat can carry a photo, so the bot asks for one; the answer goes to the other process again
    const [ask] = await onA.botMessages(1);
    expect(ask!.text).toContain('फोटो');
    expect((await onB.post('नाही', 'c-2')).status).toBe(200);
    const reply = (await onA.botMessages(2))[1];
    expect(reply!.text).toMatch(/PMC-?\d+/);
    const ticketNo = /PMC-?\d+/.exec(reply!.text ?? '')![0];
    expect((await store.getTicket(ticketNo))?.sources[0]?.channel).toBe('webchat');
    // and the other process reads the same transcript
    const onBReader = Object.assign(new DirectLineClient(webs[1]!.url), { token: onA.token, userId: onA.userId, conversationId: onA.conversationId });
    const seen = await onBReader.poll();
    expect(seen.some((a) => a.from.role === 'bot' && a.text === reply!.text)).toBe(true);
  }, 60_000);

  it("a 429 from Twilio slows the SMS lane in every process, and web chat replies go on meanwhile", async () => {
    // two sends at a time in each worker: what was in flight when the 429 came is soon done
    const configDir = join(dir, 'config-429');
    copyShippedConfig(configDir);
    writeFileSync(join(configDir, 'local.yaml'), 'queue:\n  lockSeconds: 3\npipeline:\n  sweepIntervalMs: 1000\n  concurrency: 2\n');
    const chatEnv = { ...env, PMC_CONFIG_DIR: configDir, WEBCHAT_TOKEN_SECRET: TEST_WEBCHAT_SECRET };
    const web = await startBridge({ ...chatEnv, PMC_ROLE: 'web' }, await freePort());
    procs.push(web, await startWorker(chatEnv), await startWorker(chatEnv));
    const sentBefore = fake.sent.length;
    // the first send is refused for rate, "try again in 4 s"
    fake.failNext(1, 429, 20429, '4');
    const creates = () => fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Messages.json')).length;
    const createsBefore = creates();
    expect((await postMany(web.url, 300_000, 300_010, 4)).every((s) => s === 200)).toBe(true);
    await until('the send refused with 429', () => creates() > createsBefore, 10_000);
    const refusedAt = Date.now();
    // the sends in flight when the 429 came end; then not one SMS may start until the 4 s are over, in any worker,
    // not even those of messages that come after the 429
    await new Promise((r) => setTimeout(r, 500));
    const sentSoonAfter = fake.sent.length - sentBefore;
    expect((await postMany(web.url, 300_010, 300_040, 4)).every((s) => s === 200)).toBe(true);
    const chat = new DirectLineClient(web.url);
    await chat.start();
    expect((await chat.post('Streetlight not working near Karve Road bus stop', 'c-429')).status).toBe(200);
    const [reply] = await chat.botMessages(1);
    expect(reply!.text).toContain('photo'); // the bot's next question: the chat's own lane went on
    expect(Date.now()).toBeLessThan(refusedAt + 3_200);
    await new Promise((r) => setTimeout(r, Math.max(0, refusedAt + 3_300 - Date.now())));
    expect(sentSoonAfter).toBeLessThan(10);
    expect(fake.sent.length - sentBefore).toBe(sentSoonAfter);
    // then every SMS goes, once
    await until('forty SMS replies', () => fake.sent.length - sentBefore >= 40, 30_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.sent.length - sentBefore).toBe(40);
  }, 60_000);

  it('a reply refused for good is one dead letter for every process, and a retry from the CLI is sent by a worker', async () => {
    const web = await startBridge({ ...env, PMC_ROLE: 'web' }, await freePort());
    procs.push(web, await startWorker(env), await startWorker(env));
    const sentBefore = fake.sent.length;
    fake.failNext(1, 400, 21211); // "invalid To": permanent, no retry
    const p = smsParams(400_001);
    expect((await postSigned(`${web.url}/webhooks/sms/twilio`, PUBLIC_URL, p)).status).toBe(200);
    const dead = await until('the dead letter', async () => (await store.listDeadLetters()).find((d) => d.kind === 'outbound' && d.error.includes('21211')), 15_000);
    const listed = await runCli(['dead-letters', '--json'], env);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { kind: string; id: number }[]).filter((d) => d.kind === 'outbound').map((d) => d.id)).toContain(dead.id);
    expect(fake.sent.length).toBe(sentBefore);
    const retried = await runCli(['dead-letters', 'retry', `outbound:${dead.id}`], env);
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain('1 of 1 queued again');
    // a worker's sweep queues it (every second here), and exactly one worker sends it
    await until('the retried reply sent', () => fake.sent.length > sentBefore, 15_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(fake.sent.filter((m) => m.To === p.From)).toHaveLength(1);
    expect((await store.listDeadLetters()).some((d) => d.id === dead.id && d.kind === 'outbound')).toBe(false);
  }, 60_000);
});
