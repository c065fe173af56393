import type { Language, Ticket } from '../model/index.ts';
import { formatDate } from './format-date.ts';
import { departmentName, say, type Messages } from './messages.ts';

/**
 * "Your complaint has been registered. Complaint number: PMC10001. Action is expected by 4 December 2026." and,
 * when the complaint's category named its department, that too: the mapping's default ("complaint cell") tells
 * the citizen nothing.
 */
export function filedText(messages: Messages, lang: Language, ticket: Ticket, departmentFromCategory: boolean): string {
  const filed = say(messages, lang, 'filed', { ticketNo: ticket.ticketNo, dueDate: formatDate(ticket.slaDueAt, lang) });
  if (!departmentFromCategory) return filed;
  return `${filed} ${say(messages, lang, 'department', { department: departmentName(messages, lang, ticket.department) })}`;
}
