import type { Contact, Language, Ticket } from '../model/index.ts';
import type { Store } from '../store/store.ts';
import { formatDate } from './format-date.ts';
import { departmentName, say, type Messages } from './messages.ts';

const CLOSED: ReadonlySet<Ticket['status']> = new Set(['closed', 'rejected']);
const MOST_ANSWERED = 3;

function statusLine(ticket: Ticket, messages: Messages, lang: Language): string {
  return say(messages, lang, 'status', {
    ticketNo: ticket.ticketNo,
    status: messages[lang].statuses[ticket.status],
    department: departmentName(messages, lang, ticket.department),
    dueDate: formatDate(ticket.slaDueAt, lang),
  });
}

/**
 * The answer to "status 12345" or "माझी तक्रार कुठे आहे": the tickets quoted, or else the citizen's open ones (newest
 * first, at most three). Only the contact who owns a ticket hears about it; anyone else gets the same answer as
 * for a number that does not exist, so the reply reveals nothing.
 */
export async function answerStatus(
  store: Store,
  contact: Pick<Contact, 'id'>,
  quoted: readonly string[],
  messages: Messages,
  lang: Language,
): Promise<string[]> {
  if (quoted.length > 0) {
    const answers: string[] = [];
    for (const ticketNo of quoted.slice(0, MOST_ANSWERED)) {
      const ticket = await store.getTicket(ticketNo);
      answers.push(
        ticket && ticket.citizen.contactId === contact.id ? statusLine(ticket, messages, lang) : say(messages, lang, 'statusNotFound'),
      );
    }
    return [...new Set(answers)];
  }
  const own = await store.listTickets({ contactId: contact.id });
  const open = own.filter((t) => !CLOSED.has(t.status)).slice(0, MOST_ANSWERED);
  if (open.length === 0) return [say(messages, lang, 'statusNone')];
  return open.map((t) => statusLine(t, messages, lang));
}
