import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The schema, one step per version. Never edit a released step: add a new one. The applied version lives in
 * `PRAGMA user_version`, so opening an existing file runs only the missing steps.
 * Times are ISO-8601 UTC strings from `Date.toISOString()`, which sort as text.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE inbound (
        id              INTEGER PRIMARY KEY,
        channel         TEXT NOT NULL,
        account_id      TEXT NOT NULL,
        external_id     TEXT NOT NULL,
        message         TEXT NOT NULL,            -- the whole InboundMessage as JSON, raw payload included
        state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'dead')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error      TEXT,
        duplicates      INTEGER NOT NULL DEFAULT 0,
        archived_at     TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        UNIQUE (channel, account_id, external_id)
      );
      CREATE INDEX inbound_due ON inbound (state, next_attempt_at);

      CREATE TABLE contacts (
        id                 TEXT PRIMARY KEY,
        name               TEXT,
        phone              TEXT,
        email              TEXT,
        preferred_language TEXT,
        created_at         TEXT NOT NULL,
        updated_at         TEXT NOT NULL
      );
      CREATE UNIQUE INDEX contacts_phone ON contacts (phone) WHERE phone IS NOT NULL;
      CREATE UNIQUE INDEX contacts_email ON contacts (email) WHERE email IS NOT NULL;

      CREATE TABLE contact_identities (
        id              INTEGER PRIMARY KEY,
        contact_id      TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        channel         TEXT NOT NULL,
        channel_user_id TEXT NOT NULL,
        UNIQUE (channel, channel_user_id)
      );
      CREATE INDEX contact_identities_contact ON contact_identities (contact_id);

      CREATE TABLE tickets (
        id         INTEGER PRIMARY KEY,
        ticket_no  TEXT NOT NULL UNIQUE,
        number     INTEGER NOT NULL UNIQUE,
        status     TEXT NOT NULL,
        contact_id TEXT NOT NULL,
        citizen    TEXT NOT NULL,                 -- JSON snapshot; the live contact wins when it exists
        data       TEXT NOT NULL,                 -- JSON: language, description, category, department, ward, …
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX tickets_status ON tickets (status, number);
      CREATE INDEX tickets_contact ON tickets (contact_id);

      CREATE TABLE ticket_sources (
        id          INTEGER PRIMARY KEY,
        ticket_id   INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
        channel     TEXT NOT NULL,
        account_id  TEXT NOT NULL,
        external_id TEXT NOT NULL,
        UNIQUE (channel, account_id, external_id)
      );
      CREATE INDEX ticket_sources_ticket ON ticket_sources (ticket_id);

      CREATE TABLE ticket_history (
        id          INTEGER PRIMARY KEY,
        ticket_id   INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
        at          TEXT NOT NULL,
        by          TEXT NOT NULL,
        from_status TEXT,
        to_status   TEXT NOT NULL,
        note        TEXT
      );
      CREATE INDEX ticket_history_ticket ON ticket_history (ticket_id);

      CREATE TABLE conversations (
        key  TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        etag TEXT NOT NULL
      );

      CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY,
        idempotency_key TEXT NOT NULL UNIQUE,
        message         TEXT NOT NULL,
        state           TEXT NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'sending', 'sent', 'delivered', 'undelivered', 'dead')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        provider_id     TEXT,
        last_error      TEXT,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
      );
      CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
      CREATE INDEX outbox_provider ON outbox (provider_id) WHERE provider_id IS NOT NULL;

      CREATE TABLE cursors (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE channel_mappings (
        id   TEXT PRIMARY KEY,
        json TEXT NOT NULL
      );

      CREATE TABLE counters (
        name  TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'resolved tickets awaiting a rating',
    // every few seconds the bridge looks for these; the partial index holds only them, so the look costs the
    // same with years of rated tickets behind it (tickets.ts names it, INDEXED BY, with this WHERE word for word)
    sql: `
      CREATE INDEX tickets_awaiting_rating ON tickets (number)
        WHERE status = 'resolved' AND json_extract(data, '$.feedback') IS NULL
          AND json_extract(data, '$.ratingRequestedAt') IS NULL;
    `,
  },
  {
    version: 3,
    name: 'outbox: when a send of unknown outcome started',
    // set when an attempt's answer was lost (a reset, a time-out): later attempts ask the provider first
    sql: `ALTER TABLE outbox ADD COLUMN unsure_since TEXT;`,
  },
  {
    version: 4,
    name: 'the readiness check row',
    // one row, rewritten by every readiness check: a write that fails when the disk is full or read-only
    sql: `CREATE TABLE health (id INTEGER PRIMARY KEY CHECK (id = 1), checked_at TEXT NOT NULL);`,
  },
  {
    version: 5,
    name: 'conversations that asked to be woken',
    // written in the same transaction as the turn that asks; a sweep runs the bot's own turn when the time comes
    sql: `
      CREATE TABLE wakeups (
        conversation TEXT PRIMARY KEY,
        inbound_id   INTEGER NOT NULL,
        wake_at      TEXT NOT NULL
      );
      CREATE INDEX wakeups_due ON wakeups (wake_at);
    `,
  },
  {
    version: 6,
    name: 'web chat conversations and their logs',
    // in the store, not one process's memory: a reload, a restart or another web process finds the conversation
    sql: `
      CREATE TABLE chat_conversations (
        id         TEXT PRIMARY KEY,
        user_id    TEXT NOT NULL,
        kept_until TEXT NOT NULL,
        next_seq   INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX chat_conversations_user ON chat_conversations (user_id, kept_until);
      CREATE INDEX chat_conversations_kept ON chat_conversations (kept_until);
      CREATE TABLE chat_entries (
        conversation_id TEXT NOT NULL REFERENCES chat_conversations (id) ON DELETE CASCADE,
        seq             INTEGER NOT NULL,
        activity        TEXT,             -- NULL while reserved
        reserved_at     TEXT,             -- a reservation a crash left behind is skipped after a while
        outbox_id       INTEGER UNIQUE,   -- a bot reply: one entry per outbox entry
        PRIMARY KEY (conversation_id, seq)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 7,
    name: 'staff administration: configuration records, the audit, sessions; tickets by ward and department',
    // mappings join the other records staff edit (one versioned, audited table); the audit refuses changes
    sql: `
      CREATE TABLE admin_records (
        kind       TEXT NOT NULL,
        id         TEXT NOT NULL,
        data       TEXT NOT NULL,
        version    INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (kind, id)
      ) WITHOUT ROWID;
      INSERT INTO admin_records (kind, id, data, version, updated_at)
        SELECT 'mapping', id, json, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM channel_mappings;
      DROP TABLE channel_mappings;
      CREATE TABLE audit (
        id        INTEGER PRIMARY KEY,
        at        TEXT NOT NULL,
        actor     TEXT NOT NULL,
        action    TEXT NOT NULL,
        kind      TEXT NOT NULL,
        record_id TEXT NOT NULL,
        before    TEXT,
        after     TEXT,
        note      TEXT
      );
      CREATE INDEX audit_record ON audit (kind, record_id, id);
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit is append-only'); END;
      -- INSERT OR REPLACE deletes without firing delete triggers: an existing entry is never written over
      CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit WHEN EXISTS (SELECT 1 FROM audit WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'the audit is append-only'); END;
      CREATE TABLE staff_sessions (
        id         TEXT PRIMARY KEY,
        user_id    TEXT NOT NULL,
        csrf       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX staff_sessions_user ON staff_sessions (user_id);
      CREATE INDEX tickets_ward ON tickets (json_extract(data, '$.ward'), status);
      CREATE INDEX tickets_department ON tickets (json_extract(data, '$.department'), status);
      -- the queue's overdue and unrouted counts, without reading every ticket's JSON (the WHERE as ticket-filter.ts writes it)
      CREATE INDEX tickets_open_due ON tickets (json_extract(data, '$.slaDueAt')) WHERE status NOT IN ('resolved', 'closed', 'rejected');
      CREATE INDEX tickets_unrouted ON tickets (number) WHERE json_extract(data, '$.routing.unrouted') = 1;
      -- a ticket's page: what was said about it, and in its conversation
      CREATE INDEX outbox_ticket ON outbox (json_extract(message, '$.ticketNo')) WHERE json_extract(message, '$.ticketNo') IS NOT NULL;
      CREATE INDEX outbox_thread ON outbox (json_extract(message, '$.threadKey'));
    `,
  },
  {
    version: 8,
    // keeping citizens informed: the ticket history is the log of changes the status updates are made from
    name: 'ticket history: public notes, places, and the status updates cursor',
    sql: `
      -- what the officer wrote for the citizen (the note stays internal), and where a forward sent the ticket
      ALTER TABLE ticket_history ADD COLUMN public_note TEXT;
      ALTER TABLE ticket_history ADD COLUMN place TEXT;
      -- the status updates read the history in order, and each change's next one on the same ticket
      CREATE INDEX ticket_history_ticket_id ON ticket_history (ticket_id, id);
      -- another system that writes the shared store changes a status without a history entry: the store writes
      -- one, so the change is told to the citizen too (the bridge writes its entry first, so this stays quiet)
      CREATE TRIGGER tickets_status_history AFTER UPDATE OF status ON tickets
        WHEN OLD.status IS NOT NEW.status AND coalesce((SELECT h.to_status FROM ticket_history h WHERE h.ticket_id = NEW.id
             ORDER BY h.id DESC LIMIT 1), '') IS NOT NEW.status
        BEGIN
          INSERT INTO ticket_history (ticket_id, at, by, from_status, to_status)
            VALUES (NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'store', OLD.status, NEW.status);
        END;
      -- what happened before this version is not news: the updates start from here
      INSERT OR IGNORE INTO cursors (key, value) SELECT 'notify:history', CAST(coalesce(max(id), 0) AS TEXT) FROM ticket_history;
    `,
  },
  {
    version: 9,
    name: 'awareness campaigns; each contact’s announcement choice (STOP / START)',
    // NULL: never asked, so in no audience. The sender pages the opted-in by id (contacts_announcements); its cursor
    // is on the campaign row, written with each batch of outbox entries
    sql: `
      ALTER TABLE contacts ADD COLUMN announcements TEXT CHECK (announcements IN ('in', 'out'));
      ALTER TABLE contacts ADD COLUMN announcements_at TEXT;
      ALTER TABLE contacts ADD COLUMN announcements_via TEXT;  -- JSON: where they opted in from
      CREATE INDEX contacts_announcements ON contacts (announcements, id);
      CREATE TABLE campaigns (
        id           TEXT PRIMARY KEY,
        name         TEXT NOT NULL,
        texts        TEXT NOT NULL,                -- JSON {mr?, hi?, en?}
        audience     TEXT NOT NULL,                -- JSON {wards?, languages?}
        scheduled_at TEXT,
        state        TEXT NOT NULL CHECK (state IN ('draft', 'scheduled', 'sending', 'done', 'cancelled')),
        cursor       TEXT,
        queued       INTEGER NOT NULL DEFAULT 0,
        skipped      INTEGER NOT NULL DEFAULT 0,
        created_by   TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        started_at   TEXT,
        finished_at  TEXT
      ) WITHOUT ROWID;
      CREATE INDEX campaigns_due ON campaigns (state, scheduled_at);
    `,
  },
];

export const LATEST_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/**
 * Brings the database up to LATEST_VERSION. Each step and its version bump commit together, and the write
 * lock is taken first (IMMEDIATE) so two processes opening the same file do not both run a step.
 * Returns the versions applied now (empty when the file was already current).
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const applied: number[] = [];
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const step = db.transaction((m: Migration) => {
    // re-read inside the lock: another process may have migrated meanwhile
    if (currentVersion(db) >= m.version) return;
    db.exec(m.sql);
    db.pragma(`user_version = ${Math.trunc(m.version)}`);
    applied.push(m.version);
  });
  for (const m of sorted) {
    if (currentVersion(db) >= m.version) continue;
    step.immediate(m);
  }
  const now = currentVersion(db);
  const known = sorted.at(-1)?.version ?? 0;
  // an older program must not write into a schema it does not know
  if (now > known) throw new Error(`the database schema is version ${now}, newer than this program knows (${known})`);
  return applied;
}

export function currentVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}
