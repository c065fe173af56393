import type { ClientSession, Connection, mongo } from 'mongoose';
import { inTransaction } from './connection.ts';
import { isDuplicateKey } from './mongo-errors.ts';
import { opt } from '../optional-field.ts';

/** `{ session }` when there is one: the options every operation inside a transaction carries */
export const sess = (session?: ClientSession): { session?: ClientSession } => (session ? { session } : {});

// a unique index refused a write because a concurrent writer made the same key first: inside a transaction the
// server aborts it, so the whole unit runs again and now finds what the other writer made (the E11000 re-read)
const DUPLICATE_RETRIES = 3;

/**
 * Runs `work` in one transaction; when a unique index refuses one of its writes (E11000: another process filed
 * the same source, enqueued the same key, saw the same new citizen at the same moment), runs it again from the
 * start, so it reads what the other writer made instead of failing. Transient errors (write conflicts) are
 * retried by the driver (withTransaction). `work` must be free of other side effects: it may run more than once.
 */
export async function atomically<T>(conn: Connection, work: (session: ClientSession) => Promise<T>, opts?: mongo.TransactionOptions): Promise<T> {
  return rerunOnDuplicate(() => (opts ? conn.transaction(work, opts) : inTransaction(conn, work)));
}

/** runs `unit` again (up to `tries` in all) while it fails on a duplicate key; any other error at once */
export async function rerunOnDuplicate<T>(unit: () => Promise<T>, tries = DUPLICATE_RETRIES): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await unit();
    } catch (err) {
      if (!isDuplicateKey(err) || attempt >= tries) throw err;
    }
  }
}

/** the ISO form every time is kept in: it sorts as text, as SQLite's do */
export const iso = (d: Date): string => d.toISOString();

/** a value an aggregation update must take as written (a string starting with `$` is otherwise a field path) */
export const lit = <T>(value: T): { $literal: T } => ({ $literal: value });

// the MongoDB part files take it from here, beside the other small helpers they share
export { opt };
