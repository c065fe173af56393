import { formatDate } from '../bots/format-date.ts';
import { say, type Messages } from '../bots/messages.ts';
import type { Language, Ticket } from '../model/index.ts';
import type { HistoryEvent } from '../store/store.ts';

export interface PlaceNames {
  /** a ward office's name in this language (its id when it has none) */
  ward(id: string, lang: Language): string;
}

/**
 * What the citizen reads about one change, in their language: the stage, the office a forward sent it to, the due
 * date once work starts, and the officer's words for them (never the internal note). `withNote: false` leaves the
 * officer's words out: a public reply under a post carries nothing but the stage.
 */
export function statusText(event: HistoryEvent, ticket: Ticket, lang: Language, messages: Messages, names: PlaceNames, withNote: boolean): string {
  const ticketNo = ticket.ticketNo;
  const note = withNote ? event.publicNote?.trim() : undefined;
  switch (event.to) {
    case 'forwarded': {
      // a forward to a ward office names the office; otherwise the department it went to
      const ward = event.place?.ward;
      const department = event.place?.department ?? ticket.department;
      const place = ward !== undefined ? names.ward(ward, lang) : (messages[lang].departments[department] ?? department);
      return say(messages, lang, 'statusForwarded', { ticketNo, place });
    }
    case 'in_progress':
      return say(messages, lang, 'statusInProgress', { ticketNo, dueDate: formatDate(ticket.slaDueAt, lang) });
    case 'resolved':
      return joined(say(messages, lang, 'statusResolved', { ticketNo }), note && say(messages, lang, 'statusNote', { note }));
    case 'rejected':
      return joined(say(messages, lang, 'statusRejected', { ticketNo }), note && say(messages, lang, 'statusReason', { reason: note }));
    case 'reopened':
      return say(messages, lang, 'statusReopened', { ticketNo });
    default:
      throw new Error(`no status update is told for "${event.to}"`);
  }
}

const joined = (a: string, b: string | undefined): string => (b ? `${a} ${b}` : a);
