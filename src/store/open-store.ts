import { resolve } from 'node:path';
import { ConfigError } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';
import type { OutboundMessage } from '../model/index.ts';
import { withDlt } from '../connectors/sms/dlt.ts';

export interface OpenStoreOptions {
  ticketPrefix: string;
  firstTicketNumber: number;
  archiveSync?: 'FULL' | 'NORMAL';
  minFreeBytes?: number;
  /** what every outbound message gets before it is written to the outbox (an SMS its DLT ids) */
  prepareOutbound?: (message: OutboundMessage) => OutboundMessage;
  /** MongoDB: how long to wait for a server at start before giving up (default 5 s) */
  connectTimeoutMs?: number;
}

const FORMS = 'sqlite:path/to/file.db (relative or absolute), sqlite::memory:, or mongodb://…';

const MONGO = /^mongodb(\+srv)?:\/\//;

/**
 * Picks the Store implementation from STORE_URL: the one place a new store is wired in. Synchronous, for SQLite;
 * MongoDB connects before it can answer, so it opens through openStoreAsync.
 */
export function openStore(url: string, opts: OpenStoreOptions): Store {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file === '') throw new ConfigError(`STORE_URL "${url}" names no file: use ${FORMS}`);
    try {
      return SqliteStore.open(file, opts);
    } catch (err) {
      throw cannotOpen(url, file, err);
    }
  }
  if (MONGO.test(url)) throw new ConfigError('STORE_URL points at MongoDB, which opens asynchronously: open it with openStoreAsync (openConfiguredStore does)');
  // the URL may carry a password: name its scheme only
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? '(no scheme)';
  throw new ConfigError(`STORE_URL with scheme ${scheme} is not supported: use ${FORMS}`);
}

/** Any store STORE_URL names, MongoDB included; an unreachable or unusable MongoDB is a ConfigError naming STORE_URL. */
export async function openStoreAsync(url: string, opts: OpenStoreOptions): Promise<Store> {
  if (!MONGO.test(url)) return openStore(url, opts);
  // loaded only when asked for: a SQLite deployment never loads mongoose
  const { MongoStore } = await import('./mongo/mongo-store.ts');
  const { redactMongoUrl } = await import('./mongo/connection.ts');
  try {
    return await MongoStore.open(url, opts);
  } catch (err) {
    throw new ConfigError(
      `STORE_URL=${redactMongoUrl(url)}: cannot open the MongoDB store: ${(err as Error).message.split(url).join(redactMongoUrl(url))}. ` +
        'Check that MongoDB is running and reachable from here, that the host, port, user and password in STORE_URL are right, ' +
        'and that it is a replica set (transactions need one: README, "The store on MongoDB").',
    );
  }
}

// what SQLite (or the file system) said, in words the operator can act on
const WHY: Record<string, string> = {
  SQLITE_CANTOPEN: 'the file or its folder cannot be opened for writing (read-only disk or mount, missing permission)',
  SQLITE_READONLY: 'the file is read-only (the bridge writes to it, and to its -wal and -shm files beside it)',
  SQLITE_READONLY_DBMOVED: 'the file was moved or replaced while open',
  SQLITE_NOTADB: 'the file is not a SQLite database',
  SQLITE_CORRUPT: 'the database file is damaged: restore it from a backup',
  SQLITE_FULL: 'the disk is full',
  SQLITE_BUSY: 'another program holds the file locked',
  SQLITE_IOERR: 'the disk reported an I/O error',
  EACCES: 'its folder cannot be created or written (permission denied)',
  EROFS: 'its folder is on a read-only file system',
  EPERM: 'its folder cannot be created or written (operation not permitted)',
  // what a recursive mkdir says on a read-only mount, as well as under a missing parent
  ENOENT: 'its folder cannot be created (a read-only file system, or a path that cannot exist)',
  ENOSPC: 'the disk is full',
  ENOTDIR: 'a part of its path is a file, not a folder',
};

/** A store that cannot be opened is a configuration problem (exit 78), named by its key and file, not a stack. */
function cannotOpen(url: string, file: string, err: unknown): Error {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return err as Error;
  const why = WHY[code] ?? WHY[code.split('_').slice(0, 2).join('_')];
  if (!why && !code.startsWith('SQLITE_')) return err as Error;
  const where = file === ':memory:' ? file : resolve(file);
  return new ConfigError(`STORE_URL=${url}: cannot open ${where}: ${why ?? (err as Error).message} (${code}). Fix the file or point STORE_URL at a writable one.`);
}

/** The store the config names (STORE_URL), with its ticket numbering and durability settings. */
export async function openConfiguredStore(config: Readonly<Config>): Promise<Store> {
  return openStoreAsync(config.store.url, {
    ticketPrefix: config.tickets.prefix,
    firstTicketNumber: config.tickets.firstNumber,
    archiveSync: config.store.archiveSync,
    minFreeBytes: config.store.minFreeBytes,
    // every SMS kind carries its DLT ids on its outbox entry, whoever queues it
    prepareOutbound: (m) => withDlt(m, config.channels.sms.dlt),
  });
}
