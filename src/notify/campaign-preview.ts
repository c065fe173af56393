import type { Language } from '../model/index.ts';
import { segmentInfo, type SmsEncoding } from '../render/sms-segments.ts';
import type { Campaign } from '../store/campaign-store.ts';
import { languagesOf } from './campaign-rules.ts';

export interface LanguagePreview {
  language: Language;
  text: string;
  /** SMS parts the text takes, and in which encoding (any Devanagari letter makes it UCS-2: 70 a part) */
  segments: number;
  encoding: SmsEncoding;
  characters: number;
  /** opted-in contacts in this language who match the audience */
  contacts: number;
  /** of them, those with a phone number: they get it by SMS, and it costs */
  bySms: number;
  /** rupees: segments × SMS recipients × the cost of a segment */
  cost: number;
}

export interface CampaignPreview {
  id: string;
  name: string;
  state: Campaign['state'];
  audience: Campaign['audience'];
  scheduledAt?: string;
  languages: LanguagePreview[];
  total: { contacts: number; bySms: number; segments: number; cost: number };
  segmentCost: number;
  /** why it cannot be scheduled now (a DLT id missing), or absent */
  problem?: string;
}

const rupees = (n: number): number => Math.round(n * 100) / 100;

/** What staff see before scheduling: each language's text, its SMS segments, who it reaches and what it costs. Pure. */
export function previewOf(
  campaign: Campaign,
  sizes: Record<Language, { contacts: number; withPhone: number }>,
  segmentCost: number,
  problem?: string,
): CampaignPreview {
  const languages = languagesOf(campaign).map((language): LanguagePreview => {
    const text = campaign.texts[language] ?? '';
    const info = segmentInfo(text);
    const { contacts, withPhone } = sizes[language];
    return { language, text, segments: info.segments, encoding: info.encoding, characters: [...text].length, contacts, bySms: withPhone, cost: rupees(info.segments * withPhone * segmentCost) };
  });
  const sum = (f: (l: LanguagePreview) => number) => languages.reduce((a, l) => a + f(l), 0);
  return {
    id: campaign.id,
    name: campaign.name,
    state: campaign.state,
    audience: campaign.audience,
    ...(campaign.scheduledAt ? { scheduledAt: campaign.scheduledAt } : {}),
    languages,
    total: { contacts: sum((l) => l.contacts), bySms: sum((l) => l.bySms), segments: sum((l) => l.segments * l.bySms), cost: rupees(sum((l) => l.cost)) },
    segmentCost,
    ...(problem ? { problem } : {}),
  };
}
