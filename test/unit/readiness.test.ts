import { describe, expect, it } from 'vitest';
import { createReadiness, type ArchiveHealth } from '../../src/http/readiness.ts';
import type { Store } from '../../src/store/store.ts';

/** only the two calls readiness makes; the real stores are tested against the disk in store-disk.test.ts */
function storeThat(write: () => Promise<void>, read: () => Promise<void> = async () => undefined): Store {
  return { kind: 'test', ping: read, checkWritable: write } as unknown as Store;
}

describe('readiness of the store', () => {
  it('is not ready when a read works but a write does not (a full or read-only disk)', async () => {
    const ready = createReadiness(storeThat(async () => Promise.reject(new Error('SQLITE_FULL: database or disk is full'))));
    expect(await ready()).toMatchObject({ ok: false, reachable: true, writable: false, error: expect.stringMatching(/cannot be written: SQLITE_FULL/) });
  });

  it('is not ready after archiving a webhook failed, until a write check made after the failure succeeds', async () => {
    let clock = 1_000;
    let health: ArchiveHealth = { ok: false, since: '2026-12-01T10:00:00.000Z', lastAt: 1_500, error: 'SqliteError: disk I/O error' };
    const ready = createReadiness(storeThat(async () => undefined), () => health, () => clock);
    // the write check at 1000 started before the failure at 1500: it proves nothing about now
    expect(await ready()).toMatchObject({ ok: false, writable: true, error: expect.stringContaining('archiving webhooks has failed since 2026-12-01T10:00:00.000Z') });
    clock = 2_100;
    expect(await ready()).toMatchObject({ ok: true, writable: true });
    health = { ok: true };
    expect((await ready()).ok).toBe(true);
  });

  it('makes at most one write check a second, however often it is asked', async () => {
    let writes = 0;
    let clock = 0;
    const ready = createReadiness(storeThat(async () => void writes++), undefined, () => clock);
    for (let i = 0; i < 50; i++) await ready();
    expect(writes).toBe(1);
    clock = 1_000;
    await ready();
    expect(writes).toBe(2);
  });

  it('is not ready, and says why, when the store cannot even be read', async () => {
    const ready = createReadiness(storeThat(async () => undefined, async () => Promise.reject(new Error('database is locked'))));
    expect(await ready()).toMatchObject({ ok: false, reachable: false, writable: false, error: 'database is locked' });
  });
});
