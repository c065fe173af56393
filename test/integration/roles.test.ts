import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { freePort, ownedByTest, ROOT, startBridge } from '../support/bridge-process.ts';
import { startFakeTwilioApi } from '../support/fake-twilio-api.ts';
import { postSigned, smsBridgeEnv, smsParams } from '../support/sms-webhooks.ts';
import { until } from '../support/wait.ts';

describe('a web process and a worker process on one SQLite file', () => {
  let dir: string;
  let fake: Awaited<ReturnType<typeof startFakeTwilioApi>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pmc-roles-'));
    fake = await startFakeTwilioApi();
    env = smsBridgeEnv(join(dir, 'bridge.db'), fake.url);
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the web process only archives; the worker files the tickets and sends the replies', async () => {
    const web = await startBridge({ ...env, PMC_ROLE: 'web' }, await freePort());
    const publicUrl = 'https://bridge.example.test/webhooks/sms/twilio';
    const sids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const p = smsParams(7000 + i);
      sids.push(p.MessageSid!);
      expect((await postSigned(`${web.url}/webhooks/sms/twilio`, publicUrl, p)).status).toBe(200);
    }
    const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
    try {
      // archived, acknowledged, and left for a worker
      await new Promise((r) => setTimeout(r, 300));
      expect((await store.stats()).inbound.pending).toBe(6);
      expect(await store.listTickets()).toHaveLength(0);

      const worker = ownedByTest(spawn(process.execPath, ['bin/pmc-bridge.js', 'start', '--role', 'worker'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      }));
      const exited = new Promise<number | null>((r) => worker.once('exit', (c) => r(c)));
      const deadline = Date.now() + 15_000;
      while ((await store.stats()).outbox.sent < 6) {
        if (Date.now() > deadline) throw new Error('the worker did not send the replies');
        await new Promise((r) => setTimeout(r, 100));
      }
      const tickets = await store.listTickets();
      expect(tickets.flatMap((t) => t.sources.map((s) => s.externalId)).sort()).toEqual([...sids].sort());
      for (const t of tickets) expect(fake.sent.filter((m) => m.Body?.includes(t.ticketNo))).toHaveLength(1);
      worker.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await store.close();
      web.proc.kill('SIGTERM');
      await web.exited;
    }
  });

  it('a worker with nothing to do keeps running until SIGTERM, then exits 0', async () => {
    const worker = ownedByTest(spawn(process.execPath, ['bin/pmc-bridge.js', 'start', '--role', 'worker'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env, STORE_URL: `sqlite:${join(dir, 'idle.db')}` },
      stdio: ['ignore', 'ignore', 'pipe'],
    }));
    let banner = '';
    worker.stderr!.on('data', (d: Buffer) => (banner += d.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null }>((r) => worker.once('exit', (code, signal) => r({ code, signal })));
    let gone = false;
    void exited.then(() => (gone = true));
    await until('the worker banner', () => banner.includes('worker started') || gone);
    // an idle worker used to exit as soon as it had started: give it the time to do so
    await new Promise((r) => setTimeout(r, 1000));
    expect(gone).toBe(false);
    worker.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
  });
});
