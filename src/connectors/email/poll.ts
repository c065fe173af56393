import type { MailboxObject } from 'imapflow';
import type { AttachmentStore } from '../../attachments/attachment-store.ts';
import type { Logger } from '../../http/logger.ts';
import type { InboundMessage } from '../../model/index.ts';
import type { Store } from '../../store/store.ts';
import { AccountRefusedError, type Poller, type PollResult } from '../connector.ts';
import type { EmailConnectorOptions } from './config.ts';
import type { MailboxSession } from './imap-session.ts';
import { messageIdOf, parseMail } from './parse.ts';

/** Where a mailbox's reading stands; the cursor moves only after what was read is archived. */
interface MailCursor {
  uidValidity: string;
  lastUid: number;
  /** catching up: the first reading of a mailbox takes its unread mail only, until it has caught up */
  unseenOnly?: boolean;
  /**
   * after a new UIDVALIDITY: mail from this day on, read or not (ISO date). Kept for as long as the UIDVALIDITY, not
   * only until caught up: a recreated or migrated mailbox is filled over minutes, and a sweep halfway is caught up
   * with what is there so far; what is copied in after it is as old, and new mail is newer than this day anyway.
   */
  since?: string;
  /** the arrival time of the newest mail taken: where a resync starts reading again */
  lastDate?: string;
}

// mails read in one poll: a backlog of thousands is read in batches, each archived before the next
const BATCH = 50;
// of a mail larger than the bridge reads, this much is read: its headers and (usually) its text
const TRUNCATED_READ = 512 * 1024;

// the mails one FETCH brings at most, by their sizes: a batch of large mails is held in memory a few at a time
const FETCH_BYTES = 32 * 1024 * 1024;

/** mails grouped so that each group is at most FETCH_BYTES; a mail read only in part is a group of its own */
function bySize<T extends { size: number; truncated: boolean }>(mails: readonly T[]): T[][] {
  const groups: T[][] = [];
  let bytes = Infinity;
  for (const mail of mails) {
    const size = mail.truncated ? TRUNCATED_READ : mail.size;
    if (mail.truncated || bytes + size > FETCH_BYTES || groups.at(-1)?.[0]?.truncated) {
      groups.push([]);
      bytes = 0;
    }
    groups.at(-1)!.push(mail);
    bytes += size;
  }
  return groups;
}

function parseCursor(text: string | undefined): MailCursor | undefined {
  if (!text) return undefined;
  try {
    const c = JSON.parse(text) as MailCursor;
    return typeof c.uidValidity === 'string' && Number.isInteger(c.lastUid) ? c : undefined;
  } catch {
    return undefined;
  }
}

export interface MailPollDeps {
  opts: EmailConnectorOptions;
  attachments: AttachmentStore;
  store: Store;
  logger: Logger;
  /** threading the pipeline reads (ticketRef), added to each parsed mail */
  thread: (msg: InboundMessage) => InboundMessage;
}

/**
 * A mailbox's UID sweep through the pipeline's scheduler, and its IDLE (the session's `exists`) as the wake-up.
 * New UIDs above the cursor are read in order; a changed UIDVALIDITY (the mailbox was recreated) reads the whole
 * folder again, skipping by Message-ID what the archive holds, so no mail becomes a second ticket. After the
 * archive has them, mails are flagged \Seen and moved to `moveTo` when configured.
 */
export function mailboxPoller(session: MailboxSession, d: MailPollDeps): Poller {
  const m = session.mailbox;
  return {
    accountId: m.id,
    name: 'imap',
    everyMs: d.opts.sweepMs,
    watch(wake) {
      session.onNews = wake;
      // only the wake-ups stop here; the connector's close() logs the session out, after the last poll
      return { stop: async () => void (session.onNews = undefined) };
    },
    async poll(cursorText): Promise<PollResult> {
      const client = await session.open();
      try {
        const lock = await client.getMailboxLock(m.folder);
        try {
          // selected afresh each sweep: a mailbox recreated under a long-held selection shows its new UIDVALIDITY
          await client.mailboxOpen(m.folder);
          return await sweep(client, parseCursor(cursorText));
        } finally {
          lock.release();
        }
      } catch (err) {
        if (!(err instanceof AccountRefusedError)) session.discard();
        throw err;
      }
    },
  };

  async function sweep(client: Awaited<ReturnType<MailboxSession['open']>>, c: MailCursor | undefined): Promise<PollResult> {
    const box = client.mailbox as MailboxObject;
    const uidValidity = String(box.uidValidity);
    // read before the search: a mail arriving meanwhile has a UID at or above it, and the next sweep finds it
    const next = box.uidNext;
    const resync = c !== undefined && c.uidValidity !== uidValidity;
    if (resync) d.logger.warn({ mailbox: m.env.from, was: c.uidValidity, now: uidValidity }, 'the mailbox has a new UIDVALIDITY: reading it again, skipping what is archived');
    const same = c !== undefined && !resync ? c : undefined;
    const from = same ? same.lastUid + 1 : 1;
    // a mailbox read again under a new UIDVALIDITY (recreated, migrated) reads from a day before the newest mail it
    // took, read by people or not (the archive skips what it has); one read for the first time, or with no such
    // date, reads its unread mail only, as configured: mail read years ago is not filed and answered now
    const since = same ? same.since : resync && c.lastDate ? new Date(Date.parse(c.lastDate) - 86_400_000).toISOString().slice(0, 10) : undefined;
    const unseenOnly = same ? same.unseenOnly === true : !since && d.opts.firstSync === 'unseen';
    const found = await client.search({ uid: `${from}:*`, ...(unseenOnly ? { seen: false } : {}), ...(since ? { since: new Date(since) } : {}) }, { uid: true });
    // imapflow answers false when the server refused the SEARCH: that is no "nothing new" (the cursor must not move)
    if (!Array.isArray(found)) throw new Error(`the IMAP server refused to search ${m.folder}`);
    // `N:*` answers the last mail even when N is above every UID
    const uids = found.filter((u) => u >= from).sort((a, b) => a - b);
    const batch = uids.slice(0, BATCH);
    const more = uids.length > BATCH;
    const heads = batch.length > 0 ? await client.fetchAll(batch.join(','), { uid: true, envelope: true, size: true, internalDate: true }, { uid: true }) : [];
    const taken: number[] = [];
    const wanted: { uid: number; size: number; truncated: boolean; receivedAt?: Date }[] = [];
    for (const h of heads) {
      const id = messageIdOf(h.envelope?.messageId);
      // found again after a resync (or a crash before the cursor moved): archived already, not downloaded again
      if (id && (await d.store.getInboundBySource({ channel: 'email', accountId: m.id, externalId: id }))) taken.push(h.uid);
      else wanted.push({ uid: h.uid, size: h.size ?? 0, truncated: (h.size ?? 0) > d.opts.limits.maxMessageBytes, ...(h.internalDate ? { receivedAt: new Date(h.internalDate) } : {}) });
    }
    const messages: InboundMessage[] = [];
    // a few mails at a time, each group fetched with one FETCH, parsed, and let go before the next
    for (const group of bySize(wanted)) {
      const sources = new Map<number, Buffer>();
      if (group.length === 1 && group[0]!.truncated) {
        const got = await client.fetchOne(String(group[0]!.uid), { uid: true, source: { start: 0, maxLength: TRUNCATED_READ } }, { uid: true });
        if (got && got.source) sources.set(got.uid, got.source);
      } else {
        // nothing inside the loop talks IMAP (imapflow would deadlock)
        for await (const got of client.fetch(group.map((w) => w.uid).join(','), { uid: true, source: true }, { uid: true })) if (got.source) sources.set(got.uid, got.source);
      }
      // gone meanwhile (another client deleted it): nothing to take
      const present = group.filter((w) => sources.has(w.uid));
      // parsed side by side: mailparser is streams and waits more than it computes (a few ms a mail, one at a time)
      const parsed = await Promise.all(
        present.map((w) => {
          const origin = { accountId: m.id, folder: m.folder, uidValidity, uid: w.uid, ...(w.receivedAt ? { receivedAt: w.receivedAt } : {}), ...(w.truncated ? { truncated: true } : {}) };
          return parseMail(sources.get(w.uid)!, origin, { attachments: d.attachments, limits: d.opts.limits });
        }),
      );
      for (const [i, msg] of parsed.entries()) {
        messages.push(d.thread(msg));
        taken.push(present[i]!.uid);
      }
    }
    const caughtUp = !more;
    const filtered = unseenOnly || since !== undefined;
    // caught up under a filter: what it left out (read mail, older mail) is passed over for good
    const lastUid = Math.max(batch.at(-1) ?? 0, same?.lastUid ?? 0, filtered && caughtUp ? next - 1 : 0);
    const newest = wanted.reduce<string | undefined>((a, w) => (w.receivedAt && (!a || w.receivedAt.toISOString() > a) ? w.receivedAt.toISOString() : a), c?.lastDate);
    const cursor: MailCursor = {
      uidValidity,
      lastUid,
      ...(unseenOnly && !caughtUp ? { unseenOnly: true } : {}),
      ...(since ? { since } : {}),
      ...(newest ? { lastDate: newest } : {}),
    };
    return {
      messages,
      cursor: JSON.stringify(cursor),
      more,
      ...(taken.length > 0 ? { afterArchive: () => markTaken(uidValidity, taken) } : {}),
    };
  }

  /** the mails are archived: flagged \Seen for the people who also read the mailbox, and moved if configured */
  async function markTaken(uidValidity: string, uids: number[]): Promise<void> {
    try {
      const client = await session.open();
      const lock = await client.getMailboxLock(m.folder);
      try {
        // a mailbox recreated meanwhile numbers other mails with these UIDs: they are not ours to flag or move
        if (String((client.mailbox as MailboxObject).uidValidity) !== uidValidity) return;
        const range = uids.join(',');
        await client.messageFlagsAdd(range, ['\\Seen'], { uid: true });
        if (!m.moveTo) return;
        const moved = await client.messageMove(range, m.moveTo, { uid: true }).catch(() => false as const);
        if (moved) return;
        // the folder is not there yet: made once, then the move again
        await client.mailboxCreate(m.moveTo).catch(() => undefined);
        await client.messageMove(range, m.moveTo, { uid: true });
      } finally {
        lock.release();
      }
    } catch (err) {
      // the mails are archived and the cursor is past them: only the flag or the move is missing
      d.logger.warn({ mailbox: m.env.from, error: err instanceof Error ? err.message : String(err) }, 'archived mail could not be flagged or moved');
    }
  }
}
