import type { TicketStatus } from './ticket.ts';

/** the stages a citizen is told of; the filing was acknowledged, and closing a resolved ticket is filing work */
export const TOLD: ReadonlySet<TicketStatus> = new Set(['forwarded', 'in_progress', 'resolved', 'rejected', 'reopened']);

/** a history entry that moves the ticket to a stage the citizen is told of (not a note on the same stage) */
export const isToldChange = (e: { from: TicketStatus | null; to: TicketStatus; by: string; place?: unknown }): boolean =>
  e.from !== null && TOLD.has(e.to) && (e.from !== e.to || e.place !== undefined) && e.by !== 'citizen';
