import { describe, expect, it } from 'vitest';
import { previewOf } from '../../src/notify/campaign-preview.ts';
import type { Campaign } from '../../src/store/campaign-store.ts';

const campaign = (over: Partial<Campaign> = {}): Campaign => ({
  id: 'C7',
  name: 'पाणी बचत',
  texts: {
    // 65 UTF-16 units: one UCS-2 segment (70)
    mr: 'पाणी जपून वापरा. गळती दिसल्यास 1800 1030 222 वर कळवा. — पुणे मनपा',
    // 126 units: two UCS-2 segments (67 a part)
    hi: 'पानी बचाइए। नल खुला न छोड़ें, टंकी भरने पर मोटर बंद करें और पाइप में रिसाव दिखे तो 1800 1030 222 पर बताइए। — पुणे महानगरपालिका',
    // 162 GSM characters: two segments (153 a part)
    en: 'Save water: close taps, switch off the motor when the tank is full, and report any leaking pipe on 1800 1030 222 toll-free. Pune Municipal Corporation thanks you.',
  },
  audience: {},
  state: 'draft',
  counts: { queued: 0, skipped: 0 },
  createdBy: 'cli:test',
  createdAt: '2026-12-02T05:30:00.000Z',
  updatedAt: '2026-12-02T05:30:00.000Z',
  ...over,
});

const SIZES = { mr: { contacts: 1000, withPhone: 900 }, hi: { contacts: 200, withPhone: 200 }, en: { contacts: 50, withPhone: 10 } };

describe('the campaign preview', () => {
  it("shows each language's text, its SMS segments, the audience and the cost: segments × SMS recipients × cost of a segment", () => {
    const p = previewOf(campaign(), SIZES, 0.13);
    const by = Object.fromEntries(p.languages.map((l) => [l.language, l]));
    expect(by.mr).toMatchObject({ encoding: 'UCS-2', segments: 1, contacts: 1000, bySms: 900, cost: 117 });
    expect(by.hi).toMatchObject({ encoding: 'UCS-2', segments: 2, contacts: 200, bySms: 200, cost: 52 });
    expect(by.en).toMatchObject({ encoding: 'GSM-7', segments: 2, contacts: 50, bySms: 10, cost: 2.6 });
    expect(by.mr!.text).toBe(campaign().texts.mr);
    expect(p.total).toEqual({ contacts: 1250, bySms: 1110, segments: 900 + 400 + 20, cost: 171.6 });
    expect(p.problem).toBeUndefined();
  });

  it('covers only the languages the campaign goes out in, and says why it cannot be scheduled', () => {
    const p = previewOf(campaign({ audience: { languages: ['hi'], wards: ['hadapsar'] } }), SIZES, 0.2, 'channels.sms.dlt.templates.campaign must be set');
    expect(p.languages.map((l) => l.language)).toEqual(['hi']);
    expect(p.total.cost).toBe(80);
    expect(p.audience.wards).toEqual(['hadapsar']);
    expect(p.problem).toContain('templates.campaign');
    // a text in one language only: that language only
    expect(previewOf(campaign({ texts: { en: 'Ward office closed on Monday.' } }), SIZES, 0.13).languages.map((l) => l.language)).toEqual(['en']);
  });
});
