import { z } from 'zod';
import { Attachment, Channel, IsoDate, Language, Location, SourceRef } from './common.ts';
import { Priority, RoutingExplanation } from './routing.ts';

export const TicketStatus = z.enum([
  'received',
  'forwarded',
  'in_progress',
  'resolved',
  'closed',
  'rejected',
  'reopened',
]);
export type TicketStatus = z.infer<typeof TicketStatus>;

/**
 * The allowed moves. A citizen can reopen a resolved or closed ticket; a reopened ticket goes back into the
 * department's hands. Rejection is possible until the work is resolved.
 */
export const TICKET_TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  // an officer may settle a simple complaint at once, with a note
  received: ['forwarded', 'in_progress', 'resolved', 'rejected'],
  // forwarding again (to another department or ward office) is possible until the work is done
  forwarded: ['forwarded', 'in_progress', 'resolved', 'rejected'],
  in_progress: ['forwarded', 'resolved', 'rejected'],
  resolved: ['closed', 'reopened'],
  closed: ['reopened'],
  rejected: ['reopened'],
  reopened: ['forwarded', 'in_progress', 'resolved', 'rejected'],
};

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return TICKET_TRANSITIONS[from].includes(to);
}

export const TicketHistoryEntry = z.object({
  at: IsoDate,
  by: z.string().min(1),
  from: TicketStatus.nullable(),
  to: TicketStatus,
  /** internal: staff read it, the citizen never does */
  note: z.string().optional(),
  /** what the officer wrote for the citizen: sent with the status update */
  publicNote: z.string().optional(),
});
export type TicketHistoryEntry = z.infer<typeof TicketHistoryEntry>;

export const Feedback = z.object({
  rating: z.number().int().min(1).max(5),
  comment: z.string().optional(),
  at: IsoDate,
});
export type Feedback = z.infer<typeof Feedback>;

export const Ticket = z.object({
  ticketNo: z.string().regex(/^[A-Z]{0,8}\d+$/),
  status: TicketStatus,
  history: z.array(TicketHistoryEntry),
  citizen: z.object({
    contactId: z.string(),
    name: z.string().optional(),
    phone: z.string().optional(),
    email: z.string().optional(),
    identities: z.array(z.object({ channel: Channel, id: z.string() })).default([]),
  }),
  language: Language,
  description: z.object({ original: z.string(), normalized: z.string() }),
  category: z.string().optional(),
  department: z.string(),
  ward: z.string().optional(),
  location: Location.optional(),
  attachments: z.array(Attachment).default([]),
  sources: z.array(SourceRef).min(1),
  slaDueAt: IsoDate,
  priority: Priority.default('normal'),
  /** which mapping and rules sent it here, and how its due date was counted */
  routing: RoutingExplanation.optional(),
  feedback: Feedback.optional(),
  /** when the citizen was asked to rate the resolved ticket: asked once, not at every sweep */
  ratingRequestedAt: IsoDate.optional(),
  /** when the unanswered rating question was asked once more: never a third time */
  ratingRemindedAt: IsoDate.optional(),
  followUp: z.boolean().default(false),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type Ticket = z.infer<typeof Ticket>;
