import { timeOrderedId } from '../time-ordered-id.ts';
import type Database from 'better-sqlite3';
import type { Contact, Language } from '../../model/index.ts';
import type { ContactSighting } from '../store.ts';
import { CONTACT_SELECT, type ContactRow, toContact } from './rows.ts';

interface Core {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
}

/**
 * Citizens and their channel identities.
 *
 * Matching order: channel identity, then phone, then email. Contacts are never merged into one another: when
 * the identity or phone points at one contact and the email at another, the first match wins and keeps its
 * own data; the sighting's email (or phone) is then not copied over, because it belongs to the other contact.
 * Name, phone and email are only filled in when the contact had none: a sighting never overwrites them.
 */
export class ContactTable {
  private readonly byIdentity;
  private readonly byPhone;
  private readonly byEmail;
  private readonly core;
  private readonly full;
  private readonly insert;
  private readonly update;
  private readonly touch;
  private readonly language;
  private readonly addIdentity;

  constructor(db: Database.Database) {
    this.byIdentity = db.prepare<[string, string]>(
      `SELECT contact_id AS id FROM contact_identities WHERE channel = ? AND channel_user_id = ?`,
    );
    this.byPhone = db.prepare<[string]>(`SELECT id FROM contacts WHERE phone = ?`);
    this.byEmail = db.prepare<[string]>(`SELECT id FROM contacts WHERE email = ?`);
    this.core = db.prepare<[string]>(`SELECT id, name, phone, email FROM contacts WHERE id = ?`);
    this.full = db.prepare<[string]>(`${CONTACT_SELECT} WHERE c.id = ?`);
    this.insert = db.prepare<[string, string | null, string | null, string | null, string, string]>(
      `INSERT INTO contacts (id, name, phone, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.update = db.prepare<[string | null, string | null, string | null, string, string]>(
      `UPDATE contacts SET name = ?, phone = ?, email = ?, updated_at = ? WHERE id = ?`,
    );
    this.touch = db.prepare<[string, string]>(`UPDATE contacts SET updated_at = ? WHERE id = ?`);
    this.language = db.prepare<[string | null, string, string]>(
      `UPDATE contacts SET preferred_language = ?, updated_at = ? WHERE id = ?`,
    );
    this.addIdentity = db.prepare<[string, string, string]>(
      `INSERT INTO contact_identities (contact_id, channel, channel_user_id) VALUES (?, ?, ?)
       ON CONFLICT (channel, channel_user_id) DO NOTHING`,
    );
  }

  setPreferredLanguage(id: string, language: Language | undefined): void {
    this.language.run(language ?? null, new Date().toISOString(), id);
  }

  findByIdentity(channel: string, channelUserId: string): Contact | undefined {
    const id = this.idOf(this.byIdentity.get(channel, channelUserId));
    return id === undefined ? undefined : this.get(id);
  }

  get(id: string): Contact | undefined {
    const row = this.full.get(id) as ContactRow | undefined;
    return row && toContact(row);
  }

  /** the caller holds the write transaction, begun IMMEDIATE (as WriteBatch and completeInbound do): two processes seeing one new citizen must not both create a contact */
  upsertWithin(s: ContactSighting): Contact {
    const now = new Date().toISOString();
    const name = s.name || null;
    const phone = s.phone || null;
    const email = s.email || null;
    const known = this.idOf(this.byIdentity.get(s.channel, s.channelUserId));
    // a claimed sender's id is the phone or address it claims: it finds a contact only if that is the contact's own
    const byIdentity = s.claimed && known !== undefined && !this.owns(known, s.channelUserId) ? undefined : known;
    const id =
      byIdentity ??
      (phone ? this.idOf(this.byPhone.get(phone)) : undefined) ??
      (email ? this.idOf(this.byEmail.get(email)) : undefined);

    let contactId: string;
    if (id === undefined) {
      // nothing matched, so neither the phone nor the email belongs to anyone yet
      contactId = timeOrderedId();
      this.insert.run(contactId, name, phone, email, now, now);
    } else {
      contactId = id;
      const c = this.core.get(id) as Core;
      // what another system only claims (an API's sender) finds a citizen, but adds no number or address to them:
      // a made-up phone beside a real email must not start receiving that citizen's replies
      const fill = !s.claimed;
      const next = {
        name: c.name ?? name,
        phone: c.phone ?? (fill && phone && !this.byPhone.get(phone) ? phone : null),
        email: c.email ?? (fill && email && !this.byEmail.get(email) ? email : null),
      };
      if (next.name !== c.name || next.phone !== c.phone || next.email !== c.email) {
        this.update.run(next.name, next.phone, next.email, now, id);
      }
    }
    // a claimed identity is kept only by a contact it is the phone or address of (else it would find them later)
    const keep = !s.claimed || id === undefined || this.owns(contactId, s.channelUserId);
    // a new channel for a known citizen is a change too
    if (keep && this.addIdentity.run(contactId, s.channel, s.channelUserId).changes === 1 && id !== undefined) {
      this.touch.run(now, contactId);
    }
    return this.get(contactId) as Contact;
  }

  /** the key is the contact's own phone number or address */
  private owns(id: string, key: string): boolean {
    const c = this.core.get(id) as Core | undefined;
    return c !== undefined && (c.phone === key || c.email === key);
  }

  private idOf(row: unknown): string | undefined {
    return (row as { id: string } | undefined)?.id;
  }
}
