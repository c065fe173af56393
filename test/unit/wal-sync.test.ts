import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WalSync } from '../../src/store/sqlite/wal-sync.ts';

/** Records when each flush starts and ends, around the real fdatasync. */
class RecordingWalSync extends WalSync {
  readonly log: string[] = [];
  private n = 0;
  protected override async flush(): Promise<void> {
    const k = ++this.n;
    this.log.push(`start ${k}`);
    await new Promise((r) => setTimeout(r, 10));
    await super.flush();
    this.log.push(`end ${k}`);
  }
}

async function until(ok: () => boolean): Promise<void> {
  while (!ok()) await new Promise((r) => setTimeout(r, 1));
}

describe('WAL sync (durable archive without blocking the event loop)', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const walFile = () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmc-wal-'));
    dirs.push(dir);
    const f = join(dir, 'bridge.db-wal');
    writeFileSync(f, 'frames');
    return f;
  };

  it('lets the callers that arrive during a flush share the next one', async () => {
    const w = new RecordingWalSync(walFile());
    const first = w.sync();
    const during = Array.from({ length: 5 }, () => w.sync());
    await Promise.all([first, ...during]);
    expect(w.log).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
    await w.close();
  });

  it('never answers a caller with a flush that started before it called', async () => {
    // each flush waits for the test to let it go, so the order does not depend on how fast this machine is
    const gates: Array<() => void> = [];
    class GatedWalSync extends RecordingWalSync {
      protected override async flush(): Promise<void> {
        await new Promise<void>((r) => gates.push(r));
        await super.flush();
      }
    }
    const w = new GatedWalSync(walFile());
    const first = w.sync();
    await until(() => gates.length === 1); // flush 1 is running
    let answered = false;
    const late = w.sync().then(() => (answered = true));
    gates[0]!();
    await first; // flush 1 has ended…
    expect(w.log).toEqual(['start 1', 'end 1']);
    await until(() => gates.length === 2);
    expect(answered).toBe(false); // …but the late caller waits for flush 2
    gates[1]!();
    await late;
    expect(w.log.at(-1)).toBe('end 2');
    await w.close();
  });

  it('fails loudly when the WAL cannot be flushed, so the webhook is not acknowledged', async () => {
    const w = new WalSync(join(tmpdir(), 'pmc-no-such-dir', 'bridge.db-wal'));
    await expect(w.sync()).rejects.toThrow(/ENOENT/);
  });

  it('closes, and so lets the process stop, while a flush fails on a broken disk; a caller after it gets a flush of its own', async () => {
    let fail!: (err: Error) => void;
    let flushes = 0;
    class FailingOnceWalSync extends WalSync {
      protected override flush(): Promise<void> {
        // the first flush meets the broken disk; the disk is back for the next
        return ++flushes === 1 ? new Promise((_, reject) => (fail = reject)) : super.flush();
      }
    }
    const w = new FailingOnceWalSync(walFile());
    const caller = w.sync();
    const queued = w.sync(); // arrived during the failing flush: it waits for a flush of its own
    const closed = w.close();
    fail(Object.assign(new Error('EROFS: read-only file system, fdatasync'), { code: 'EROFS' }));
    await expect(caller).rejects.toThrow(/EROFS/);
    await expect(queued).resolves.toBeUndefined();
    expect(flushes).toBe(2);
    await expect(closed).resolves.toBeUndefined();
  });
});
