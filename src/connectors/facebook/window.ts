import type { Store } from '../../store/store.ts';

const HOUR = 3_600_000;
// a citizen's latest message is kept in the store at most this often: the window is a day, minutes do not matter
const WRITE_EVERY_MS = 10 * 60_000;
// what changed is written in one transaction this often, off the webhook's path
const FLUSH_EVERY_MS = 1000;
const MOST_REMEMBERED = 50_000;

/**
 * When each citizen last wrote to each page: Messenger lets a page answer freely for 24 hours after that (and with
 * the HUMAN_AGENT tag for 7 days). Kept in the store, since the process that sends may not be the one that took
 * the webhook, and a status update days later must still know; written in batches, so that a webhook never waits
 * on a write of its own. A reply to a message also goes by that message's own time (the archive has it), so a
 * batch not yet written never closes the window on a fresh conversation.
 */
export class MessengerWindow {
  private readonly seen = new Map<string, { at: number; written: number }>();
  private dirty = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    this.timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  heard(pageId: string, psid: string, at: Date): void {
    const key = keyOf(pageId, psid);
    const was = this.seen.get(key);
    const t = at.getTime();
    if (was && t <= was.at) return;
    const write = !was || t - was.written >= WRITE_EVERY_MS;
    if (this.seen.size >= MOST_REMEMBERED) this.seen.clear();
    this.seen.set(key, { at: t, written: write ? t : was!.written });
    if (write) this.dirty.set(key, t);
  }

  /** writes what changed since the last flush (also at close) */
  async flush(): Promise<void> {
    if (this.dirty.size === 0) return;
    const batch = this.dirty;
    this.dirty = new Map();
    try {
      await this.store.setCursors([...batch].map(([key, t]) => ({ key, value: new Date(t).toISOString() })));
    } catch (err) {
      for (const [k, t] of batch) if (!this.dirty.has(k)) this.dirty.set(k, t);
      this.onError(err);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** when the citizen last wrote, as far as anyone knows; `answering`: when the message being answered came */
  async lastHeard(pageId: string, psid: string, answering?: Date): Promise<Date | undefined> {
    const key = keyOf(pageId, psid);
    const kept = await this.store.getCursor(key);
    const times = [kept ? Date.parse(kept) : NaN, this.seen.get(key)?.at ?? NaN, answering?.getTime() ?? NaN].filter((n) => !Number.isNaN(n));
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
