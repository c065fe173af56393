const MOST_CITIZENS = 20_000;
const MOST_PER_CITIZEN = 20;

/**
 * Messenger's read event names a time (everything up to the watermark was read), not messages: the replies sent
 * to each citizen lately are remembered here so that a read marks them delivered. In memory: a read after a
 * restart marks nothing, and the outbox only misses a receipt.
 */
export class ReadReceipts {
  private readonly recent = new Map<string, { mid: string; at: number }[]>();

  sent(pageId: string, psid: string, mid: string, at: Date): void {
    const key = `${pageId}:${psid}`;
    const list = this.recent.get(key) ?? [];
    list.push({ mid, at: at.getTime() });
    if (list.length > MOST_PER_CITIZEN) list.shift();
    if (!this.recent.has(key) && this.recent.size >= MOST_CITIZENS) this.recent.delete(this.recent.keys().next().value as string);
    this.recent.set(key, list);
  }

  /** the replies a read up to `watermark` covers; each is given once */
  readUpTo(pageId: string, psid: string, watermark: number): string[] {
    const key = `${pageId}:${psid}`;
    const list = this.recent.get(key);
    if (!list) return [];
    const read = list.filter((s) => s.at <= watermark);
    const left = list.filter((s) => s.at > watermark);
    if (left.length) this.recent.set(key, left);
    else this.recent.delete(key);
    return read.map((s) => s.mid);
  }
}
