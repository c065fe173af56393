import type { Store } from '../store/store.ts';

/** since: the first failure in a row (ISO); lastAt: the latest one (ms since the epoch) */
export type ArchiveHealth = { ok: true } | { ok: false; since: string; lastAt: number; error: string };

export interface StoreReadiness {
  kind: string;
  ok: boolean;
  /** a read answered */
  reachable: boolean;
  /** a real write was made durable */
  writable: boolean;
  error?: string;
}

// /readyz is public and balancers poll it every few seconds: one write check a second is plenty, and no caller
// can make the store flush on demand
const CHECK_EVERY_MS = 1000;

/**
 * What /readyz says of the store: reachable (a read), writable (a real write, flushed like an archive), and not
 * failing to archive webhooks. A full or read-only disk answers reads but not writes: readiness must write.
 */
export function createReadiness(store: Store, archiveHealth?: () => ArchiveHealth, now: () => number = Date.now): () => Promise<StoreReadiness> {
  let last: { at: number; result: Promise<{ writable: boolean; error?: string }> } | undefined;
  // a balancer sends nothing to a process that is not ready, so no archive would ever succeed to clear a failure:
  // a write check that starts after the latest failed archive, and succeeds, clears it
  const writeCheck = (): Promise<{ writable: boolean; error?: string }> => {
    if (last && now() - last.at < CHECK_EVERY_MS) return last.result;
    const result = store.checkWritable().then(
      () => ({ writable: true }),
      (err: unknown) => ({ writable: false, error: `the store cannot be written: ${(err as Error).message}` }),
    );
    last = { at: now(), result };
    return result;
  };

  return async () => {
    try {
      await store.ping();
    } catch (err) {
      return { kind: store.kind, ok: false, reachable: false, writable: false, error: (err as Error).message };
    }
    const write = await writeCheck();
    const archiveNow = archiveHealth?.() ?? { ok: true };
    const archive = !archiveNow.ok && write.writable && last && last.at > archiveNow.lastAt ? { ok: true as const } : archiveNow;
    const error = write.error ?? (archive.ok ? undefined : `archiving webhooks has failed since ${archive.since}: ${archive.error}`);
    return { kind: store.kind, ok: write.writable && archive.ok, reachable: true, writable: write.writable, ...(error ? { error } : {}) };
  };
}
