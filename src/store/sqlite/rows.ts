import type {
  Channel,
  Contact,
  DeliveryState,
  InboundMessage,
  Language,
  OutboundMessage,
  OutboxEntry,
  SourceRef,
  Ticket,
  TicketHistoryEntry,
  TicketStatus,
} from '../../model/index.ts';
import type { ArchivedInbound, InboundState } from '../store.ts';
import { opt } from '../optional-field.ts';
import { DamagedRecordError } from '../errors.ts';

/** Row shapes as better-sqlite3 returns them, and their mapping to the model. SQL NULL becomes an absent key. */

export interface InboundRow {
  id: number;
  message: string;
  state: InboundState;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  duplicates: number;
  archived_at: string;
}

function parseMessage(row: InboundRow): InboundMessage {
  try {
    return JSON.parse(row.message) as InboundMessage;
  } catch (err) {
    throw new DamagedRecordError('inbound', row.id, `its stored message is not valid JSON (${(err as Error).message})`);
  }
}

export function toArchived(row: InboundRow): ArchivedInbound {
  return {
    id: row.id,
    message: parseMessage(row),
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    ...opt('lastError', row.last_error),
    duplicates: row.duplicates,
    archivedAt: row.archived_at,
  };
}

export interface OutboxRow {
  id: number;
  message: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: string;
  provider_id: string | null;
  last_error: string | null;
  unsure_since: string | null;
  created_at: string;
  updated_at: string;
}

export function toOutboxEntry(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    message: JSON.parse(row.message) as OutboundMessage,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    ...opt('providerId', row.provider_id),
    ...opt('lastError', row.last_error),
    ...opt('unsureSince', row.unsure_since),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

type Identity = { channel: Channel; id: string };

/** identities come aggregated as a JSON array, in the order they were first seen */
const IDENTITIES = (contactExpr: string) => `(
  SELECT json_group_array(json_object('channel', i.channel, 'id', i.channel_user_id) ORDER BY i.id)
  FROM contact_identities i WHERE i.contact_id = ${contactExpr})`;

export const CONTACT_SELECT = `
  SELECT c.id, c.name, c.phone, c.email, c.preferred_language, c.created_at, c.updated_at,
         ${IDENTITIES('c.id')} AS identities
  FROM contacts c`;

export interface ContactRow {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  preferred_language: Language | null;
  created_at: string;
  updated_at: string;
  identities: string;
}

export function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    ...opt('name', row.name),
    ...opt('phone', row.phone),
    ...opt('email', row.email),
    ...opt('preferredLanguage', row.preferred_language),
    identities: JSON.parse(row.identities) as Identity[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The ticket fields kept as one JSON document: everything not needed in a WHERE clause. */
export type TicketData = Pick<
  Ticket,
  | 'language'
  | 'description'
  | 'category'
  | 'department'
  | 'ward'
  | 'location'
  | 'attachments'
  | 'slaDueAt'
  | 'feedback'
  | 'ratingRequestedAt'
  | 'ratingRemindedAt'
  | 'followUp'
  | 'priority'
  | 'routing'
>;

/** One statement reads a whole ticket: sources, history and the live contact come along as JSON. */
export const TICKET_SELECT = `
  SELECT t.id, t.ticket_no, t.status, t.contact_id, t.citizen, t.data, t.created_at, t.updated_at,
    (SELECT json_group_array(json_object('channel', s.channel, 'accountId', s.account_id,
                                         'externalId', s.external_id) ORDER BY s.id)
       FROM ticket_sources s WHERE s.ticket_id = t.id) AS sources,
    (SELECT json_group_array(json_object('at', h.at, 'by', h.by, 'from', h.from_status, 'to', h.to_status,
                                         'note', h.note, 'publicNote', h.public_note) ORDER BY h.id)
       FROM ticket_history h WHERE h.ticket_id = t.id) AS history,
    c.id AS c_id, c.name AS c_name, c.phone AS c_phone, c.email AS c_email,
    ${IDENTITIES('t.contact_id')} AS c_identities
  FROM tickets t LEFT JOIN contacts c ON c.id = t.contact_id`;

export interface TicketRow {
  id: number;
  ticket_no: string;
  status: TicketStatus;
  contact_id: string;
  citizen: string;
  data: string;
  created_at: string;
  updated_at: string;
  sources: string;
  history: string;
  c_id: string | null;
  c_name: string | null;
  c_phone: string | null;
  c_email: string | null;
  c_identities: string;
}

interface HistoryJson {
  at: string;
  by: string;
  from: TicketStatus | null;
  to: TicketStatus;
  note: string | null;
  publicNote: string | null;
}

export function toTicket(row: TicketRow): Ticket {
  // the live contact (it may have gained a phone, an email or channels since) wins over the filing snapshot
  const citizen: Ticket['citizen'] =
    row.c_id === null
      ? (JSON.parse(row.citizen) as Ticket['citizen'])
      : {
          contactId: row.c_id,
          ...opt('name', row.c_name),
          ...opt('phone', row.c_phone),
          ...opt('email', row.c_email),
          identities: JSON.parse(row.c_identities) as Identity[],
        };
  const history = (JSON.parse(row.history) as HistoryJson[]).map(
    (h): TicketHistoryEntry => ({ at: h.at, by: h.by, from: h.from, to: h.to, ...opt('note', h.note), ...opt('publicNote', h.publicNote) }),
  );
  return {
    ticketNo: row.ticket_no,
    status: row.status,
    history,
    citizen,
    // tickets filed before priorities existed are normal
    ...({ priority: 'normal' } as Pick<Ticket, 'priority'>),
    ...(JSON.parse(row.data) as TicketData),
    sources: JSON.parse(row.sources) as SourceRef[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

// the SQLite part files take it from here, beside the row mappers that use it
export { opt };
