import { ConfigError } from '../config/load.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

export interface OpenStoreOptions {
  ticketPrefix: string;
  firstTicketNumber: number;
  archiveSync?: 'FULL' | 'NORMAL';
}

const FORMS = 'sqlite:path/to/file.db (relative or absolute), sqlite::memory:, or mongodb://…';

/** Picks the Store implementation from STORE_URL: the one place a new store is wired in. */
export function openStore(url: string, opts: OpenStoreOptions): Store {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file === '') throw new ConfigError(`STORE_URL "${url}" names no file: use ${FORMS}`);
    return SqliteStore.open(file, opts);
  }
  if (/^mongodb(\+srv)?:\/\//.test(url)) {
    throw new ConfigError(
      'STORE_URL points at MongoDB, but the MongoDB store is not built yet (a later issue): use sqlite:path/to/file.db for now',
    );
  }
  // the URL may carry a password: name its scheme only
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? '(no scheme)';
  throw new ConfigError(`STORE_URL with scheme ${scheme} is not supported: use ${FORMS}`);
}
