import { Ticket } from '../model/index.ts';
import { opt } from './optional-field.ts';
import type { TicketDraft } from './store.ts';


/**
 * The ticket a draft becomes, numbered and validated, as every store files it: parsing throws before anything
 * is written (and the store's transaction gives the number back).
 */
export function newTicket(draft: TicketDraft, ticketNo: string, now: string): Ticket {
  const c = draft.contact;
  return Ticket.parse({
    ticketNo,
    status: 'received',
    history: [{ at: now, by: draft.by, from: null, to: 'received', ...opt('note', draft.note) }],
    citizen: { contactId: c.id, ...opt('name', c.name), ...opt('phone', c.phone), ...opt('email', c.email), identities: c.identities },
    language: draft.language,
    description: draft.description,
    ...opt('category', draft.category),
    department: draft.department,
    ...opt('ward', draft.ward),
    ...opt('location', draft.location),
    attachments: draft.attachments,
    sources: draft.thread ? [draft.source, draft.thread] : [draft.source],
    slaDueAt: draft.slaDueAt,
    priority: draft.priority ?? 'normal',
    ...opt('routing', draft.routing),
    followUp: false,
    createdAt: now,
    updatedAt: now,
  });
}
