import type { Store } from '../../store/store.ts';

const HOUR = 3_600_000;
// the store learns of a citizen's messages at most this often: the window is a day, a few minutes do not matter
const WRITE_EVERY_MS = 10 * 60_000;
const MOST_REMEMBERED = 50_000;

/**
 * When each citizen last wrote to each page: Messenger lets a page answer freely for 24 hours after that (and with
 * the HUMAN_AGENT tag for 7 days). Kept in the store, since the process that sends may not be the one that took
 * the webhook, and a restart must not forget it.
 */
export class MessengerWindow {
  private readonly seen = new Map<string, { at: number; written: number }>();

  constructor(private readonly store: Store) {}

  async heard(pageId: string, psid: string, at: Date): Promise<void> {
    const key = keyOf(pageId, psid);
    const was = this.seen.get(key);
    const t = at.getTime();
    if (was && t <= was.at) return;
    const write = !was || t - was.written >= WRITE_EVERY_MS;
    if (this.seen.size >= MOST_REMEMBERED) this.seen.clear();
    this.seen.set(key, { at: t, written: write ? t : was!.written });
    if (write) await this.store.setCursor(key, new Date(t).toISOString());
  }

  /** when the citizen last wrote, as far as anyone knows (undefined: never, to us) */
  async lastHeard(pageId: string, psid: string): Promise<Date | undefined> {
    const key = keyOf(pageId, psid);
    const kept = await this.store.getCursor(key);
    const mine = this.seen.get(key)?.at;
    const times = [kept ? Date.parse(kept) : NaN, mine ?? NaN].filter((n) => !Number.isNaN(n));
    return times.length ? new Date(Math.max(...times)) : undefined;
  }
}

/** How a reply may go out, given when the citizen last wrote. */
export function messagingTypeFor(lastHeard: Date | undefined, now: Date, humanAgentTag: boolean): { messaging_type: 'RESPONSE' } | { messaging_type: 'MESSAGE_TAG'; tag: 'HUMAN_AGENT' } | undefined {
  if (!lastHeard) return undefined;
  const age = now.getTime() - lastHeard.getTime();
  // a minute's slack: our clock and Meta's differ, and the send takes time
  if (age < 24 * HOUR - 60_000) return { messaging_type: 'RESPONSE' };
  if (humanAgentTag && age < 7 * 24 * HOUR - 60_000) return { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
  return undefined;
}

const keyOf = (pageId: string, psid: string): string => `facebook:heard:${pageId}:${psid}`;
