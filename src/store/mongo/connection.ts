import mongoose, { type ClientSession, type Connection } from 'mongoose';

/** the URL as it may be printed: without its password */
export function redactMongoUrl(url: string): string {
  return url.replace(/(mongodb(?:\+srv)?:\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/**
 * A connection of its own (not mongoose's global one), failing within `timeoutMs` when no server answers, so a
 * wrong STORE_URL is an error at start rather than a hang. Commands are not buffered while disconnected: a
 * write while MongoDB is away fails at once, as a SQLite write to a full disk does, and the caller answers 503.
 */
export async function connectMongo(url: string, timeoutMs = 5_000): Promise<Connection> {
  const conn = mongoose.createConnection(url, { serverSelectionTimeoutMS: timeoutMs, bufferCommands: false, autoIndex: false, autoCreate: false });
  try {
    await conn.asPromise();
  } catch (err) {
    // a failed start leaves no client behind that keeps the process alive or retries in the background
    await conn.close().catch(() => undefined);
    throw err;
  }
  return conn;
}

/**
 * Runs `work` in a transaction (MongoDB retries it on a transient error, so `work` must be free of other side
 * effects). Needs a replica set: a one-node replica set is enough (README).
 */
export async function inTransaction<T>(conn: Connection, work: (session: ClientSession) => Promise<T>): Promise<T> {
  return conn.transaction(work);
}
