import { z } from 'zod';
import { Channel, IsoDate, Language } from './common.ts';

/** A citizen, known by one or more channel identities; merged by E.164 phone and by email. */
export const Contact = z.object({
  id: z.string(),
  name: z.string().optional(),
  /** E.164, e.g. +919876543210 */
  phone: z.string().regex(/^\+[1-9]\d{6,14}$/).optional(),
  email: z.string().email().optional(),
  /** a language the citizen asked for; beats detection */
  preferredLanguage: Language.optional(),
  identities: z.array(z.object({ channel: Channel, id: z.string().min(1) })),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type Contact = z.infer<typeof Contact>;
