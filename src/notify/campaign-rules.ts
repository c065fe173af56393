import { z } from 'zod';
import type { Config } from '../config/schema.ts';
import { campaignDltProblem } from '../connectors/sms/dlt.ts';
import { Language } from '../model/index.ts';
import type { AudienceQuery, Campaign } from '../store/campaign-store.ts';

// an announcement is read on a phone: ten SMS segments of Devanagari at most (Twilio takes 1,600 characters)
const MOST_CHARS = 670;

const Text = z.string().trim().min(1, 'must not be empty').max(MOST_CHARS, `must be at most ${MOST_CHARS} characters (ten SMS segments in Marathi or Hindi)`);

/** A campaign as staff give it (API body, CLI flags, the page's form): what it says, to whom. */
export const CampaignInput = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(120),
    texts: z
      .object({ mr: Text.optional(), hi: Text.optional(), en: Text.optional() })
      .strict()
      .refine((t) => Object.values(t).some((v) => v !== undefined), 'give the text in at least one language (mr, hi, en)'),
    audience: z
      .object({
        wards: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
        languages: z.array(Language).min(1).max(3).optional(),
      })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    for (const lang of c.audience.languages ?? [])
      if (!c.texts[lang]) ctx.addIssue({ code: 'custom', path: ['texts', lang], message: `the audience includes ${lang}: give its text` });
  });
export type CampaignInput = z.infer<typeof CampaignInput>;

/** the languages a campaign goes out in: its audience's, else every one it has a text in */
export function languagesOf(campaign: Pick<Campaign, 'texts' | 'audience'>): Language[] {
  return campaign.audience.languages ?? Language.options.filter((l) => campaign.texts[l] !== undefined);
}

export function audienceQuery(campaign: Pick<Campaign, 'texts' | 'audience'>, defaultLanguage: Language): AudienceQuery {
  return { languages: languagesOf(campaign), ...(campaign.audience.wards?.length ? { wards: campaign.audience.wards } : {}), defaultLanguage };
}

/** why this campaign cannot be scheduled or sent under this config; undefined when it can */
export function campaignProblem(campaign: Pick<Campaign, 'texts' | 'audience'>, config: Readonly<Pick<Config, 'channels'>>): string | undefined {
  const missing = languagesOf(campaign).filter((l) => !campaign.texts[l]);
  if (missing.length > 0) return `no text in ${missing.join(', ')}`;
  return campaignDltProblem(config.channels.sms.dlt);
}
