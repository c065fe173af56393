// not from app.ts: a command that only reads the store need not load every channel's SDK
import { openConfiguredStore } from '../store/open-store.ts';
import { loadConfig } from '../config/load.ts';
import type { Store } from '../store/store.ts';

/** Opens the configured store for one command (SQLite in WAL mode lets this run beside a live bridge). */
export async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const { config } = loadConfig();
  const store = await openConfiguredStore(config);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
