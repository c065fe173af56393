import { z } from 'zod';

/**
 * The channels the bridge speaks; a connector folder exists for each. `phone`: complaints call-centre agents file
 * for callers; `api`: other systems (Z+, the city's apps, Open311 clients); both through the signed intake API.
 */
export const Channel = z.enum(['sms', 'facebook', 'twitter', 'email', 'lokshahi', 'webchat', 'phone', 'api']);
export type Channel = z.infer<typeof Channel>;

/** The languages citizens are answered in. `und` = too little signal; the channel mapping's default applies. */
export const Language = z.enum(['mr', 'hi', 'en']);
export type Language = z.infer<typeof Language>;

export const IsoDate = z.string().datetime({ offset: true });

export const Location = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  label: z.string().optional(),
});
export type Location = z.infer<typeof Location>;

export const Attachment = z.object({
  kind: z.enum(['image', 'audio', 'video', 'file', 'location', 'other']),
  mime: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
  url: z.string().optional(),
  storedRef: z.string().optional(),
  name: z.string().optional(),
  /** not kept, and why ("larger than 10 MB"): the citizen sent it, staff can ask for it another way */
  refused: z.string().optional(),
});
export type Attachment = z.infer<typeof Attachment>;

/** Where a ticket came from: the dedupe key of the inbound archive. */
export const SourceRef = z.object({
  channel: Channel,
  accountId: z.string().min(1),
  externalId: z.string().min(1),
});
export type SourceRef = z.infer<typeof SourceRef>;
