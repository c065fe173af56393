import { z } from 'zod';
import { Attachment, Channel, IsoDate, Language, Location } from './common.ts';

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
    /** the phone and email are the sender's word, not proven by the channel (another system's API, a form) */
    claimed: z.boolean().optional(),
  }),
  receivedAt: IsoDate,
  text: z.string(),
  subject: z.string().optional(),
  html: z.string().optional(),
  attachments: z.array(Attachment).default([]),
  location: Location.optional(),
  inReplyTo: z.string().optional(),
  /**
   * The ticket this message says it belongs to, as its channel shows it (a reply to our mail about the ticket, the
   * number in an email subject): it joins that ticket while it is open and the citizen's own.
   */
  ticketRef: z.string().optional(),
  /**
   * Messages of one thread are one complaint while it is open (a page comment thread, an email thread): a later
   * message of it joins the ticket instead of filing another. Public posts always are.
   */
  threaded: z.boolean().optional(),
  /** filed or joined, but not answered: it answers a notice of ours that needs none (else two machines loop) */
  quiet: z.boolean().optional(),
  /** the source knows the citizen's language (an agent heard them speak): it is answered in it */
  language: Language.optional(),
  /** the source classified the complaint itself (a category id of config/categories.yaml) */
  category: z.string().optional(),
  /** who filed it for the citizen (a call-centre agent's id): kept in the ticket's history */
  filedBy: z.string().min(1).max(64).optional(),
  /** a note for staff on the ticket's first history entry (a Lokshahi Din token and its hearing date) */
  note: z.string().max(2000).optional(),
  /**
   * The source's own rules say it cannot be taken up (Lokshahi Din's admissibility): the ticket is filed as rejected
   * with `reason` (for staff), and the citizen is told why in the words of config/messages `notAdmissible.<rule>`.
   */
  notAdmissible: z.object({ rule: z.string().min(1), reason: z.string().min(1) }).optional(),
  /** a public post (a tweet, a page comment): the reply is public too, so it must carry no personal data */
  public: z.boolean().optional(),
  /** email only: the headers as received, names lower-cased (auto-reply and loop detection read them) */
  headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  /** the payload exactly as received */
  raw: z.unknown(),
});
export type InboundMessage = z.infer<typeof InboundMessage>;
export type InboundMessageInput = z.input<typeof InboundMessage>;
