import { Schema, type ClientSession, type Connection, type Model } from 'mongoose';
import { Channel, type Contact, Language } from '../../model/index.ts';
import type { ContactSighting } from '../store.ts';
import { iso, opt, sess } from './atomic.ts';
import { timeOrderedId } from '../time-ordered-id.ts';

type Identity = { channel: Channel; id: string };

/** A citizen. `identityKeys` mirrors `identities` as one string each, so one unique index covers channel + id. */
export interface ContactDoc {
  _id: string;
  name?: string;
  phone?: string;
  email?: string;
  preferredLanguage?: Language;
  identities: Identity[];
  identityKeys?: string[];
  /** the announcement choice (STOP / START); absent: never asked, so in no audience */
  announcements?: 'in' | 'out';
  announcementsAt?: string;
  /** where they opted in from, with the language they were answered in */
  announcementsVia?: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

const IdentitySchema = new Schema<Identity>({ channel: { type: String, enum: Channel.options, required: true }, id: { type: String, required: true, minlength: 1 } }, { _id: false });

export const ContactSchema = new Schema<ContactDoc>(
  {
    _id: { type: String, required: true },
    name: String,
    phone: { type: String, match: /^\+[1-9]\d{6,14}$/ },
    email: { type: String, lowercase: true },
    preferredLanguage: { type: String, enum: Language.options },
    identities: { type: [IdentitySchema], default: [] },
    // absent rather than empty: a unique multikey index files [] under one key, so two contacts without an
    // identity (a claim that found its identity taken) would collide
    identityKeys: { type: [String], default: undefined },
    announcements: { type: String, enum: ['in', 'out'] },
    announcementsAt: String,
    announcementsVia: Schema.Types.Mixed,
    createdAt: { type: String, required: true },
    updatedAt: { type: String, required: true },
  },
  { versionKey: false, collection: 'contacts', minimize: false },
);
// one contact per channel identity, per phone and per email (absent ones are not indexed); the partial filters
// are $exists, which an equality query implies, so lookups use them ($type would not be)
ContactSchema.index({ identityKeys: 1 }, { unique: true, name: 'contacts_identity', partialFilterExpression: { identityKeys: { $exists: true } } });
ContactSchema.index({ phone: 1 }, { unique: true, name: 'contacts_phone', partialFilterExpression: { phone: { $exists: true } } });
ContactSchema.index({ email: 1 }, { unique: true, name: 'contacts_email', partialFilterExpression: { email: { $exists: true } } });
// the campaign sender pages the opted-in by id
ContactSchema.index({ announcements: 1, _id: 1 }, { name: 'contacts_announcements' });

export function contactModel(conn: Connection): Model<ContactDoc> {
  return (conn.models.Contact as Model<ContactDoc> | undefined) ?? conn.model<ContactDoc>('Contact', ContactSchema);
}

/** one string per (channel, channel user id): JSON, so no id can make two identities look alike */
export const identityKey = (channel: string, channelUserId: string): string => JSON.stringify([channel, channelUserId]);

export function toContact(d: ContactDoc): Contact {
  return {
    id: d._id,
    ...opt('name', d.name),
    ...opt('phone', d.phone),
    ...opt('email', d.email),
    ...opt('preferredLanguage', d.preferredLanguage),
    identities: d.identities.map((i) => ({ channel: i.channel, id: i.id })),
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

/** the update that adds a channel identity to a contact that lacks it (pure; `touch` moves updatedAt too) */
export function addIdentityUpdate(contactId: string, channel: Channel, channelUserId: string, touch: string | undefined) {
  const key = identityKey(channel, channelUserId);
  return {
    filter: { _id: contactId, identityKeys: { $ne: key } },
    update: { $push: { identities: { channel, id: channelUserId }, identityKeys: key }, ...(touch ? { $set: { updatedAt: touch } } : {}) },
  };
}

type Core = Pick<ContactDoc, '_id' | 'name' | 'phone' | 'email'>;
const CORE = { _id: 1, name: 1, phone: 1, email: 1 } as const;

/**
 * Citizens and their channel identities, with SQLite's rules (src/store/sqlite/contacts.ts): matched by channel
 * identity, then phone, then email; never merged into one another; name, phone and email only filled in when
 * missing; what another system only claims finds a contact but adds nothing to it.
 */
export class MongoContacts {
  readonly model: Model<ContactDoc>;

  constructor(conn: Connection) {
    this.model = contactModel(conn);
  }

  async get(id: string, session?: ClientSession): Promise<Contact | undefined> {
    const d = await this.model.findById(id, null, sess(session)).lean<ContactDoc>();
    return d ? toContact(d) : undefined;
  }

  async findByIdentity(channel: string, channelUserId: string): Promise<Contact | undefined> {
    const d = await this.model.findOne({ identityKeys: identityKey(channel, channelUserId) }).lean<ContactDoc>();
    return d ? toContact(d) : undefined;
  }

  async setPreferredLanguage(id: string, language: Language | undefined): Promise<void> {
    const now = iso(new Date());
    await this.model.updateOne({ _id: id }, language ? { $set: { preferredLanguage: language, updatedAt: now } } : { $set: { updatedAt: now }, $unset: { preferredLanguage: 1 } });
  }

  /** inside the caller's transaction: a concurrent first sighting of the same citizen is an E11000, and a re-run */
  async upsertWithin(s: ContactSighting, session: ClientSession): Promise<Contact> {
    const now = iso(new Date());
    const name = s.name || undefined;
    const phone = s.phone || undefined;
    const email = s.email || undefined;
    const core = (filter: Record<string, unknown>) => this.model.findOne(filter, CORE, { session }).lean<Core>();
    const knownDoc = await core({ identityKeys: identityKey(s.channel, s.channelUserId) });
    const known = knownDoc?._id;
    // a claimed sender's id is the phone or address it claims: it finds a contact only if that is the contact's own
    const byIdentity = s.claimed && knownDoc && !owns(knownDoc, s.channelUserId) ? undefined : known;
    const id = byIdentity ?? (phone ? (await core({ phone }))?._id : undefined) ?? (email ? (await core({ email }))?._id : undefined);

    let contactId: string;
    if (id === undefined) {
      // nothing matched, so neither the phone nor the email belongs to anyone yet; an identity another contact holds
      // (a claim that found nobody) is left with them
      contactId = timeOrderedId();
      const identities = known === undefined ? [{ channel: s.channel, id: s.channelUserId }] : [];
      const doc = { _id: contactId, ...opt('name', name), ...opt('phone', phone), ...opt('email', email), identities, ...(identities.length > 0 ? { identityKeys: identities.map((i) => identityKey(i.channel, i.id)) } : {}), createdAt: now, updatedAt: now };
      await this.model.create([doc], { session });
      return toContact(doc);
    }
    contactId = id;
    const c = (await core({ _id: id }))!;
    const fill = !s.claimed;
    const next: Core = {
      _id: id,
      ...opt('name', c.name ?? name),
      ...opt('phone', c.phone ?? (fill && phone && !(await this.model.exists({ phone }).session(session)) ? phone : undefined)),
      ...opt('email', c.email ?? (fill && email && !(await this.model.exists({ email }).session(session)) ? email : undefined)),
    };
    if (next.name !== c.name || next.phone !== c.phone || next.email !== c.email) {
      await this.model.updateOne({ _id: id }, { $set: { ...opt('name', next.name), ...opt('phone', next.phone), ...opt('email', next.email), updatedAt: now } }, { session });
    }
    const after = next;
    // a claimed identity is kept only by a contact it is the phone or address of; one another contact holds stays theirs
    const keep = !s.claimed || owns(after, s.channelUserId);
    if (keep && known === undefined) {
      // a new channel for a known citizen is a change too
      const { filter, update } = addIdentityUpdate(contactId, s.channel, s.channelUserId, now);
      await this.model.updateOne(filter, update, { session });
    }
    return (await this.get(contactId, session))!;
  }

  async ensureIndexes(): Promise<void> {
    await this.model.createCollection();
    await this.model.createIndexes();
  }
}

/** the key is the contact's own phone number or address */
function owns(c: Pick<Core, 'phone' | 'email'>, key: string): boolean {
  return c.phone === key || c.email === key;
}
