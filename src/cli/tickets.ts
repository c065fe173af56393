import type { Command } from 'commander';
import { operatorRef } from './operator.ts';
import { canTransition, TicketStatus, type Ticket } from '../model/index.ts';
import { InvalidTransitionError } from '../store/errors.ts';
import type { Store } from '../store/store.ts';
import { parseLimit, printJson, printTable, UsageError, type ListOptions } from './output.ts';
import { withStore } from './with-store.ts';
import { loadConfig } from '../config/load.ts';
import { tokenKey } from '../connectors/lokshahi/parse.ts';

/** A ticket with the messages it came from, as staff want to read it. */
async function withSourceMessages(store: Store, ticket: Ticket) {
  const messages = [];
  for (const source of ticket.sources) {
    const archived = await store.getInboundBySource(source);
    if (archived) {
      const { raw: _raw, ...message } = archived.message;
      messages.push({ ...message, archivedAt: archived.archivedAt });
    }
  }
  return { ...ticket, sourceMessages: messages };
}

export function registerTickets(program: Command): void {
  const tickets = program.command('tickets').description('read tickets in the store, and move one on');
  tickets
    .command('list')
    .description('tickets, newest first')
    .option('--json', 'one JSON array of all matching tickets, with their source messages')
    .option('--limit <n>', 'at most this many')
    .option('--status <status>', `only this status (${TicketStatus.options.join(', ')})`)
    .option('--token <token>', 'the ticket of the Lokshahi Din application with this token')
    .action(async (opts: ListOptions & { status?: string; token?: string }) => {
      const limit = parseLimit(opts.limit);
      const status = opts.status === undefined ? undefined : TicketStatus.safeParse(opts.status);
      if (status && !status.success) throw new UsageError(`--status must be one of ${TicketStatus.options.join(', ')}`);
      const lokshahi = opts.token === undefined ? undefined : { channel: 'lokshahi' as const, accountId: loadConfig().config.channels.lokshahi.accountId, externalId: tokenKey(opts.token) };
      await withStore(async (store) => {
        const byToken = lokshahi ? await store.findTicketBySource(lokshahi) : undefined;
        const list = lokshahi ? (byToken && (!status || byToken.status === status.data) ? [byToken] : []) : await store.listTickets({ ...(status ? { status: status.data } : {}), ...(limit ? { limit } : {}) });
        if (opts.json) return printJson(await Promise.all(list.map((t) => withSourceMessages(store, t))));
        printTable(
          ['ticket', 'status', 'lang', 'department', 'created', 'complaint'],
          list.map((t) => [t.ticketNo, t.status, t.language, t.department, t.createdAt.slice(0, 16).replace('T', ' '), t.description.original]),
        );
      });
    });
  tickets
    .command('show <ticketNo>')
    .description('one ticket with its history and source messages')
    .option('--json', 'as JSON')
    .action(async (ticketNo: string, opts: { json?: boolean }) => {
      await withStore(async (store) => {
        const ticket = await store.getTicket(ticketNo.toUpperCase().replace(/\s+/gu, ''));
        if (!ticket) throw new UsageError(`no ticket ${ticketNo}`);
        const full = await withSourceMessages(store, ticket);
        if (opts.json) return process.stdout.write(JSON.stringify(full, null, 2) + '\n');
        const out = [
          `${ticket.ticketNo}  ${ticket.status}  ${ticket.department}${ticket.ward ? ` / ${ticket.ward}` : ''}  language ${ticket.language}`,
          `created ${ticket.createdAt}  SLA due ${ticket.slaDueAt}`,
          '',
          ticket.description.original,
          '',
          'history:',
          ...ticket.history.map((h) => `  ${h.at}  ${h.from ?? '—'} → ${h.to}  by ${h.by}${h.note ? `: ${h.note}` : ''}${h.publicNote ? ` (to the citizen: ${h.publicNote})` : ''}`),
          'messages:',
          ...full.sourceMessages.map((m) => `  ${m.receivedAt}  ${m.channel}/${m.accountId}  ${m.externalId}`),
        ];
        process.stdout.write(out.join('\n') + '\n');
      });
    });
  tickets
    .command('status <ticketNo> <status>')
    .description(`move a ticket on (${TicketStatus.options.join(', ')}), audited as cli:<os user>; a running bridge asks the citizen of a resolved ticket for a rating`)
    .option('--note <text>', 'why, for the ticket history (staff only)')
    .option('--public-note <text>', 'for the citizen, sent with the news that it is resolved or rejected (what was done, or why)')
    .action(async (ticketNo: string, to: string, opts: { note?: string; publicNote?: string }) => {
      const status = TicketStatus.safeParse(to);
      if (!status.success) throw new UsageError(`status must be one of ${TicketStatus.options.join(', ')}`);
      const note = opts.note?.trim();
      const publicNote = opts.publicNote?.trim();
      if (publicNote && status.data !== 'resolved' && status.data !== 'rejected') throw new UsageError('--public-note goes with resolved or rejected only (the citizen is told the other stages without a note)');
      await withStore(async (store) => {
        const no = ticketNo.toUpperCase().replace(/\s+/gu, '');
        const current = await store.getTicket(no);
        if (!current) throw new UsageError(`no ticket ${ticketNo}`);
        // the same moves as before: a status it already has is no move (the store would take it as a note)
        if (!canTransition(current.status, status.data)) throw new UsageError(new InvalidTransitionError(no, current.status, status.data).message);
        // one transaction with its history and audit entry, as a change made in the web admin
        const ticket = await store.changeTicket(no, { status: status.data, ...(note ? { note } : {}), ...(publicNote ? { publicNote } : {}), by: operatorRef(), at: new Date() }).catch((err: unknown) => {
          throw err instanceof InvalidTransitionError ? new UsageError(err.message) : err;
        });
        process.stdout.write(`${ticket.ticketNo}  ${current.status} → ${ticket.status}\n`);
      });
    });
}
