import { Schema, type ClientSession, type Connection, type Model, type PipelineStage } from 'mongoose';
import type { Contact, Language } from '../../model/index.ts';
import {
  CAMPAIGN_STATES,
  type AudienceMember,
  type AudienceQuery,
  type Campaign,
  type CampaignBatch,
  type CampaignState,
  type CampaignStore,
  type Deliverable,
  type NewCampaign,
  type OptChange,
  type Reachable,
} from '../campaign-store.ts';
import { atomically, iso, lit, opt } from './atomic.ts';
import type { ContactDoc, MongoContacts } from './contacts.ts';
import { nextSeq } from './counters.ts';
import { type InboundDoc, sourceFilter, type MongoInbound } from './inbound.ts';
import type { MongoOutbox } from './outbox.ts';
import type { TicketDoc } from './ticket-docs.ts';
import type { MongoTickets } from './tickets.ts';

export interface CampaignDoc {
  _id: string;
  name: string;
  texts: Campaign['texts'];
  audience: Campaign['audience'];
  scheduledAt?: string;
  state: CampaignState;
  cursor?: string | null;
  queued: number;
  skipped: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
}

export const CampaignSchema = new Schema<CampaignDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    texts: { type: Schema.Types.Mixed, required: true },
    audience: { type: Schema.Types.Mixed, required: true },
    scheduledAt: String,
    state: { type: String, enum: CAMPAIGN_STATES, required: true },
    cursor: String,
    queued: { type: Number, default: 0 },
    skipped: { type: Number, default: 0 },
    createdBy: { type: String, required: true },
    createdAt: { type: String, required: true },
    updatedAt: { type: String, required: true },
    startedAt: String,
    finishedAt: String,
  },
  { versionKey: false, collection: 'campaigns', minimize: false },
);
CampaignSchema.index({ state: 1, scheduledAt: 1 }, { name: 'campaigns_due' });
CampaignSchema.index({ createdAt: -1, _id: -1 }, { name: 'campaigns_created' });

export function campaignModel(conn: Connection): Model<CampaignDoc> {
  return (conn.models.Campaign as Model<CampaignDoc> | undefined) ?? conn.model<CampaignDoc>('Campaign', CampaignSchema);
}

const toCampaign = (d: CampaignDoc): Campaign => ({
  id: d._id,
  name: d.name,
  texts: d.texts,
  audience: d.audience,
  ...opt('scheduledAt', d.scheduledAt),
  state: d.state,
  ...opt('cursor', d.cursor),
  counts: { queued: d.queued, skipped: d.skipped },
  createdBy: d.createdBy,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
  ...opt('startedAt', d.startedAt),
  ...opt('finishedAt', d.finishedAt),
});

/** a campaign moved on, only from one of `from` (pure; an aggregation update, for the first start time) */
export function transitionUpdate(id: string, from: readonly CampaignState[], to: CampaignState, at: Date, scheduledAt?: Date) {
  return {
    filter: { _id: id, state: { $in: [...from] } },
    update: [
      {
        $set: {
          state: lit(to),
          updatedAt: lit(iso(at)),
          ...(scheduledAt ? { scheduledAt: lit(iso(scheduledAt)) } : {}),
          ...(to === 'sending' ? { startedAt: { $ifNull: ['$startedAt', lit(iso(at))] } } : {}),
          ...(to === 'done' || to === 'cancelled' ? { finishedAt: lit(iso(at)) } : {}),
        },
      },
    ],
  };
}

/** scheduled campaigns whose time has come, and those sending */
export const dueCampaignsFilter = (now: Date) => ({ $or: [{ state: 'scheduled' as const, scheduledAt: { $lte: iso(now) } }, { state: 'sending' as const }] });

/** the cursor moves with the batch, only from where the batch was read (`null` matches a cursor never set) */
export function advanceUpdate(id: string, batch: CampaignBatch, queued: number, at: string) {
  return {
    filter: { _id: id, state: 'sending' as const, cursor: batch.from ?? null },
    update: { $set: { cursor: batch.to, updatedAt: at, ...(batch.done ? { state: 'done', finishedAt: at } : {}) }, $inc: { queued, skipped: batch.skipped } },
  };
}

/** the opted-in contacts after `after`, by id: a page the members are made from */
export const optedInPage = (after: string) => ({ announcements: 'in' as const, _id: { $gt: after } });

/** each contact's latest ticket (by number): its language and ward office */
export function latestTicketsPipeline(contactIds: readonly string[]): PipelineStage[] {
  return [
    { $match: { contactId: { $in: [...contactIds] } } },
    { $sort: { contactId: 1 as const, _id: -1 as const } },
    { $group: { _id: '$contactId', language: { $first: '$language' }, ward: { $first: '$ward' } } },
  ];
}

const PAGE = 500;

/** Campaigns, and each contact's announcement choice (kept on the contact). */
export class MongoCampaignStore implements CampaignStore {
  readonly model: Model<CampaignDoc>;

  constructor(
    private readonly conn: Connection,
    private readonly contacts: MongoContacts,
    private readonly outbox: MongoOutbox,
    private readonly inbound: MongoInbound,
    private readonly tickets: MongoTickets,
  ) {
    this.model = campaignModel(conn);
  }

  async create(c: NewCampaign, at: Date): Promise<Campaign> {
    const [n] = await nextSeq(this.conn, 'campaign');
    const doc: CampaignDoc = { _id: `C${n}`, name: c.name, texts: c.texts, audience: c.audience, state: 'draft', queued: 0, skipped: 0, createdBy: c.createdBy, createdAt: iso(at), updatedAt: iso(at) };
    await this.model.create([doc]);
    return toCampaign(doc);
  }

  async get(id: string): Promise<Campaign | undefined> {
    const d = await this.model.findById(id).lean<CampaignDoc>();
    return d ? toCampaign(d) : undefined;
  }

  async list(query: { state?: CampaignState; limit?: number } = {}): Promise<Campaign[]> {
    if (query.limit === 0) return [];
    return (await this.model.find(opt('state', query.state)).sort({ createdAt: -1, _id: -1 }).limit(query.limit ?? 1000).lean<CampaignDoc[]>()).map(toCampaign);
  }

  async transition(id: string, from: readonly CampaignState[], to: CampaignState, at: Date, scheduledAt?: Date): Promise<Campaign | undefined> {
    const { filter, update } = transitionUpdate(id, from, to, at, scheduledAt);
    const d = await this.model.findOneAndUpdate(filter, update, { returnDocument: 'after', updatePipeline: true }).lean<CampaignDoc>();
    return d ? toCampaign(d) : undefined;
  }

  async listDue(now: Date): Promise<Campaign[]> {
    return (await this.model.find(dueCampaignsFilter(now)).sort({ createdAt: 1, _id: 1 }).lean<CampaignDoc[]>()).map(toCampaign);
  }

  /**
   * The opted-in after `after`, by id, who match, at most `limit`: a contact's language is the one they chose,
   * else their latest complaint's, else the one they opted in with; their ward office their latest complaint's.
   */
  async audience(query: AudienceQuery, after: string | undefined, limit: number): Promise<AudienceMember[]> {
    const found: AudienceMember[] = [];
    if (limit <= 0) return found;
    await this.walk(query, after ?? '', (m) => {
      found.push(m);
      return found.length < limit;
    });
    return found;
  }

  async audienceSize(query: AudienceQuery): Promise<Record<Language, { contacts: number; withPhone: number }>> {
    const sizes: Record<Language, { contacts: number; withPhone: number }> = { mr: { contacts: 0, withPhone: 0 }, hi: { contacts: 0, withPhone: 0 }, en: { contacts: 0, withPhone: 0 } };
    await this.walk(query, '', (m) => {
      sizes[m.language].contacts += 1;
      if (m.phone) sizes[m.language].withPhone += 1;
      return true;
    });
    return sizes;
  }

  /** the matching members in id order, a page of contacts and one look-up of their latest tickets at a time */
  private async walk(query: AudienceQuery, after: string, take: (m: AudienceMember) => boolean): Promise<void> {
    const wards = query.wards && query.wards.length > 0 ? new Set(query.wards) : undefined;
    for (let cursor = after; ; ) {
      const page = await this.contacts.model.find(optedInPage(cursor), { _id: 1, phone: 1, preferredLanguage: 1, announcementsVia: 1 }).sort({ _id: 1 }).limit(PAGE).lean<ContactDoc[]>();
      if (page.length === 0) return;
      const latest = new Map(
        (await this.tickets.model.aggregate<{ _id: string; language?: Language; ward?: string }>(latestTicketsPipeline(page.map((c) => c._id)))).map((t) => [t._id, t]),
      );
      for (const c of page) {
        const t = latest.get(c._id);
        const via = c.announcementsVia as (Reachable & { language?: Language }) | undefined;
        const language = c.preferredLanguage ?? t?.language ?? via?.language ?? query.defaultLanguage;
        if (!query.languages.includes(language) || (wards && (t?.ward === undefined || !wards.has(t.ward)))) continue;
        const member: AudienceMember = { contactId: c._id, ...opt('phone', c.phone), language, ...opt('ward', t?.ward), ...(via ? { optedInVia: reachableOf(via) } : {}) };
        if (!take(member)) return;
      }
      cursor = page.at(-1)!._id;
    }
  }

  async recordBatch(id: string, batch: CampaignBatch, at: Date): Promise<{ outboxIds: number[]; applied: boolean }> {
    return atomically(this.conn, async (session) => {
      const d = await this.model.findById(id, { state: 1, cursor: 1 }, { session }).lean<CampaignDoc>();
      // another process that moved the cursor meanwhile wins: this batch is dropped
      if (!d || d.state !== 'sending' || (d.cursor ?? null) !== (batch.from ?? null)) return { outboxIds: [], applied: false };
      const made = await this.outbox.enqueueWithin(batch.messages, iso(at), session);
      const queued = made.filter((m) => m.created);
      const { filter, update } = advanceUpdate(id, batch, queued.length, iso(at));
      await this.model.updateOne(filter, update, { session });
      return { outboxIds: queued.map((m) => m.id), applied: true };
    });
  }

  /** the latest private message of the contact's that became part of a complaint */
  async lastReachable(contactId: string): Promise<Reachable | undefined> {
    const tickets = await this.tickets.model.find({ contactId }, { sources: 1 }).lean<Pick<TicketDoc, 'sources'>[]>();
    const sources = tickets.flatMap((t) => t.sources);
    if (sources.length === 0) return undefined;
    const d = await this.inbound.model.findOne({ $or: sources.map(sourceFilter), public: { $ne: true } }, { channel: 1, accountId: 1, threadKey: 1, senderId: 1, receivedAt: 1 }).sort({ _id: -1 }).lean<InboundDoc>();
    return d ? { channel: d.channel as Reachable['channel'], accountId: d.accountId, threadKey: d.threadKey, to: d.senderId, at: d.receivedAt } : undefined;
  }

  /** the contact, the choice, its confirmation in the outbox and the message done: one transaction */
  async recordOpt(change: OptChange): Promise<{ contact: Contact; changed: boolean; outboxIds: number[] }> {
    return atomically(this.conn, (session) => this.optWithin(change, session));
  }

  private async optWithin(change: OptChange, session: ClientSession): Promise<{ contact: Contact; changed: boolean; outboxIds: number[] }> {
    const at = iso(change.now);
    const contact = await this.contacts.upsertWithin(change.sighting, session);
    const was = await this.contacts.model.findById(contact.id, { announcements: 1 }, { session }).lean<ContactDoc>();
    const changed = (was?.announcements ?? null) !== change.choice;
    const [latest] = await this.tickets.model.find({ contactId: contact.id }, { language: 1 }, { session }).sort({ _id: -1 }).limit(1).lean<TicketDoc[]>();
    const language = contact.preferredLanguage ?? latest?.language ?? change.language;
    // where they opted in from is where an announcement can reach them: kept fresh by every START
    const via = change.choice === 'in' ? { ...change.via, language } : undefined;
    if (changed) await this.contacts.model.updateOne({ _id: contact.id }, { $set: { announcements: change.choice, announcementsAt: at, ...opt('announcementsVia', via), updatedAt: at } }, { session });
    else if (via) await this.contacts.model.updateOne({ _id: contact.id }, { $set: { announcementsVia: via } }, { session });
    const outboxIds = changed && change.confirm ? (await this.outbox.enqueueWithin([change.confirm(contact, language)], at, session)).map((r) => r.id) : [];
    await this.inbound.markDone(change.inboundId, session);
    return { contact, changed, outboxIds };
  }

  async optOf(contactId: string): Promise<{ state: 'in' | 'out' | null; at?: string }> {
    const d = await this.contacts.model.findById(contactId, { announcements: 1, announcementsAt: 1 }).lean<ContactDoc>();
    return { state: d?.announcements ?? null, ...opt('at', d?.announcementsAt) };
  }

  async deliverable(campaignId: string, contactId: string): Promise<Deliverable> {
    const campaign = await this.model.findById(campaignId, { state: 1 }).lean<CampaignDoc>();
    if (!campaign || campaign.state === 'cancelled') return 'cancelled';
    const d = await this.contacts.model.findById(contactId, { announcements: 1 }).lean<ContactDoc>();
    return d?.announcements === 'in' ? 'send' : 'opted out';
  }

  async ensureIndexes(): Promise<void> {
    await this.model.createCollection();
    await this.model.createIndexes();
  }
}

/** the stored choice's place without its extra language */
function reachableOf(v: Reachable & { language?: unknown }): Reachable {
  return { channel: v.channel, accountId: v.accountId, threadKey: v.threadKey, to: v.to, at: v.at };
}
