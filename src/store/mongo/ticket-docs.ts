import { Schema, type Connection, type Model, type PipelineStage } from 'mongoose';
import { Channel, Language, type SourceRef, type Ticket, TicketStatus } from '../../model/index.ts';
import { opt } from './atomic.ts';
import type { ContactDoc } from './contacts.ts';

/** A ticket. `_id` is its number (ticketNo without the prefix); `sourceKeys` mirrors `sources` for one unique index. */
export interface TicketDoc {
  _id: number;
  ticketNo: string;
  status: TicketStatus;
  contactId: string;
  /** the citizen as filed; the live contact wins when it exists */
  citizen: Ticket['citizen'];
  language: Language;
  description: Ticket['description'];
  category?: string;
  department: string;
  ward?: string;
  location?: NonNullable<Ticket['location']>;
  /** GeoJSON of `location`, for the 2dsphere index ("tickets near here") */
  point?: { type: 'Point'; coordinates: [number, number] };
  attachments: Ticket['attachments'];
  sources: SourceRef[];
  sourceKeys: string[];
  slaDueAt: string;
  priority: Ticket['priority'];
  routing?: Ticket['routing'];
  feedback?: Ticket['feedback'];
  ratingRequestedAt?: string;
  ratingRemindedAt?: string;
  followUp: boolean;
  createdAt: string;
  updatedAt: string;
}

/** One change in the tickets' history; `_id` from a sequence, so the status updates read them in order. */
export interface HistoryDoc {
  _id: number;
  /** the ticket's number (TicketDoc._id) */
  ticket: number;
  ticketNo: string;
  at: string;
  by: string;
  /** null (never absent) for the filing: the day counts test it */
  from: TicketStatus | null;
  to: TicketStatus;
  note?: string;
  publicNote?: string;
  place?: { department?: string; ward?: string };
}

const SourceSchema = new Schema<SourceRef>(
  { channel: { type: String, enum: Channel.options, required: true }, accountId: { type: String, required: true, minlength: 1 }, externalId: { type: String, required: true, minlength: 1 } },
  { _id: false },
);
const LocationSchema = new Schema({ lat: { type: Number, min: -90, max: 90, required: true }, lon: { type: Number, min: -180, max: 180, required: true }, label: String }, { _id: false });
const AttachmentSchema = new Schema(
  {
    kind: { type: String, enum: ['image', 'audio', 'video', 'file', 'location', 'other'], required: true },
    mime: String,
    size: { type: Number, min: 0 },
    url: String,
    storedRef: String,
    name: String,
    refused: String,
  },
  { _id: false },
);
const PointSchema = new Schema({ type: { type: String, enum: ['Point'], required: true }, coordinates: { type: [Number], required: true } }, { _id: false });

export const TicketSchema = new Schema<TicketDoc>(
  {
    _id: { type: Number, required: true, min: 1 },
    ticketNo: { type: String, required: true, match: /^[A-Z]{0,8}\d+$/ },
    status: { type: String, enum: TicketStatus.options, required: true },
    contactId: { type: String, required: true },
    citizen: { type: Schema.Types.Mixed, required: true },
    language: { type: String, enum: Language.options, required: true },
    description: { original: { type: String, required: true }, normalized: { type: String, required: true } },
    category: String,
    department: { type: String, required: true },
    ward: String,
    location: { type: LocationSchema, default: undefined },
    point: { type: PointSchema, default: undefined },
    attachments: { type: [AttachmentSchema], default: [] },
    sources: { type: [SourceSchema], required: true },
    sourceKeys: { type: [String], required: true },
    slaDueAt: { type: String, required: true },
    priority: { type: String, default: 'normal' },
    routing: Schema.Types.Mixed,
    feedback: Schema.Types.Mixed,
    ratingRequestedAt: String,
    ratingRemindedAt: String,
    followUp: { type: Boolean, default: false },
    createdAt: { type: String, required: true },
    updatedAt: { type: String, required: true },
  },
  { versionKey: false, collection: 'tickets', minimize: false },
);
// a source message files one ticket, whichever ticket it is on
TicketSchema.index({ sourceKeys: 1 }, { unique: true, name: 'tickets_source' });
TicketSchema.index({ ticketNo: 1 }, { unique: true, name: 'tickets_no' });
TicketSchema.index({ status: 1, _id: 1 }, { name: 'tickets_status' });
TicketSchema.index({ ward: 1, status: 1 }, { name: 'tickets_ward' });
TicketSchema.index({ department: 1, status: 1 }, { name: 'tickets_department' });
TicketSchema.index({ slaDueAt: 1, status: 1 }, { name: 'tickets_due' });
TicketSchema.index({ contactId: 1, _id: -1 }, { name: 'tickets_contact' });
// only tickets with a point are in it (sparse): most complaints name a place, not coordinates
TicketSchema.index({ point: '2dsphere' }, { name: 'tickets_location', sparse: true });

export const HistorySchema = new Schema<HistoryDoc>(
  {
    _id: { type: Number, required: true },
    ticket: { type: Number, required: true },
    ticketNo: { type: String, required: true },
    at: { type: String, required: true },
    by: { type: String, required: true, minlength: 1 },
    from: { type: String, enum: [...TicketStatus.options, null], default: null },
    to: { type: String, enum: TicketStatus.options, required: true },
    note: String,
    publicNote: String,
    place: { type: new Schema({ department: String, ward: String }, { _id: false }), default: undefined },
  },
  { versionKey: false, collection: 'ticket_history', minimize: false },
);
// a ticket's history in order, and the next change after one (the status updates' nextAt)
HistorySchema.index({ ticket: 1, _id: 1 }, { name: 'history_ticket' });
// the staff digest's day
HistorySchema.index({ at: 1 }, { name: 'history_at' });

export function ticketModel(conn: Connection): Model<TicketDoc> {
  return (conn.models.Ticket as Model<TicketDoc> | undefined) ?? conn.model<TicketDoc>('Ticket', TicketSchema);
}

export function historyModel(conn: Connection): Model<HistoryDoc> {
  return (conn.models.TicketHistory as Model<HistoryDoc> | undefined) ?? conn.model<HistoryDoc>('TicketHistory', HistorySchema);
}

/** one string per source: JSON, so no account or external id can make two sources look alike */
export const sourceKey = (s: SourceRef): string => JSON.stringify([s.channel, s.accountId, s.externalId]);

/** the ticket as stored (pure): a parsed Ticket, split into the fields queries need */
export function ticketDoc(number: number, t: Ticket): TicketDoc {
  const { ticketNo, status, history: _h, citizen, sources, ...rest } = t;
  return {
    _id: number,
    ticketNo,
    status,
    contactId: citizen.contactId,
    citizen,
    ...rest,
    ...(t.location ? { point: { type: 'Point', coordinates: [t.location.lon, t.location.lat] } } : {}),
    sources,
    sourceKeys: sources.map(sourceKey),
  };
}

/** a ticket read whole, in one round trip: its history (by the history_ticket index) and the live contact */
export function ticketReadPipeline(match: Record<string, unknown>, page: { order?: 'asc' | 'desc'; offset?: number; limit?: number } = {}): PipelineStage[] {
  return [
    { $match: match },
    { $sort: { _id: page.order === 'asc' ? 1 : -1 } },
    ...(page.offset ? [{ $skip: page.offset }] : []),
    ...(page.limit !== undefined ? [{ $limit: page.limit }] : []),
    { $lookup: { from: 'ticket_history', localField: '_id', foreignField: 'ticket', as: 'history' } },
    { $lookup: { from: 'contacts', localField: 'contactId', foreignField: '_id', as: 'contact' } },
  ];
}

export type TicketRead = TicketDoc & { history: HistoryDoc[]; contact: ContactDoc[] };

export function toTicket(r: TicketRead): Ticket {
  const live = r.contact[0];
  // the live contact (it may have gained a phone, an email or channels since) wins over the filing snapshot
  const citizen: Ticket['citizen'] = live
    ? { contactId: live._id, ...opt('name', live.name), ...opt('phone', live.phone), ...opt('email', live.email), identities: live.identities.map((i) => ({ channel: i.channel, id: i.id })) }
    : r.citizen;
  // $lookup gives no order: the ids do
  const history = [...r.history]
    .sort((a, b) => a._id - b._id)
    .map((h) => ({ at: h.at, by: h.by, from: h.from ?? null, to: h.to, ...opt('note', h.note), ...opt('publicNote', h.publicNote) }));
  return {
    ticketNo: r.ticketNo,
    status: r.status,
    history,
    citizen,
    language: r.language,
    description: { original: r.description.original, normalized: r.description.normalized },
    ...opt('category', r.category),
    department: r.department,
    ...opt('ward', r.ward),
    ...opt('location', r.location),
    attachments: r.attachments ?? [],
    sources: r.sources.map((s) => ({ channel: s.channel, accountId: s.accountId, externalId: s.externalId })),
    slaDueAt: r.slaDueAt,
    // tickets filed before priorities existed are normal
    priority: r.priority ?? 'normal',
    ...opt('routing', r.routing),
    ...opt('feedback', r.feedback),
    ...opt('ratingRequestedAt', r.ratingRequestedAt),
    ...opt('ratingRemindedAt', r.ratingRemindedAt),
    followUp: r.followUp === true,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
