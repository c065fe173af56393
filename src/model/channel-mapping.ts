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
  /** hours until the SLA is due when no category rule says otherwise */
  slaHours: z.number().positive().default(72),
  enabled: z.boolean().default(true),
});
export type ChannelMapping = z.infer<typeof ChannelMapping>;
export type ChannelMappingInput = z.input<typeof ChannelMapping>;
