import { z } from 'zod';
import { Attachment, Channel, IsoDate, Location } from './common.ts';

/** The one envelope every connector produces, whatever the channel. */
export const InboundMessage = z.object({
  channel: Channel,
  /** page id, handle, mailbox, SMS number, register */
  accountId: z.string().min(1),
  /** the channel's own message id: the dedupe key together with channel and accountId */
  externalId: z.string().min(1).max(512),
  /** what makes two messages one conversation: PSID, DM id, email thread root, phone number */
  threadKey: z.string().min(1),
  sender: z.object({
    id: z.string().min(1),
    name: z.string().optional(),
    phone: z.string().optional(),
    email: z.string().optional(),
  }),
  receivedAt: IsoDate,
  text: z.string(),
  subject: z.string().optional(),
  html: z.string().optional(),
  attachments: z.array(Attachment).default([]),
  location: Location.optional(),
  inReplyTo: z.string().optional(),
  /** a public post (a tweet, a page comment): the reply is public too, so it must carry no personal data */
  public: z.boolean().optional(),
  /** email only: the headers as received, names lower-cased (auto-reply and loop detection read them) */
  headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  /** the payload exactly as received */
  raw: z.unknown(),
});
export type InboundMessage = z.infer<typeof InboundMessage>;
export type InboundMessageInput = z.input<typeof InboundMessage>;
