import type { HealthReporter } from '../connectors/connector.ts';
import type { Channel } from '../model/index.ts';
import type { Store } from '../store/store.ts';

/** What the bridge knows of one account of one channel (a page, an X account, a mailbox). */
export interface AccountHealth {
  channel: Channel;
  accountId: string;
  /** ok; failing (errors that retries may get past); unauthorised (a person must act: `action`) */
  state: 'ok' | 'failing' | 'unauthorised';
  lastSuccessAt?: string;
  lastErrorAt?: string;
  lastError?: string;
  /** refusals of the credentials since the last success */
  authFailures: number;
  action?: string;
  /** which of the account's credentials are refused now ("account", "app") */
  refusedBy?: string[];
}

const KEY_PREFIX = 'health:';
const EARLIER_RUN = 'an earlier run';
// the store is told at most this often of an account that stays as it was
const PERSIST_EVERY_MS = 30_000;
// list() reads what other processes kept at most this often (/readyz is polled every few seconds)
const REFRESH_EVERY_MS = 3_000;

/**
 * Every account's health, in memory for /readyz and kept in the store (the cursors table) for `pmc-bridge
 * channels`, which reads it from another process. A change of state is written at once; more of the same, at most
 * every 30 s. In the web+worker split the worker sends and the web process answers /readyz: list() takes what the
 * store holds that is newer than its own (every 3 s at most), keeping the refusals this process saw itself.
 */
export class ChannelHealth implements HealthReporter {
  private readonly accounts = new Map<string, AccountHealth>();
  private readonly persistedAt = new Map<string, number>();
  /** by channel:account, the credentials this process itself saw refused and not since work */
  private readonly ownRefusals = new Map<string, Set<string>>();
  private refreshedAt = 0;
  private refreshing = false;

  constructor(
    private readonly store?: Store,
    private readonly now: () => Date = () => new Date(),
    private readonly onError?: (err: unknown) => void,
  ) {}

  /** told when an account that was refused works again (its held replies can go) */
  onRecovered?: (channel: Channel, accountId: string) => void;

  ok(channel: Channel, accountId: string, source = 'account'): void {
    const was = this.get(channel, accountId);
    // a refusal kept from an earlier run without its credential is cleared by any success now
    const refusedBy = (was.refusedBy ?? []).filter((s) => s !== source && s !== EARLIER_RUN);
    this.ownRefusals.get(`${channel}:${accountId}`)?.delete(source);
    if (refusedBy.length > 0) {
      // another use of the account is still refused: it stays so, only the time of this success is new
      this.put({ ...was, refusedBy, lastSuccessAt: this.now().toISOString() }, refusedBy.length !== was.refusedBy?.length);
      return;
    }
    if (was.state === 'unauthorised') this.onRecovered?.(channel, accountId);
    this.ownRefusals.delete(`${channel}:${accountId}`);
    this.put({ channel, accountId, state: 'ok', lastSuccessAt: this.now().toISOString(), authFailures: 0, ...errorOf(was) }, was.state !== 'ok');
  }

  failed(channel: Channel, accountId: string, error: string): void {
    const was = this.get(channel, accountId);
    // an account whose credentials were refused stays so until they work again: a time-out meanwhile says nothing
    const state = was.state === 'unauthorised' ? 'unauthorised' : 'failing';
    this.put({ ...was, state, lastErrorAt: this.now().toISOString(), lastError: error }, was.state !== state);
  }

  unauthorised(channel: Channel, accountId: string, error: string, action: string, source = 'account'): void {
    const was = this.get(channel, accountId);
    const refusedBy = [...new Set([...(was.refusedBy ?? []), source])];
    const key = `${channel}:${accountId}`;
    this.ownRefusals.set(key, new Set([...(this.ownRefusals.get(key) ?? []), source]));
    this.put({ ...was, state: 'unauthorised', lastErrorAt: this.now().toISOString(), lastError: error, authFailures: was.authFailures + 1, action, refusedBy }, was.state !== 'unauthorised');
  }

  isUnauthorised(channel: Channel, accountId: string): boolean {
    return this.accounts.get(`${channel}:${accountId}`)?.state === 'unauthorised';
  }

  /** every account heard of, for /readyz; starts a read of what other processes kept (seen by a later call) */
  list(): AccountHealth[] {
    this.refreshSoon();
    return [...this.accounts.values()];
  }

  private refreshSoon(): void {
    const now = this.now().getTime();
    if (!this.store || this.refreshing || now - this.refreshedAt < REFRESH_EVERY_MS) return;
    this.refreshedAt = now;
    this.refreshing = true;
    readKept(this.store)
      .then((kept) => this.takeNewer(kept))
      .catch((err: unknown) => this.onError?.(err))
      .finally(() => (this.refreshing = false));
  }

  /** another process's newer word on an account, unless this process saw it refused itself since (kept in memory only) */
  private takeNewer(kept: ReadonlyMap<string, AccountHealth>): void {
    for (const [key, theirs] of kept) {
      const mine = this.accounts.get(key);
      if (mine && latestOf(theirs) <= latestOf(mine)) continue;
      const own = [...(this.ownRefusals.get(key) ?? [])];
      if (!mine || own.length === 0) this.accounts.set(key, theirs);
      else if (theirs.state === 'unauthorised') this.accounts.set(key, { ...theirs, refusedBy: [...new Set([...(theirs.refusedBy ?? []), ...own])] });
      // else: theirs worked, but with another credential than the one refused here, which stays refused
    }
  }

  /**
   * What an earlier run kept: an account refused before a restart is shown so until it works (nothing is assumed
   * fine). `credentialsOf` says which credentials each account uses now: a refusal of one no longer in use (X's
   * bearer token removed), or kept by an older version without its credential, is cleared by the first success.
   */
  async load(credentialsOf: (channel: Channel, accountId: string) => ReadonlySet<string> = () => new Set(['account'])): Promise<void> {
    if (!this.store) return;
    for (const [key, value] of await readKept(this.store)) {
      if (this.accounts.has(key)) continue;
      if (value.state !== 'unauthorised') {
        this.accounts.set(key, value);
        continue;
      }
      const inUse = credentialsOf(value.channel, value.accountId);
      const kept = (value.refusedBy ?? []).filter((c) => inUse.has(c));
      const refusedBy = kept.length === (value.refusedBy ?? []).length && kept.length > 0 ? kept : [...kept, EARLIER_RUN];
      this.accounts.set(key, { ...value, refusedBy });
    }
  }

  private get(channel: Channel, accountId: string): AccountHealth {
    return this.accounts.get(`${channel}:${accountId}`) ?? { channel, accountId, state: 'ok', authFailures: 0 };
  }

  private put(health: AccountHealth, changed: boolean): void {
    const key = `${health.channel}:${health.accountId}`;
    this.accounts.set(key, health);
    const now = this.now().getTime();
    if (!this.store || (!changed && now - (this.persistedAt.get(key) ?? 0) < PERSIST_EVERY_MS)) return;
    this.persistedAt.set(key, now);
    this.store.setCursor(`${KEY_PREFIX}${key}`, JSON.stringify(health)).catch((err: unknown) => this.onError?.(err));
  }
}

/** when the account was last heard of (ms), to tell whose word is newer */
function latestOf(h: AccountHealth): number {
  return Math.max(0, ...[h.lastSuccessAt, h.lastErrorAt].map((t) => (t ? Date.parse(t) : 0)).filter(Number.isFinite));
}

function errorOf(h: AccountHealth): Partial<AccountHealth> {
  return { ...(h.lastError ? { lastError: h.lastError } : {}), ...(h.lastErrorAt ? { lastErrorAt: h.lastErrorAt } : {}) };
}

/** the health the store keeps, by channel:account (what `pmc-bridge channels` prints) */
export async function readKept(store: Store): Promise<Map<string, AccountHealth>> {
  const kept = new Map<string, AccountHealth>();
  for (const { key, value } of await store.listCursors(KEY_PREFIX)) {
    try {
      kept.set(key.slice(KEY_PREFIX.length), JSON.parse(value) as AccountHealth);
    } catch {
      // a value written by a later version, or torn: not shown
    }
  }
  return kept;
}
