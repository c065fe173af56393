import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { freePort, ownedByTest, ROOT, startBridge } from '../support/bridge-process.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { postSigned, smsParams, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_FROM } from '../support/sms-webhooks.ts';
import { formBody, signTwilioRequest } from '../support/twilio-signing.ts';

const PUBLIC = 'https://bridge.example.test';
const HOOK = '/webhooks/sms/twilio';
const STORE_OPTS = { ticketPrefix: 'PMC', firstTicketNumber: 10001 };

/** A slow network in front of the fake Twilio API, so that replies are really in flight when SIGTERM comes. */
async function slowLink(target: string, delayMs: number): Promise<{ url: string; inFlight: () => number; close: () => Promise<void> }> {
  let inFlight = 0;
  const server: Server = createServer((req, res) => {
    inFlight++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      setTimeout(async () => {
        try {
          const headers = Object.fromEntries(['authorization', 'content-type', 'accept'].filter((h) => req.headers[h]).map((h) => [h, String(req.headers[h])]));
          const body = req.method === 'POST' ? Buffer.concat(chunks) : undefined;
          const upstream = await fetch(target + req.url, { method: req.method ?? 'GET', headers, ...(body ? { body } : {}) });
          res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
          res.end(Buffer.from(await upstream.arrayBuffer()));
        } catch {
          res.destroy(); // the fake is gone (a failed test tearing down): the bridge sees a cut connection
        } finally {
          inFlight--;
        }
      }, delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, inFlight: () => inFlight, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

/** A signed webhook over a keep-alive agent, as senders pool connections; with `hold` it stays in flight until then. */
function post(agent: Agent, origin: string, params: Record<string, string>, hold?: Promise<unknown>): Promise<number> {
  const body = formBody(params);
  const headers = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), 'x-twilio-signature': signTwilioRequest(TEST_AUTH_TOKEN, PUBLIC + HOOK, params) };
  return new Promise((resolve, reject) => {
    const req = request(origin + HOOK, { method: 'POST', agent, headers }, (res) => res.resume().on('end', () => resolve(res.statusCode!)));
    req.on('error', reject);
    if (!hold) return void req.end(body);
    req.write(body.slice(0, 10));
    void hold.then(() => req.end(body.slice(10)));
  });
}

/** `pmc-bridge start` as `npm start` runs it, stdout and stderr kept apart; killed if still up after `ms`. */
function spawnStart(env: Record<string, string>, ms = 20_000) {
  const proc = ownedByTest(spawn(process.execPath, ['bin/pmc-bridge.js', 'start'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  let [stdout, stderr] = ['', ''];
  proc.stdout.on('data', (d) => (stdout += d)).setEncoding('utf8');
  proc.stderr.on('data', (d) => (stderr += d)).setEncoding('utf8');
  const timer = setTimeout(() => proc.kill('SIGKILL'), ms);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => (clearTimeout(timer), resolve({ code, signal }))),
  );
  return { proc, exited, stdout: () => stdout, stderr: () => stderr };
}

/** how the process ended, or 'still running' if it has not within `ms` */
const exitWithin = (p: Promise<unknown>, ms: number) => Promise.race([p, new Promise((r) => setTimeout(() => r('still running'), ms))]);

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  for (const deadline = Date.now() + ms; !(await check()); await new Promise((r) => setTimeout(r, 50)))
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
}

describe('stopping and refusing to start', () => {
  let dir: string;
  let fake: FakeTwilioApi;
  let link: Awaited<ReturnType<typeof slowLink>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pmc-shutdown-'));
    fake = await startFakeTwilioApi();
    link = await slowLink(fake.url, 300);
  });
  afterAll(async () => {
    await link?.close();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const smsEnv = (file: string) => ({ STORE_URL: `sqlite:${file}`, PUBLIC_BASE_URL: PUBLIC, TWILIO_API_BASE: link.url,
    TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID, TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, TWILIO_FROM: TEST_FROM });

  it('SIGTERM while webhooks stream in: exit 0, nothing half-sent, every acknowledged message filed and answered once', async () => {
    const file = join(dir, 'sigterm.db');
    const env = smsEnv(file);
    // enough that the stream outlasts the moment replies are in flight (the stop condition), however slow the machine:
    // after SIGTERM the rest fail fast
    const N = 1000;
    const bridge = await startBridge(env, await freePort());
    const agent = new Agent({ keepAlive: true, maxSockets: 10 });
    // one complaint first, answered end to end: the send path is warm before the stream starts
    expect(await post(agent, bridge.url, smsParams(N, { Body: 'कात्रजमध्ये कचरा उचलला नाही' }))).toBe(200);
    await until('the first reply', () => fake.sent.length > 0);
    const status = new Map<number, number | 'error'>();
    let [next, sendsInFlightAtKill, killedAt] = [0, 0, undefined as number | undefined];
    const worker = async (): Promise<void> => {
      while (next < N) {
        const i = next++;
        status.set(i, await post(agent, bridge.url, smsParams(i)).catch(() => 'error' as const));
        await new Promise((r) => setTimeout(r, 15)); // ~600 webhooks a second: a burst that lasts a while
        // stop once ~50 are answered and replies are on their way to Twilio
        if (killedAt === undefined && status.size >= 50 && link.inFlight() > 0) {
          killedAt = Date.now();
          sendsInFlightAtKill = link.inFlight();
          bridge.proc.kill('SIGTERM');
        }
      }
    };
    await Promise.all(Array.from({ length: 10 }, worker));
    agent.destroy(); // the sender drops its idle connections (one left idle holds the exit: see the next test)
    expect(killedAt, 'the stream ended before the stop condition').toBeDefined();
    const exit = await exitWithin(bridge.exited, 10_000 - (Date.now() - killedAt!));
    bridge.proc.kill('SIGKILL'); // a no-op unless it hung
    expect(exit).toEqual({ code: 0, signal: null });
    expect(sendsInFlightAtKill).toBeGreaterThan(0);

    const acknowledged = [...status].filter(([, s]) => s === 200).map(([i]) => smsParams(i).MessageSid!);
    expect(acknowledged.length).toBeGreaterThanOrEqual(50);
    expect(acknowledged.length).toBeLessThan(N); // the stop really cut the stream
    expect([...status.values()].every((s) => s === 200 || s === 503 || s === 'error')).toBe(true);

    let store = SqliteStore.open(file, STORE_OPTS);
    try {
      const s = await store.stats();
      expect(s.outbox.sending).toBe(0); // the sends in flight finished before the exit
      expect(s.outbox.sent).toBeGreaterThanOrEqual(sendsInFlightAtKill);
      for (const sid of acknowledged) expect(await store.getInboundBySource({ channel: 'sms', accountId: TEST_FROM, externalId: sid }), sid).toBeDefined();
    } finally {
      await store.close();
    }

    // the next start resumes what was archived but not yet filed or answered
    const again = await startBridge(env, await freePort());
    store = SqliteStore.open(file, STORE_OPTS);
    try {
      await until('every acknowledged message answered', async () => {
        const sent = new Set((await store.listOutbox({ state: 'sent' })).map((e) => e.message.inReplyTo));
        return acknowledged.every((sid) => sent.has(sid));
      });
      const tickets = await store.listTickets();
      const outbox = await store.listOutbox();
      for (const sid of acknowledged) {
        const mine = tickets.filter((t) => t.sources.some((x) => x.externalId === sid));
        expect(mine, sid).toHaveLength(1);
        const replies = outbox.filter((e) => e.message.inReplyTo === sid);
        expect(replies.map((e) => e.state), sid).toEqual(['sent']);
        expect(fake.sent.filter((m) => m.Body?.includes(mine[0]!.ticketNo)), sid).toHaveLength(1);
      }
    } finally {
      await store.close();
      again.proc.kill('SIGTERM');
      expect((await again.exited).code).toBe(0);
    }
  }, 40_000);

  // server.close() drops only the keep-alive connections idle at that moment: one busy with a webhook, answered
  // with keep-alive, would idle in the sender's pool afterwards and hold the exit for the keep-alive timeout (72 s)
  it('a webhook in flight at SIGTERM is answered, and its idle keep-alive connection does not hold the exit', async () => {
    const bridge = await startBridge(smsEnv(join(dir, 'keep-alive.db')), await freePort());
    const agent = new Agent({ keepAlive: true });
    try {
      let release!: () => void;
      const answered = post(agent, bridge.url, smsParams(7, { Body: 'हडपसरमध्ये पथदिवे बंद आहेत' }), new Promise<void>((r) => (release = r)));
      await new Promise((r) => setTimeout(r, 200)); // headers are in: the request is in flight
      bridge.proc.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      release();
      expect(await answered).toBe(200);
      expect(await exitWithin(bridge.exited, 3_000)).toEqual({ code: 0, signal: null });
    } finally {
      agent.destroy();
      bridge.proc.kill('SIGKILL');
      await bridge.exited;
    }
  });

  it('with no TWILIO_* set: starts, says SMS is off and why, and mounts no SMS route', async () => {
    const port = await freePort();
    const b = spawnStart({ STORE_URL: `sqlite:${join(dir, 'no-sms.db')}`, PORT: String(port) });
    try {
      let res: Response | undefined;
      await until('/readyz', async () => (res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200);
      const ready = (await res!.json()) as { ready: boolean; channels: Record<string, { on: boolean; reason: string }> };
      await until('the banner', () => /channels:/u.test(b.stderr()), 5_000);
      const line = /^\s+sms\s+off\s+(.+)$/mu.exec(b.stderr()); // the banner goes to stderr, logs to stdout
      expect(line?.[1], b.stderr()).toContain('TWILIO_ACCOUNT_SID');
      expect(ready.ready).toBe(true);
      expect(ready.channels.sms).toEqual({ on: false, reason: line![1]!.trim() });

      const hook = await postSigned(`http://127.0.0.1:${port}${HOOK}`, `http://127.0.0.1:${port}${HOOK}`, smsParams(1, { Body: 'पाणी येत नाही' }));
      expect(hook.status).toBe(404);
    } finally {
      b.proc.kill('SIGTERM');
      expect((await b.exited).code).toBe(0);
    }
  });

  it('a bad config value stops the start with exit 78, naming the key and its variable', async () => {
    const b = spawnStart({ STORE_URL: `sqlite:${join(dir, 'bad-port.db')}`, PORT: 'abc' });
    expect((await b.exited).code).toBe(78);
    expect(b.stderr()).toContain('server.port (PORT)');
    expect(b.stderr()).toMatch(/^pmc-bridge: invalid configuration: /mu);
  });

  let mongo: Promise<{ code: number | null; stderr: string }> | undefined;
  const startOnMongo = () =>
    (mongo ??= (async () => {
      const b = spawnStart({ STORE_URL: 'mongodb://localhost/x', PORT: String(await freePort()) });
      return { code: (await b.exited).code, stderr: b.stderr() };
    })());

  it('STORE_URL=mongodb://… with no MongoDB there stops the start, naming STORE_URL and what to check', async () => {
    const { code, stderr } = await startOnMongo();
    expect(code).not.toBe(0);
    expect(code).not.toBeNull(); // it exited, it was not killed for hanging
    expect(stderr).toContain('STORE_URL=mongodb://localhost/x: cannot open the MongoDB store');
    expect(stderr).toContain('replica set');
  });

  // a store URL the bridge cannot use is a configuration error like any other: one line, exit 78, no stack trace
  it('…as one line with exit 78, like any other bad config value, not an uncaught exception', async () => {
    const { code, stderr } = await startOnMongo();
    expect(stderr).toMatch(/^pmc-bridge: STORE_URL=mongodb:\/\/localhost\/x: cannot open/mu);
    expect(stderr).not.toMatch(/^\s+at /mu);
    expect(code).toBe(78);
  });
});
