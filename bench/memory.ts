// RSS of the bridge as shipped (`npm start`: node with its heap settings, role all, SMS on against the fake Twilio API, the bot on) while
// 100k signed webhooks go through it: each a new citizen, filed and answered. Sampled from /proc, every second.
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/support/bridge-process.ts';
import { startFakeTwilioApi } from '../test/support/fake-twilio-api.ts';
import { copyShippedConfig } from '../test/support/shipped-config.ts';
import { postSigned, smsBridgeEnv, smsParams, TEST_PUBLIC_BASE_URL } from '../test/support/sms-webhooks.ts';
import { ONE_CLIENT_YAML, shippedStart, spawnReady, stop } from './processes.ts';

const ROUTE = '/webhooks/sms/twilio';
const rssMb = (pid: number) => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024);

export interface MemorySample {
  /** messages answered so far */
  messages: number;
  rssMb: number;
}

export async function benchMemory(total = Number(process.env.BENCH_MESSAGES ?? 100_000)): Promise<{ samples: MemorySample[]; idleMb: number; seconds: number }> {
  const fake = await startFakeTwilioApi();
  const dir = mkdtempSync(join(tmpdir(), 'pmc-memory-'));
  copyShippedConfig(join(dir, 'config'));
  writeFileSync(join(dir, 'config/local.yaml'), ONE_CLIENT_YAML);
  const port = await freePort();
  const proc = await spawnReady(shippedStart(), { PMC_CONFIG_DIR: join(dir, 'config'), ...smsBridgeEnv(join(dir, 'bridge.db'), fake.url), ATTACHMENTS_DIR: join(dir, 'attachments') }, port);
  const pid = proc.pid!;
  await new Promise((r) => setTimeout(r, 2000));
  const idleMb = rssMb(pid);
  const answered = () => fake.sent.length;
  const samples: MemorySample[] = [{ messages: 0, rssMb: idleMb }];
  const sampler = setInterval(() => samples.push({ messages: answered(), rssMb: rssMb(pid) }), 1000);
  const t0 = performance.now();
  let next = 0;
  // 32 senders, and no more than 2,000 messages ahead of the replies: a provider waits on its answers
  const sender = async () => {
    while (next < total) {
      if (next - answered() > 2_000) {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      const res = await postSigned(`http://127.0.0.1:${port}${ROUTE}`, TEST_PUBLIC_BASE_URL + ROUTE, smsParams(5_000_000 + next++));
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: 32 }, sender));
  while (answered() < total) await new Promise((r) => setTimeout(r, 50));
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  samples.push({ messages: answered(), rssMb: rssMb(pid) });
  await stop(proc);
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
  return { samples, idleMb, seconds };
}
