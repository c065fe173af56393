import type { Store } from '../../store/store.ts';

// a citizen's replies not yet marked delivered that one read may cover: the newest of the conversation (an older
// one still unread is so old that its receipt no longer matters)
const MOST_LOOKED_AT = 50;

/**
 * Messenger's read event names a time (everything up to the watermark was read), not messages: our replies in
 * that conversation, sent and not yet delivered, sent at or before the watermark, are found in the outbox. The
 * store, not a process's memory: the web process takes the read, a worker sent the replies.
 */
export async function repliesReadUpTo(store: Store, pageId: string, psid: string, watermark: number): Promise<string[]> {
  // a Messenger conversation's thread key is the citizen's PSID (parse.ts); the outbox is indexed on it. A sent
  // entry's updatedAt is when it was marked sent (a later change moves it out of `sent`).
  const sent = await store.listOutbox({ threadKey: psid, state: 'sent', limit: MOST_LOOKED_AT });
  return sent
    .filter((e) => e.message.channel === 'facebook' && e.message.accountId === pageId && e.message.to === psid && !e.message.public && Date.parse(e.updatedAt) <= watermark)
    .flatMap((e) => (e.providerId ? [e.providerId] : []));
}

/** one look-up per conversation: Meta batches reads, often several of one citizen, each with a later watermark */
export function latestReads(reads: readonly { pageId: string; psid: string; watermark: number }[]): { pageId: string; psid: string; watermark: number }[] {
  const latest = new Map<string, { pageId: string; psid: string; watermark: number }>();
  for (const r of reads) {
    const key = `${r.pageId}:${r.psid}`;
    if ((latest.get(key)?.watermark ?? -1) < r.watermark) latest.set(key, r);
  }
  return [...latest.values()];
}
