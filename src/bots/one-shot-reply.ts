import type { Language, Ticket } from '../model/index.ts';
import { formatDate } from './format-date.ts';
import { departmentName, say, type Messages } from './messages.ts';

export interface OneShotFacts {
  /** a tweet or page comment: anyone reads the reply, so it carries the number and nothing else */
  public: boolean;
  /** the message named no place: ask for it in the same reply, since there is no conversation to ask in */
  missingWhere: boolean;
}

/**
 * The one reply a one-shot channel (email, Lokshahi, a public post) gets: filed, with the number, department and due
 * date, and what is still missing; a public post only gets the number and an invitation to write privately. The
 * text as written: renderReply fits it to the channel, keeping the number.
 */
export function oneShotReply(messages: Messages, lang: Language, ticket: Ticket, facts: OneShotFacts): string {
  if (facts.public) return say(messages, lang, 'publicFiled', { ticketNo: ticket.ticketNo });
  const filed = say(messages, lang, 'filed', {
    ticketNo: ticket.ticketNo,
    department: departmentName(messages, lang, ticket.department),
    dueDate: formatDate(ticket.slaDueAt, lang),
  });
  return facts.missingWhere ? `${filed} ${say(messages, lang, 'oneShotAskWhere')}` : filed;
}

/** A message with nothing in it: ask what and where (in public, only invite them to write privately). */
export function askForComplaint(messages: Messages, lang: Language, isPublic: boolean): string {
  return say(messages, lang, isPublic ? 'publicReply' : 'greeting');
}
