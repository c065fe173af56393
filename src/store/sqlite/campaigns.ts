import type Database from 'better-sqlite3';
import type { Contact, Language } from '../../model/index.ts';
import type {
  AudienceMember,
  AudienceQuery,
  Campaign,
  CampaignBatch,
  CampaignState,
  CampaignStore,
  Deliverable,
  NewCampaign,
  OptChange,
  Reachable,
} from '../campaign-store.ts';
import type { ContactTable } from './contacts.ts';
import type { InboundTable } from './inbound.ts';
import type { OutboxTable } from './outbox.ts';
import { opt } from './rows.ts';

interface CampaignRow {
  id: string;
  name: string;
  texts: string;
  audience: string;
  scheduled_at: string | null;
  state: CampaignState;
  cursor: string | null;
  queued: number;
  skipped: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const toCampaign = (r: CampaignRow): Campaign => ({
  id: r.id,
  name: r.name,
  texts: JSON.parse(r.texts) as Campaign['texts'],
  audience: JSON.parse(r.audience) as Campaign['audience'],
  ...opt('scheduledAt', r.scheduled_at),
  state: r.state,
  ...opt('cursor', r.cursor),
  counts: { queued: r.queued, skipped: r.skipped },
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  ...opt('startedAt', r.started_at),
  ...opt('finishedAt', r.finished_at),
});

// a contact's language: the one they chose, else their latest complaint's, else the one they opted in with; their
// ward: their latest complaint's. One indexed look-up of the latest ticket per contact (tickets_contact).
const MEMBERS = `
  SELECT c.id, c.phone, c.announcements_via AS via,
         coalesce(c.preferred_language, json_extract(l.data, '$.language'), json_extract(c.announcements_via, '$.language'), @fallback) AS lang,
         json_extract(l.data, '$.ward') AS ward
    FROM contacts c
    LEFT JOIN tickets l ON l.id = (SELECT t.id FROM tickets t WHERE t.contact_id = c.id ORDER BY t.number DESC LIMIT 1)
   WHERE c.announcements = 'in' AND c.id > @after`;
const MATCH = `lang IN (SELECT value FROM json_each(@languages)) AND (@wards IS NULL OR ward IN (SELECT value FROM json_each(@wards)))`;

interface MemberRow {
  id: string;
  phone: string | null;
  via: string | null;
  lang: Language;
  ward: string | null;
}

/** Campaigns, and each contact's announcement choice (migration 9). */
export class CampaignTables implements CampaignStore {
  private readonly q;
  private readonly optTx;
  private readonly batchTx;

  constructor(
    db: Database.Database,
    private readonly contacts: ContactTable,
    private readonly outbox: OutboxTable,
    private readonly inbound: InboundTable,
  ) {
    this.q = {
      nextId: db.prepare(`INSERT INTO counters (name, value) VALUES ('campaign', 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`),
      insert: db.prepare<[string, string, string, string, string, string, string]>(
        `INSERT INTO campaigns (id, name, texts, audience, state, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 'draft', ?, ?, ?)`,
      ),
      get: db.prepare<[string]>(`SELECT * FROM campaigns WHERE id = ?`),
      list: db.prepare<[string | null, string | null, number]>(`SELECT * FROM campaigns WHERE (? IS NULL OR state = ?) ORDER BY created_at DESC, id DESC LIMIT ?`),
      due: db.prepare<[string]>(`SELECT * FROM campaigns WHERE (state = 'scheduled' AND scheduled_at <= ?) OR state = 'sending' ORDER BY created_at, id`),
      transition: db.prepare(
        `UPDATE campaigns SET state = @to, updated_at = @at, scheduled_at = coalesce(@scheduledAt, scheduled_at),
                started_at = CASE WHEN @to = 'sending' THEN coalesce(started_at, @at) ELSE started_at END,
                finished_at = CASE WHEN @to IN ('done', 'cancelled') THEN @at ELSE finished_at END
          WHERE id = @id AND state IN (SELECT value FROM json_each(@from)) RETURNING *`,
      ),
      members: db.prepare(`SELECT * FROM (${MEMBERS} ORDER BY c.id) WHERE ${MATCH} ORDER BY id LIMIT @limit`),
      sizes: db.prepare(`SELECT lang, count(*) AS n, count(phone) AS phones FROM (${MEMBERS}) WHERE ${MATCH} GROUP BY lang`),
      advance: db.prepare(
        `UPDATE campaigns SET cursor = @to, queued = queued + @queued, skipped = skipped + @skipped, updated_at = @at,
                state = CASE WHEN @done = 1 THEN 'done' ELSE state END, finished_at = CASE WHEN @done = 1 THEN @at ELSE finished_at END
          WHERE id = @id AND state = 'sending' AND cursor IS @from`,
      ),
      optOf: db.prepare<[string]>(`SELECT announcements, announcements_at, announcements_via FROM contacts WHERE id = ?`),
      setOpt: db.prepare<[string, string, string | null, string, string]>(
        `UPDATE contacts SET announcements = ?, announcements_at = ?, announcements_via = coalesce(?, announcements_via), updated_at = ? WHERE id = ?`,
      ),
      refreshVia: db.prepare<[string, string]>(`UPDATE contacts SET announcements_via = ? WHERE id = ?`),
      latestLanguage: db.prepare<[string]>(`SELECT json_extract(data, '$.language') AS lang FROM tickets WHERE contact_id = ? ORDER BY number DESC LIMIT 1`),
      campaignState: db.prepare<[string]>(`SELECT state FROM campaigns WHERE id = ?`),
      lastReachable: db.prepare<[string]>(
        `SELECT i.channel, i.account_id, json_extract(i.message, '$.threadKey') AS thread_key, json_extract(i.message, '$.sender.id') AS sender,
                json_extract(i.message, '$.receivedAt') AS at
           FROM tickets t JOIN ticket_sources s ON s.ticket_id = t.id
           JOIN inbound i ON i.channel = s.channel AND i.account_id = s.account_id AND i.external_id = s.external_id
          WHERE t.contact_id = ? AND coalesce(json_extract(i.message, '$.public'), 0) = 0
          ORDER BY i.id DESC LIMIT 1`,
      ),
    };
    this.optTx = db.transaction((change: OptChange) => this.optWithin(change));
    this.batchTx = db.transaction((id: string, batch: CampaignBatch, at: string) => this.batchWithin(id, batch, at));
  }

  async create(c: NewCampaign, at: Date): Promise<Campaign> {
    const iso = at.toISOString();
    const n = (this.q.nextId.get() as { value: number }).value;
    const id = `C${n}`;
    this.q.insert.run(id, c.name, JSON.stringify(c.texts), JSON.stringify(c.audience), c.createdBy, iso, iso);
    return toCampaign(this.q.get.get(id) as CampaignRow);
  }

  async get(id: string): Promise<Campaign | undefined> {
    const row = this.q.get.get(id) as CampaignRow | undefined;
    return row && toCampaign(row);
  }

  async list(query: { state?: CampaignState; limit?: number } = {}): Promise<Campaign[]> {
    const state = query.state ?? null;
    return (this.q.list.all(state, state, query.limit ?? 1000) as CampaignRow[]).map(toCampaign);
  }

  async transition(id: string, from: readonly CampaignState[], to: CampaignState, at: Date, scheduledAt?: Date): Promise<Campaign | undefined> {
    const row = this.q.transition.get({ id, from: JSON.stringify(from), to, at: at.toISOString(), scheduledAt: scheduledAt?.toISOString() ?? null }) as CampaignRow | undefined;
    return row && toCampaign(row);
  }

  async listDue(now: Date): Promise<Campaign[]> {
    return (this.q.due.all(now.toISOString()) as CampaignRow[]).map(toCampaign);
  }

  private params(query: AudienceQuery) {
    return {
      fallback: query.defaultLanguage,
      languages: JSON.stringify(query.languages),
      wards: query.wards && query.wards.length > 0 ? JSON.stringify(query.wards) : null,
    };
  }

  async audience(query: AudienceQuery, after: string | undefined, limit: number): Promise<AudienceMember[]> {
    const rows = this.q.members.all({ ...this.params(query), after: after ?? '', limit }) as MemberRow[];
    return rows.map((r) => {
      const via = r.via ? reachableOf(JSON.parse(r.via) as Reachable) : undefined;
      return { contactId: r.id, ...opt('phone', r.phone), language: r.lang, ...opt('ward', r.ward), ...(via ? { optedInVia: via } : {}) };
    });
  }

  async audienceSize(query: AudienceQuery): Promise<Record<Language, { contacts: number; withPhone: number }>> {
    const none = { contacts: 0, withPhone: 0 };
    const sizes: Record<Language, { contacts: number; withPhone: number }> = { mr: none, hi: none, en: none };
    for (const r of this.q.sizes.all({ ...this.params(query), after: '' }) as { lang: Language; n: number; phones: number }[]) sizes[r.lang] = { contacts: r.n, withPhone: r.phones };
    return sizes;
  }

  async recordBatch(id: string, batch: CampaignBatch, at: Date): Promise<{ outboxIds: number[]; applied: boolean }> {
    return this.batchTx.immediate(id, batch, at.toISOString());
  }

  /** the cursor is checked first, inside the write lock: a batch another process already wrote is not written again */
  private batchWithin(id: string, batch: CampaignBatch, at: string): { outboxIds: number[]; applied: boolean } {
    const row = this.q.get.get(id) as CampaignRow | undefined;
    if (!row || row.state !== 'sending' || row.cursor !== (batch.from ?? null)) return { outboxIds: [], applied: false };
    const made = this.outbox.enqueueWithin(batch.messages, at);
    const queued = made.filter((m) => m.created).length;
    this.q.advance.run({ id, to: batch.to, queued, skipped: batch.skipped, at, done: batch.done ? 1 : 0, from: batch.from ?? null });
    return { outboxIds: made.filter((m) => m.created).map((m) => m.id), applied: true };
  }

  async lastReachable(contactId: string): Promise<Reachable | undefined> {
    const r = this.q.lastReachable.get(contactId) as { channel: Reachable['channel']; account_id: string; thread_key: string; sender: string; at: string } | undefined;
    return r && { channel: r.channel, accountId: r.account_id, threadKey: r.thread_key, to: r.sender, at: r.at };
  }

  async recordOpt(change: OptChange): Promise<{ contact: Contact; changed: boolean; outboxIds: number[] }> {
    return this.optTx.immediate(change);
  }

  private optWithin(change: OptChange): { contact: Contact; changed: boolean; outboxIds: number[] } {
    const at = change.now.toISOString();
    const contact = this.contacts.upsertWithin(change.sighting);
    const was = this.q.optOf.get(contact.id) as { announcements: 'in' | 'out' | null };
    const changed = was.announcements !== change.choice;
    let outboxIds: number[] = [];
    // where they opted in from is where an announcement can reach them: kept fresh by every START
    const language = contact.preferredLanguage ?? (this.q.latestLanguage.get(contact.id) as { lang: Language | null } | undefined)?.lang ?? change.language;
    const via = change.choice === 'in' ? JSON.stringify({ ...change.via, language }) : null;
    if (changed) this.q.setOpt.run(change.choice, at, via, at, contact.id);
    else if (via) this.q.refreshVia.run(via, contact.id);
    if (changed && change.confirm) outboxIds = this.outbox.enqueueWithin([change.confirm(contact, language)], at).map((r) => r.id);
    this.inbound.markDone(change.inboundId);
    return { contact, changed, outboxIds };
  }

  async optOf(contactId: string): Promise<{ state: 'in' | 'out' | null; at?: string }> {
    const r = this.q.optOf.get(contactId) as { announcements: 'in' | 'out' | null; announcements_at: string | null } | undefined;
    return { state: r?.announcements ?? null, ...opt('at', r?.announcements_at) };
  }

  async deliverable(campaignId: string, contactId: string): Promise<Deliverable> {
    const campaign = this.q.campaignState.get(campaignId) as { state: CampaignState } | undefined;
    if (!campaign || campaign.state === 'cancelled') return 'cancelled';
    const r = this.q.optOf.get(contactId) as { announcements: 'in' | 'out' | null } | undefined;
    return r?.announcements === 'in' ? 'send' : 'opted out';
  }
}

/** the stored JSON without its extra language */
function reachableOf(v: Reachable & { language?: unknown }): Reachable {
  return { channel: v.channel, accountId: v.accountId, threadKey: v.threadKey, to: v.to, at: v.at };
}
