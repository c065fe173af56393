import type Database from 'better-sqlite3';

const isBusy = (err: unknown): boolean => typeof (err as { code?: unknown })?.code === 'string' && (err as { code: string }).code.startsWith('SQLITE_BUSY');

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * Small writes handed in during one turn of the event loop (a bot turn's contact, ticket and state, a send's claim
 * and its "sent") committed together: one transaction, each write in a savepoint of its own, so a write that throws
 * (a stale eTag) is rolled back alone and its caller alone gets the error. Each caller's promise settles only once
 * the whole transaction is committed, so "written" means what it meant when each write was its own transaction.
 * What costs SQLite is the commit (the WAL append and its checkpoints), not the statements: ~30 writes a commit
 * instead of one. A batch is first tried without the savepoints (two statements a write, a tenth of a bot turn's
 * SQLite time): when a write throws, that attempt is rolled back whole and the batch is written again, each write in
 * its savepoint, so only the one that threw fails. Writes are plain SQLite work, safe to run again.
 */
export class WriteBatch {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly commitAll: Database.Transaction<(batch: Pending[]) => { ok: boolean; value: unknown }[]>;
  private readonly commitPlain: Database.Transaction<(batch: Pending[]) => unknown[]>;
  /** the plain attempt got past BEGIN: an error after it came from a write, not from the file's lock */
  private begun = false;

  constructor(
    private readonly db: Database.Database,
    private readonly maxBatch = 256,
  ) {
    const each = db.transaction((work: () => unknown) => work());
    this.commitAll = db.transaction((batch: Pending[]) =>
      batch.map((p) => {
        try {
          // nested: a savepoint, rolled back by itself when the work throws
          return { ok: true, value: each(p.work) };
        } catch (err) {
          // SQLite itself rolled the whole transaction back (a full disk, an I/O error): nothing of the batch is
          // written, so the batch fails as one and is tried item by item below, each exactly once
          if (!db.inTransaction) throw err;
          return { ok: false, value: err };
        }
      }),
    );
    this.commitPlain = db.transaction((batch: Pending[]) => {
      this.begun = true;
      return batch.map((p) => p.work());
    });
  }

  /** runs `work` (synchronous SQLite writes) in the next batch; resolves with its result once committed */
  run<R>(work: () => R): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** commits what is waiting now, without waiting for the next turn (before the file is closed) */
  flushNow(): void {
    this.flush();
  }

  private flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.begun = false;
      try {
        const values = this.commitPlain.immediate(batch);
        values.forEach((v, i) => batch[i]!.resolve(v));
        continue;
      } catch (err) {
        // the file locked by another process past busy_timeout (see below): nothing ran
        if (!this.begun && isBusy(err)) {
          for (const p of batch) p.reject(err);
          continue;
        }
        // a write threw, or SQLite failed: rolled back, and written again below with each write on its own
      }
      let outcomes: { ok: boolean; value: unknown }[];
      try {
        outcomes = this.commitAll.immediate(batch);
      } catch (err) {
        // the file locked by another process past busy_timeout: trying each write alone would hold the event loop
        // for busy_timeout each; every caller gets the error now, and its own retry comes later
        if (isBusy(err)) {
          for (const p of batch) p.reject(err);
          continue;
        }
        // the batch could not be written as one (a full disk, an I/O error): each write on its own, so each caller
        // gets its own answer
        for (const p of batch) {
          try {
            p.resolve(this.db.transaction(p.work).immediate());
          } catch (own) {
            p.reject(own ?? err);
          }
        }
        continue;
      }
      outcomes.forEach((o, i) => (o.ok ? batch[i]!.resolve(o.value) : batch[i]!.reject(o.value)));
    }
  }
}
