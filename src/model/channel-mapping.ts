import { z } from 'zod';
import { Channel, Language } from './common.ts';

/**
 * What staff configure: which account of which channel maps to which department, ward, language and reply
 * policy. `accountId: '*'` is the channel's fallback.
 */
export const ChannelMapping = z.object({
  id: z.string().min(1),
  channel: Channel,
  accountId: z.string().min(1),
  department: z.string().min(1),
  ward: z.string().optional(),
  defaultLanguage: Language,
  /** conversational channels ask follow-up questions; one-shot ones file at once */
  replyPolicy: z.enum(['conversational', 'one-shot', 'silent']),
  /** hours until the SLA is due when no category rule says otherwise; at most a year, as an SLA policy's hours */
  slaHours: z.number().positive().max(24 * 365).default(72),
  enabled: z.boolean().default(true),
  /** when the office behind this account answers (India time); outside them the off-hours message is added */
  officeHours: z
    .object({
      /** ISO weekdays, 1 = Monday … 7 = Sunday */
      days: z.array(z.number().int().min(1).max(7)).min(1),
      from: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
      to: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
    })
    .strict()
    .refine((h) => h.from < h.to, { message: 'from must be before to', path: ['to'] })
    .optional(),
  /** told to a citizen who writes outside office hours, in their language */
  offHoursMessage: z.object({ mr: z.string().min(1), hi: z.string().min(1), en: z.string().min(1) }).strict().optional(),
});
export type ChannelMapping = z.infer<typeof ChannelMapping>;
export type ChannelMappingInput = z.input<typeof ChannelMapping>;
