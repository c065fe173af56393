import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli, startBridge, type BridgeProcess } from '../support/bridge-process.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { postSigned, smsBridgeEnv, smsParams, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_PUBLIC_BASE_URL } from '../support/sms-webhooks.ts';
import { until } from '../support/wait.ts';
import { Ext4Disk, ext4DiskMissing } from '../support/ext4-disk.ts';
import { inCi } from '../support/system-tools.ts';

// A small disk of its own is a tmpfs, which only root may mount (CI runs as root).
const isRoot = process.getuid?.() === 0;
const HOOK_PUBLIC = `${TEST_PUBLIC_BASE_URL}/webhooks/sms/twilio`;

function mountTmpfs(dir: string, opts: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir]);
}
const unmount = (dir: string) => execFileSync('umount', ['-l', dir]);

/** fills the file system under `dir` to the last byte */
function fill(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  // and the last few bytes a 64 KB write could not take
  const small = openSync(`${file}.tail`, 'w');
  try {
    for (;;) writeSync(small, Buffer.alloc(512));
  } catch {
    // full
  } finally {
    closeSync(small);
  }
}

describe.skipIf(!isRoot)('the store on a disk that fills up (the bridge as a child process, a 16 MB tmpfs)', () => {
  let fake: FakeTwilioApi;
  let root: string;
  let disk: string;
  let bridge: BridgeProcess;

  beforeAll(async () => {
    fake = await startFakeTwilioApi({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN });
    root = mkdtempSync(join(tmpdir(), 'pmc-disk-'));
    disk = join(root, 'disk');
    mountTmpfs(disk, 'size=16m');
    bridge = await startBridge(smsBridgeEnv(join(disk, 'bridge.db'), fake.url), await freePort());
  });
  afterAll(async () => {
    bridge?.proc.kill('SIGKILL');
    await bridge?.exited;
    unmount(disk);
    rmSync(root, { recursive: true, force: true });
    await fake?.close();
  });

  const readyz = async () => {
    const res = await fetch(`${bridge.url}/readyz`);
    return { status: res.status, body: (await res.json()) as { ready: boolean; store: { writable: boolean; error?: string } } };
  };

  it('answers webhooks 503 and /readyz 503 while the disk is full, and both recover when space is freed', async () => {
    expect((await postSigned(`${bridge.url}/webhooks/sms/twilio`, HOOK_PUBLIC, smsParams(900))).status).toBe(200);
    expect((await readyz()).status).toBe(200);

    fill(join(disk, 'filler'));
    // a burst of webhooks: none may be acknowledged unless it was written
    const statuses = [];
    for (let i = 901; i < 921; i++) {
      const res = await postSigned(`${bridge.url}/webhooks/sms/twilio`, HOOK_PUBLIC, smsParams(i));
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses).toContain(503);
    const full = await until('/readyz to say the store cannot be written', async () => {
      const r = await readyz();
      return r.status === 503 && !r.body.store.writable ? r : undefined;
    });
    expect(full.body).toMatchObject({ ready: false, store: { writable: false } });
    expect(full.body.store.error).toMatch(/bytes free, less than store.minFreeBytes/);

    rmSync(join(disk, 'filler'));
    rmSync(join(disk, 'filler.tail'));
    await until('/readyz to be ready again', async () => (await readyz()).status === 200);
    const after = await postSigned(`${bridge.url}/webhooks/sms/twilio`, HOOK_PUBLIC, smsParams(930));
    expect(after.status).toBe(200);
    // each acknowledged message was filed and answered
    const acknowledged = 2 + statuses.filter((s) => s === 200).length;
    await until('a reply to every acknowledged message', () => fake.sent.length >= acknowledged, 20_000);
    expect(fake.sent).toHaveLength(acknowledged);
  });
});

// skipped on a machine that cannot make the disk, saying why; in CI (root, Debian) it runs
const noExt4 = ext4DiskMissing();
describe.skipIf(noExt4 !== undefined && !inCi())(`the store on a disk the kernel turns read-only mid-stream (a child bridge, an ext4 loop disk)${noExt4 ? ` — needs ${noExt4}` : ''}`, () => {
  let fake: FakeTwilioApi;
  let root: string;
  let disk: Ext4Disk;
  let env: Record<string, string>;
  let bridge: BridgeProcess | undefined;

  beforeAll(async () => {
    fake = await startFakeTwilioApi({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN });
    root = mkdtempSync(join(tmpdir(), 'pmc-rodisk-'));
    disk = new Ext4Disk(root);
    disk.create();
    env = smsBridgeEnv(join(disk.dir, 'bridge.db'), fake.url);
  });
  afterAll(async () => {
    bridge?.proc.kill('SIGKILL');
    await bridge?.exited;
    disk?.destroy();
    rmSync(root, { recursive: true, force: true });
    await fake?.close();
  });

  const post = async (b: BridgeProcess, i: number): Promise<number> => {
    const res = await postSigned(`${b.url}/webhooks/sms/twilio`, HOOK_PUBLIC, smsParams(i));
    await res.arrayBuffer();
    return res.status;
  };

  it('answers 503 (never 2xx, never 500) while read-only, and every message it acknowledged is one ticket and one reply', async () => {
    bridge = await startBridge(env, await freePort());
    const status = new Map<number, number>();
    let readOnlyAt = Number.POSITIVE_INFINITY;
    const sentAfter = new Set<number>();
    let next = 2000;
    const stream = async () => {
      while (sentAfter.size < 20) {
        const i = next++;
        if (Date.now() > readOnlyAt) sentAfter.add(i);
        status.set(i, await post(bridge!, i));
        // mid-stream: webhooks, filing and sends all in flight
        if (readOnlyAt === Number.POSITIVE_INFINITY && [...status.values()].filter((s) => s === 200).length >= 25) {
          disk.failReadOnly();
          readOnlyAt = Date.now();
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, stream));

    // in flight at that moment: either; sent after it: refused, so Twilio delivers it again later
    expect([...new Set(status.values())].sort()).toEqual([200, 503]);
    expect([...sentAfter].map((i) => status.get(i))).toEqual([...sentAfter].map(() => 503));
    const ro = await until('/readyz to say the store cannot be written', async () => {
      const res = await fetch(`${bridge!.url}/readyz`);
      const body = (await res.json()) as { ready: boolean; store: { writable: boolean; error?: string } };
      // 503 comes first from the failed archives; the write check (at most once a second) then says why
      return res.status === 503 && !body.store.writable ? body : undefined;
    });
    expect(ro).toMatchObject({ ready: false, store: { writable: false } });
    expect(ro.store.error).toMatch(/^the store cannot be written: /);

    // a stop lets go of the disk (and does not crash on it); then the operator's repair and a start
    bridge.proc.kill('SIGTERM');
    const stopped = bridge;
    expect(await stopped.exited, stopped.output().split('\n').filter((l) => /stop|error/i.test(l)).slice(-5).join('\n')).toEqual({ code: 0, signal: null });
    disk.repair();
    bridge = await startBridge(env, await freePort());
    const refused = [...status].filter(([, s]) => s !== 200).map(([i]) => i);
    const fresh = [next, next + 1];
    for (const i of [...refused, ...fresh]) expect(await post(bridge, i)).toBe(200);
    const all = [...status.keys(), ...fresh];
    await until('a reply to every message', () => fake.sent.length >= all.length, 30_000);
    bridge.proc.kill('SIGTERM');
    expect((await bridge.exited).code).toBe(0);

    const listed = await runCli(['tickets', 'list', '--json'], env);
    const tickets = JSON.parse(listed.stdout) as { ticketNo: string; sources: { externalId: string }[] }[];
    const sids = tickets.flatMap((t) => t.sources.map((s) => s.externalId));
    expect(sids.sort()).toEqual(all.map((i) => smsParams(i).MessageSid).sort());
    // one reply per ticket, to the citizen who wrote: a send whose claim the disk lost must not go twice
    const repliesTo = all.map((i) => {
      const ticket = tickets.find((t) => t.sources.some((s) => s.externalId === smsParams(i).MessageSid))!;
      return fake.sent.filter((m) => /PMC\d+/u.exec(m.Body ?? '')?.[0] === ticket.ticketNo).map((m) => m.To);
    });
    expect(repliesTo).toEqual(all.map((i) => [smsParams(i).From]));
  }, 60_000);
});

describe('a store that cannot be opened at start', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'pmc-ro-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is not a database: exits 78 naming STORE_URL, the file and why', async () => {
    const file = join(root, 'garbage.db');
    writeFileSync(file, 'कचरा '.repeat(2000));
    const out = await runCli(['start'], { STORE_URL: `sqlite:${file}`, PORT: String(await freePort()) });
    expect(out.code).toBe(78);
    expect(out.stderr).toContain(`STORE_URL=sqlite:${file}`);
    expect(out.stderr).toMatch(/not a SQLite database/);
    expect(out.stderr).not.toMatch(/\n\s+at /); // no stack
  });

  it.skipIf(!isRoot)('is on a read-only disk: exits 78 naming STORE_URL, the file and why', async () => {
    const ro = join(root, 'ro');
    mountTmpfs(ro, 'size=1m,ro');
    try {
      for (const file of [join(ro, 'bridge.db'), join(ro, 'data', 'bridge.db')]) {
        const out = await runCli(['start'], { STORE_URL: `sqlite:${file}`, PORT: String(await freePort()) });
        expect(out.code, out.stderr).toBe(78);
        expect(out.stderr).toContain(`STORE_URL=sqlite:${file}`);
        expect(out.stderr).toMatch(/read-only|cannot be (opened|created)/);
        expect(out.stderr).not.toMatch(/\n\s+at /);
      }
    } finally {
      unmount(ro);
    }
  });
});
