import type { Channel, Contact, Language, OutboundMessage } from '../model/index.ts';
import type { ContactSighting } from './store.ts';

/**
 * Awareness campaigns and the citizens' announcement choice (STOP / START): the part of the store
 * src/notify/campaign-sender.ts, the admin and the CLI use. A contact is one person across channels, so the choice
 * is the contact's, whatever channel it was sent on.
 */

export type CampaignState = 'draft' | 'scheduled' | 'sending' | 'done' | 'cancelled';
export const CAMPAIGN_STATES: readonly CampaignState[] = ['draft', 'scheduled', 'sending', 'done', 'cancelled'];

/** who receives a campaign: contacts who opted in, narrowed by the ward and language their complaints show */
export interface Audience {
  /** ward office ids of the contact's latest ticket */
  wards?: string[];
  /** absent: every language the campaign has a text in */
  languages?: Language[];
}

export interface CampaignCounts {
  /** outbox entries made (one per contact, at most) */
  queued: number;
  /** contacts with no channel that can carry an unsolicited message (a closed Messenger window, an ended web chat) */
  skipped: number;
}

export interface Campaign {
  id: string;
  /** what staff call it in lists */
  name: string;
  texts: Partial<Record<Language, string>>;
  audience: Audience;
  /** ISO; set when scheduled */
  scheduledAt?: string;
  state: CampaignState;
  /** the last contact id the sender went past: a restart resumes after it */
  cursor?: string;
  counts: CampaignCounts;
  /** `user:<id>`, `token:<id>`, `cli:<os user>` */
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
}

export type NewCampaign = Pick<Campaign, 'name' | 'texts' | 'audience' | 'createdBy'>;

/** where a citizen wrote from: where an unsolicited message to them can go, while the channel allows it */
export interface Reachable {
  channel: Channel;
  accountId: string;
  threadKey: string;
  to: string;
  /** ISO: when they wrote */
  at: string;
}

/** one contact of an audience, as the sender needs them */
export interface AudienceMember {
  contactId: string;
  phone?: string;
  language: Language;
  ward?: string;
  /** the message they opted in with, if any */
  optedInVia?: Reachable;
}

export interface AudienceQuery {
  /** the languages to include (the campaign's texts, narrowed by its audience) */
  languages: readonly Language[];
  wards?: readonly string[];
  /** a contact with no language chosen and no ticket is in this one */
  defaultLanguage: Language;
}

/** one batch of a campaign's sending: its messages, and where the cursor stands after it, in one step */
export interface CampaignBatch {
  /** the cursor the batch was read from: another process that moved it meanwhile wins, and this batch is dropped */
  from: string | undefined;
  to: string;
  messages: OutboundMessage[];
  skipped: number;
  /** the audience is exhausted: the campaign is done */
  done: boolean;
}

/** A STOP or START message: the contact found (or made), the choice written, confirmed once, the message done. */
export interface OptChange {
  inboundId: number;
  sighting: ContactSighting;
  choice: 'in' | 'out';
  via: Reachable;
  /** the confirmation, when the choice changed (none when the provider confirmed it itself) */
  confirm?: (contact: Contact, language: Language) => OutboundMessage;
  /** the language of the confirmation when the contact has none chosen and no ticket */
  language: Language;
  now: Date;
}

export type Deliverable = 'send' | 'opted out' | 'cancelled';

export interface CampaignStore {
  create(campaign: NewCampaign, at: Date): Promise<Campaign>;
  get(id: string): Promise<Campaign | undefined>;
  /** newest first */
  list(query?: { state?: CampaignState; limit?: number }): Promise<Campaign[]>;
  /**
   * moves a campaign on, only from one of `from` (undefined when it was not there: a second `cancel`, a schedule
   * of a campaign already sending)
   */
  transition(id: string, from: readonly CampaignState[], to: CampaignState, at: Date, scheduledAt?: Date): Promise<Campaign | undefined>;
  /** scheduled campaigns whose time has come, and those sending, oldest first */
  listDue(now: Date): Promise<Campaign[]>;
  /** opted-in contacts after `after` (by id), at most `limit`, who match */
  audience(query: AudienceQuery, after: string | undefined, limit: number): Promise<AudienceMember[]>;
  /** how many opted-in contacts match, per language, and how many of them have a phone (they get it by SMS) */
  audienceSize(query: AudienceQuery): Promise<Record<Language, { contacts: number; withPhone: number }>>;
  /** the outbox entries and the cursor, in one step; nothing when the campaign left `sending` or the cursor moved */
  recordBatch(id: string, batch: CampaignBatch, at: Date): Promise<{ outboxIds: number[]; applied: boolean }>;
  /** the latest private message of the contact's that became part of a complaint */
  lastReachable(contactId: string): Promise<Reachable | undefined>;

  recordOpt(change: OptChange): Promise<{ contact: Contact; changed: boolean; outboxIds: number[] }>;
  optOf(contactId: string): Promise<{ state: 'in' | 'out' | null; at?: string }>;
  /** whether a campaign's message to the contact may still go out */
  deliverable(campaignId: string, contactId: string): Promise<Deliverable>;
}

/** a campaign message's idempotency key: one per contact, whatever happens */
export const campaignKey = (campaignId: string, contactId: string): string => `campaign:${campaignId}:${contactId}`;

/** the contact a campaign message is for, from its key */
export function recipientOf(idempotencyKey: string, campaignId: string): string | undefined {
  const prefix = `campaign:${campaignId}:`;
  return idempotencyKey.startsWith(prefix) ? idempotencyKey.slice(prefix.length) : undefined;
}
