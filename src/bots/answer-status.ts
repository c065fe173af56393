import type { Contact, Language, Ticket } from '../model/index.ts';
import type { Store } from '../store/store.ts';
import { formatDate } from './format-date.ts';
import { departmentName, say, type Messages } from './messages.ts';

const CLOSED: ReadonlySet<Ticket['status']> = new Set(['closed', 'rejected']);
// settled: the citizen hears when, not a due date that no longer means anything
const SETTLED: ReadonlySet<Ticket['status']> = new Set(['resolved', 'closed', 'rejected']);
const MOST_ANSWERED = 3;

/**
 * "तक्रार क्रमांक PMC10001: काम सुरू आहे. अपेक्षित मुदत: 4 डिसेंबर 2026." — and the department, when the complaint's
 * category chose it (routeComplaint); the mapping's default ("complaint cell") tells the citizen nothing.
 */
export function statusLine(ticket: Ticket, messages: Messages, lang: Language): string {
  const status = messages[lang].statuses[ticket.status];
  let line: string;
  if (SETTLED.has(ticket.status)) {
    const settledAt = [...ticket.history].reverse().find((h) => h.to === ticket.status)?.at ?? ticket.updatedAt;
    line = say(messages, lang, 'statusDone', { ticketNo: ticket.ticketNo, status, date: formatDate(settledAt, lang) });
  } else line = say(messages, lang, 'status', { ticketNo: ticket.ticketNo, status, dueDate: formatDate(ticket.slaDueAt, lang) });
  return ticket.category ? `${line} ${say(messages, lang, 'department', { department: departmentName(messages, lang, ticket.department) })}` : line;
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
  opts: { here: string },
): Promise<string[]> {
  if (quoted.length > 0) {
    const answers: string[] = [];
    for (const ticketNo of quoted.slice(0, MOST_ANSWERED)) {
      const ticket = await store.getTicket(ticketNo);
      answers.push(
        ticket && ticket.citizen.contactId === contact.id
          ? statusLine(ticket, messages, lang)
          : say(messages, lang, 'statusNotFound', { here: opts.here }),
      );
    }
    return [...new Set(answers)];
  }
  const own = await store.listTickets({ contactId: contact.id });
  const open = own.filter((t) => !CLOSED.has(t.status)).slice(0, MOST_ANSWERED);
  if (open.length === 0) return [say(messages, lang, 'statusNone', { here: opts.here })];
  return open.map((t) => statusLine(t, messages, lang));
}
