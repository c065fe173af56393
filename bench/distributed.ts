// Distributed mode: one web and N worker processes (`pmc-bridge start`) over a private redis-server and one
// SQLite file (no MongoDB server can be had here). Throughput with 1 and 2 workers, p99 message → reply latency,
// Redis commands per message.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, startBridge, startWorker, type BridgeProcess } from '../test/support/bridge-process.ts';
import { startFakeTwilioApi } from '../test/support/fake-twilio-api.ts';
import { startRedisServer } from '../test/support/redis-server.ts';
import { copyShippedConfig } from '../test/support/shipped-config.ts';
import { ONE_CLIENT_YAML, shippedNodeArgs } from './processes.ts';
import { postSigned, smsBridgeEnv, smsParams, TEST_PUBLIC_BASE_URL } from '../test/support/sms-webhooks.ts';

export interface DrainRun {
  workers: number;
  messages: number;
  msgsPerSec: number;
}

export interface LatencyRun {
  workers: number;
  ratePerSec: number;
  messages: number;
  p50: number;
  p99: number;
  /** commands clients sent to Redis per message (MONITOR, less those run inside scripts) */
  redisCommandsPerMsg: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PUBLIC_URL = `${TEST_PUBLIC_BASE_URL}/webhooks/sms/twilio`;

interface Rig {
  env: Record<string, string>;
  web: BridgeProcess;
  redisUrl: string;
  fake: Awaited<ReturnType<typeof startFakeTwilioApi>>;
  /** when the reply to each citizen's number reached the provider */
  repliedAt: Map<string, number>;
  workers: BridgeProcess[];
  close(): Promise<void>;
}

/** a web process on a fresh SQLite file and a private redis-server, no workers yet */
async function rig(bot: boolean): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-bench-dist-'));
  const redisServer = await startRedisServer();
  const fake = await startFakeTwilioApi();
  const configDir = join(dir, 'config');
  copyShippedConfig(configDir);
  writeFileSync(join(configDir, 'local.yaml'), `${ONE_CLIENT_YAML}bot: { enabled: ${bot} }\npipeline: { sweepIntervalMs: 2000 }\n`);
  const env = { ...smsBridgeEnv(join(dir, 'bridge.db'), fake.url), QUEUE_URL: redisServer.url, PMC_CONFIG_DIR: configDir, LOG_LEVEL: 'error' };
  const web = await startBridge({ ...env, PMC_ROLE: 'web' }, await freePort(), shippedNodeArgs());
  const repliedAt = new Map<string, number>();
  let seen = 0;
  const watch = setInterval(() => {
    const now = performance.now();
    for (; seen < fake.sent.length; seen++) {
      const to = fake.sent[seen]!.To;
      if (to && !repliedAt.has(to)) repliedAt.set(to, now);
    }
  }, 2);
  const workers: BridgeProcess[] = [];
  return {
    env, web, redisUrl: redisServer.url, fake, repliedAt, workers,
    async close() {
      clearInterval(watch);
      for (const p of [web, ...workers]) {
        p.proc.kill('SIGTERM');
        await p.exited;
      }
      await fake.close();
      await redisServer.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function post(web: string, i: number): Promise<string> {
  const p = smsParams(i);
  const res = await postSigned(`${web}/webhooks/sms/twilio`, PUBLIC_URL, p);
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  return p.From!;
}

async function allReplied(r: Rig, n: number): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (r.repliedAt.size < n) {
    if (Date.now() > deadline) throw new Error(`only ${r.repliedAt.size} of ${n} replies in 5 minutes`);
    await sleep(20);
  }
}

/**
 * The CPU-bound part alone: `messages` accepted and queued while no worker runs, then `workers` worker processes
 * started together; the rate from the first reply to the last (the web process and the load are idle by then).
 */
async function drain(workers: number, messages: number, bot: boolean): Promise<DrainRun> {
  const r = await rig(bot);
  try {
    let next = 0;
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (next < messages) await post(r.web.url, 600_000 + next++);
    }));
    r.workers.push(...(await Promise.all(Array.from({ length: workers }, () => startWorker(r.env, shippedNodeArgs())))));
    await allReplied(r, messages);
    // from the first reply, so that the workers' start (the bot's training, migrations) is not counted
    const times = [...r.repliedAt.values()];
    const start = Math.min(...times);
    const end = Math.max(...times);
    return { workers, messages, msgsPerSec: Math.round((messages - 1) / ((end - start) / 1000)) };
  } finally {
    await r.close();
  }
}

/** messages at a steady rate below capacity: how long from the webhook to the reply at the provider */
async function latency(workers: number, ratePerSec: number, messages: number, bot: boolean): Promise<LatencyRun> {
  const r = await rig(bot);
  const monitor = new Redis(r.redisUrl);
  try {
    r.workers.push(...(await Promise.all(Array.from({ length: workers }, () => startWorker(r.env, shippedNodeArgs())))));
    await sleep(1_000); // the workers' first sweeps and schedules
    let clientCommands = 0;
    const mon = await monitor.monitor();
    // MONITOR shows commands run by scripts as "[0 lua]": those are not round trips
    mon.on('monitor', (_time: string, _args: string[], source: string) => void (source !== 'lua' && !source.includes('lua') && clientCommands++));
    const postedAt = new Map<string, number>();
    const start = performance.now();
    const sends: Promise<void>[] = [];
    for (let i = 0; i < messages; i++) {
      const due = start + (i * 1000) / ratePerSec;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const at = performance.now();
      sends.push(post(r.web.url, 700_000 + i).then((from) => void postedAt.set(from, at)));
    }
    await Promise.all(sends);
    await allReplied(r, messages);
    mon.disconnect();
    const latencies = [...postedAt].map(([from, at]) => r.repliedAt.get(from)! - at).sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!;
    return { workers, ratePerSec, messages, p50: Math.round(pct(0.5)), p99: Math.round(pct(0.99)), redisCommandsPerMsg: Math.round((clientCommands / messages) * 10) / 10 };
  } finally {
    monitor.disconnect();
    await r.close();
  }
}

export async function benchDistributed(messages = 3_000, bot = true): Promise<{ drains: DrainRun[]; latency: LatencyRun }> {
  const drains = [await drain(1, messages, bot), await drain(2, messages, bot)];
  return { drains, latency: await latency(2, 100, 1_000, bot) };
}
