import type { Language, Ticket } from '../model/index.ts';
import { filedText } from './filed-text.ts';
import { say, type Messages } from './messages.ts';

export interface OneShotFacts {
  /** a tweet or page comment: anyone reads the reply, so it carries the number and nothing else */
  public: boolean;
  /** the message named no place: ask for it in the same reply, since there is no conversation to ask in */
  missingWhere: boolean;
  /** the department came from the complaint's category (worth naming) rather than the mapping's default */
  departmentFromCategory: boolean;
}

/**
 * The one reply a one-shot channel (email, Lokshahi, a public post) gets: filed, with the number and due date (and
 * the department when the category said it), and what is still missing; a public post only gets the number and an
 * invitation to write privately. The text as written: renderReply fits it to the channel, keeping the number.
 */
export function oneShotReply(messages: Messages, lang: Language, ticket: Ticket, facts: OneShotFacts): string {
  if (facts.public) return say(messages, lang, 'publicFiled', { ticketNo: ticket.ticketNo });
  const filed = filedText(messages, lang, ticket, facts.departmentFromCategory);
  return facts.missingWhere ? `${filed} ${say(messages, lang, 'oneShotAskWhere')}` : filed;
}

/** A message with nothing in it: ask what and where (in public, only invite them to write privately). */
export function askForComplaint(messages: Messages, lang: Language, isPublic: boolean): string {
  return say(messages, lang, isPublic ? 'publicReply' : 'greeting');
}
