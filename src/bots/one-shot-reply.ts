import type { ChannelLimits } from '../connectors/connector.ts';
import type { Language, Ticket } from '../model/index.ts';
import { formatDate } from './format-date.ts';
import { departmentName, say, type Messages } from './messages.ts';
import { shapeReply } from './shape-reply.ts';

export interface OneShotFacts {
  /** a tweet or page comment: anyone reads the reply, so it carries the number and nothing else */
  public: boolean;
  /** the message named no place: ask for it in the same reply, since there is no conversation to ask in */
  missingWhere: boolean;
}

/**
 * The one reply a one-shot channel (email, Lokshahi, a public post) gets: filed, with the number, department and due
 * date, and what is still missing; a public post only gets the number and an invitation to write privately.
 */
export function oneShotReply(messages: Messages, lang: Language, ticket: Ticket, facts: OneShotFacts, limits: ChannelLimits): string {
  if (facts.public) return shapeReply(say(messages, lang, 'publicFiled', { ticketNo: ticket.ticketNo }), limits, ticket.ticketNo);
  const filed = say(messages, lang, 'filed', {
    ticketNo: ticket.ticketNo,
    department: departmentName(messages, lang, ticket.department),
    dueDate: formatDate(ticket.slaDueAt, lang),
  });
  const text = facts.missingWhere ? `${filed} ${say(messages, lang, 'oneShotAskWhere')}` : filed;
  return shapeReply(text, limits, ticket.ticketNo);
}

/** A message with nothing in it: ask what and where (in public, only invite them to write privately). */
export function askForComplaint(messages: Messages, lang: Language, isPublic: boolean, limits: ChannelLimits): string {
  return shapeReply(say(messages, lang, isPublic ? 'publicReply' : 'greeting'), limits);
}
