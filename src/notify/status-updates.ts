import type { Messages } from '../bots/messages.ts';
import type { Connector } from '../connectors/connector.ts';
import type { Logger } from '../http/logger.ts';
import type { Language, OutboundMessage } from '../model/index.ts';
import type { SweepTask } from '../pipeline/sweep-task.ts';
import { replyTo } from '../pipeline/process-inbound.ts';
import { renderReply } from '../render/render-reply.ts';
import type { RoutingTable } from '../router/routing-table.ts';
import type { HistoryEvent, Store } from '../store/store.ts';
import { inQuietHours, type QuietHours } from './quiet-hours.ts';
import { statusText, type PlaceNames } from './status-text.ts';
import { isToldChange } from '../model/told-statuses.ts';
import { loadReportNames } from '../report/report-names.ts';

/** where the updates are in the tickets' history: every change up to this id has been told (or passed over) */
export const STATUS_CURSOR = 'notify:history';
const PAGE = 500;
// a change dated a little ahead of this process's clock (another machine's) is taken as made now
const FUTURE_SLACK_MS = 5 * 60_000;
const NOTE_SEGMENTS = 4;

export interface StatusUpdateDeps {
  store: Store;
  messages: Messages;
  routing: RoutingTable;
  connectors: ReadonlyMap<string, Connector>;
  quietHours: QuietHours | null;
  /** changes to one ticket within this long give one message, for the latest */
  settleMs: number;
  logger: Logger;
}

/**
 * Every status change of a ticket becomes one message to its citizen, on the channel the complaint came by. The
 * tickets' history is the log: each change's entry is written in the same transaction as the change (by our admin
 * API and CLI, and by the store's trigger when another system sets a status directly), and this task reads it in
 * order behind a cursor. The message's idempotency key is the entry's id, so a crash between the outbox write and
 * the cursor's move, or two runs, never make a second message.
 */
export function statusUpdates(deps: StatusUpdateDeps): SweepTask {
  return { name: 'status-updates', everyMs: Math.min(5_000, Math.max(250, deps.settleMs / 4)), run: (now) => tellChanges(deps, now) };
}

export async function tellChanges(deps: StatusUpdateDeps, now: Date): Promise<number[]> {
  const from = Number((await deps.store.getCursor(STATUS_CURSOR)) ?? '0');
  const events = await deps.store.listHistoryAfter(from, PAGE);
  if (events.length === 0) return [];
  const names = await wardNames(deps.store);
  const queued: number[] = [];
  let told = from;
  // a change held for the morning keeps the cursor where it is: later ones are still looked at (an urgent one is
  // told at once; the rest are told, or passed over for a later one, when quiet hours end)
  let holding = false;
  for (const event of events) {
    // notes, closings, filings and the citizen's own moves are never told: they need not settle either
    if (isToldChange(event)) {
      // a change is told once it has settled (a clock ahead by more than a little counts as now)
      const at = Math.min(Date.parse(event.at), now.getTime() + FUTURE_SLACK_MS);
      if (now.getTime() - at < deps.settleMs) break;
      // one soon followed by another is passed over for the later one, as is one still untold when a later one
      // has settled too (the bridge was down, or quiet hours held the night's changes): the latest is the news
      const next = event.nextAt === undefined ? undefined : Date.parse(event.nextAt);
      const superseded = next !== undefined && (next - at < deps.settleMs || now.getTime() - next >= deps.settleMs);
      if (!superseded) {
        try {
          const message = await statusMessage(event, deps, names, now);
          if (message === 'held') holding = true;
          else if (message) queued.push(...(await deps.store.enqueueOutbound([message], now)).filter((r) => r.created).map((r) => r.id));
        } catch (err) {
          // one change that cannot be told (its ticket half written by another system) must not hold up the rest
          deps.logger.error({ err, historyId: event.id, ticketNo: event.ticketNo }, 'status change not told: it could not be read');
        }
      }
    }
    if (!holding) told = event.id;
  }
  if (told !== from) await deps.store.setCursor(STATUS_CURSOR, String(told));
  if (queued.length > 0) deps.logger.info({ updates: queued.length }, 'told citizens of changes to their complaints');
  return queued;
}

async function statusMessage(event: HistoryEvent, deps: StatusUpdateDeps, names: PlaceNames, now: Date): Promise<OutboundMessage | 'held' | undefined> {
  const ticket = await deps.store.getTicket(event.ticketNo);
  if (!ticket) return undefined;
  // the filer's own move (an application rejected as it is filed) was said in the acknowledgement
  if (event.by === ticket.history[0]?.by) return undefined;
  const log = { ticketNo: ticket.ticketNo, historyId: event.id, to: event.to };
  const message = (await deps.store.getInboundBySource(ticket.sources[0]!))?.message;
  if (!message) {
    deps.logger.warn(log, 'status change not told: the complaint’s message is no longer in the archive');
    return undefined;
  }
  // an urgent complaint's news goes at once; the rest waits for the morning
  if (ticket.priority !== 'urgent' && inQuietHours(now, deps.quietHours)) return 'held';
  const mapping = deps.routing.mappingFor(message.channel, message.accountId);
  if (mapping?.replyPolicy === 'silent') return undefined;
  const contact = await deps.store.getContact(ticket.citizen.contactId);
  const language: Language = contact?.preferredLanguage ?? ticket.language;
  // under a public post only the stage: the officer's words may name the citizen or the place they live
  const text = statusText(event, ticket, language, deps.messages, names, !message.public);
  const base = deps.connectors.get(message.channel)?.limits ?? {};
  // the officer's words are not cut: an update that carries them may take up to four SMS parts
  const limits = event.publicNote && !message.public && base.maxSegments ? { ...base, maxSegments: Math.max(base.maxSegments, NOTE_SEGMENTS) } : base;
  const rendered = renderReply({ text }, { channel: message.channel, limits, language, messages: deps.messages, ticketNo: ticket.ticketNo, subject: message.subject, public: message.public });
  return replyTo(message, { ...rendered, kind: 'status', language, key: `status:${ticket.ticketNo}:${event.id}`, ticketNo: ticket.ticketNo });
}

/** ward office names from the admin records (as the reports name them), read once a run for each language */
async function wardNames(store: Store): Promise<PlaceNames> {
  const [mr, hi, en] = await Promise.all((['mr', 'hi', 'en'] as const).map((lang) => loadReportNames(store.admin, lang)));
  const byLanguage = { mr: mr!, hi: hi!, en: en! };
  return { ward: (id, lang) => byLanguage[lang].ward(id) };
}
