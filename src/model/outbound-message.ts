import { z } from 'zod';
import { Channel, IsoDate, Language } from './common.ts';

export const OutboundKind = z.enum(['ack', 'reply', 'status', 'feedback_request', 'info', 'campaign', 'staff']);

/** A message the bridge sends; it always travels through the outbox. */
export const OutboundMessage = z.object({
  channel: Channel,
  accountId: z.string().min(1),
  threadKey: z.string().min(1),
  /** the channel address: a phone number, PSID, email address, tweet id to reply to */
  to: z.string().min(1),
  text: z.string().min(1),
  subject: z.string().optional(),
  /** answers offered as buttons (quick replies, suggested actions) on channels that have them */
  choices: z.array(z.string().min(1)).optional(),
  language: Language,
  kind: OutboundKind,
  ticketNo: z.string().optional(),
  inReplyTo: z.string().optional(),
  /** posted where everyone reads it (a reply to a tweet or a page comment): it carries no personal data */
  public: z.boolean().optional(),
  /** a private answer to a public post (Messenger's private reply to a page comment): the post's id */
  privateReplyTo: z.string().optional(),
  /** India's DLT ids for an SMS (the principal entity and the registered content template), where the kind has them */
  dlt: z.object({ entityId: z.string(), templateId: z.string() }).optional(),
  /** an awareness campaign's message: never sent to a citizen who opted out (STOP) */
  campaignId: z.string().optional(),
  /** makes enqueueing idempotent: the same key never produces a second outbox entry */
  idempotencyKey: z.string().min(1),
});
export type OutboundMessage = z.infer<typeof OutboundMessage>;

export const DeliveryState = z.enum(['pending', 'sending', 'sent', 'delivered', 'undelivered', 'dead']);
export type DeliveryState = z.infer<typeof DeliveryState>;

export const OutboxEntry = z.object({
  id: z.number().int(),
  message: OutboundMessage,
  state: DeliveryState,
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: IsoDate,
  providerId: z.string().optional(),
  lastError: z.string().optional(),
  /**
   * An attempt that started at this time may have reached the provider without our hearing back (a reset, a
   * time-out): every later attempt looks the message up first, from here on.
   */
  unsureSince: IsoDate.optional(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type OutboxEntry = z.infer<typeof OutboxEntry>;
