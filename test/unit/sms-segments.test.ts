import { describe, expect, it } from 'vitest';
import { detectEncoding, segmentCount, segmentInfo, shapeToSegments } from '../../src/render/sms-segments.ts';

const MR =
  'नमस्कार. आपली तक्रार क्रमांक PMC10023 नोंदवली गेली आहे. संबंधित क्षेत्रीय कार्यालय लवकरच कार्यवाही करेल. ' +
  'तक्रारीची स्थिती जाणून घेण्यासाठी हा क्रमांक या क्रमांकावर पाठवा. कचरा, पाणीपुरवठा, रस्ते आणि पथदिवे यांच्या ' +
  'तक्रारी आम्ही चोवीस तासांत संबंधित विभागाकडे पाठवतो. धन्यवाद, पुणे महानगरपालिका.';
const HI =
  'नमस्ते। आपकी शिकायत संख्या PMC10024 दर्ज कर ली गई है। संबंधित विभाग जल्द ही कार्रवाई करेगा। ' +
  'शिकायत की स्थिति जानने के लिए यह संख्या हमें भेजें। पानी, कचरा, सड़क और स्ट्रीटलाइट की शिकायतें हम चौबीस घंटे ' +
  'में संबंधित विभाग को भेजते हैं। धन्यवाद, पुणे महानगरपालिका।';
const EN =
  'Your complaint PMC10025 has been registered. The ward office will act on it soon. ' +
  'To check its status, send this number to us at any time. Complaints about garbage, water supply, roads and ' +
  'streetlights are forwarded to the department within 24 hours. We will message you when it is resolved. ' +
  'Thank you for helping keep Pune clean and safe. Pune Municipal Corporation, citizen facilitation centre.';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const graphemes = (s: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].map((g) => g.segment);

/** the shaped text, minus its marker, is a prefix of the original that ends on a grapheme boundary */
function expectCleanCut(original: string, shaped: string, marker: string): void {
  expect(shaped.endsWith(marker)).toBe(true);
  const kept = shaped.slice(0, -marker.length).trimEnd();
  expect(original.startsWith(kept)).toBe(true);
  expect(LONE_SURROGATE.test(shaped)).toBe(false);
  const before = graphemes(original.slice(0, kept.length));
  const whole = graphemes(original);
  expect(before.slice(0, -1)).toEqual(whole.slice(0, before.length - 1));
  expect(before.at(-1)).toBe(whole[before.length - 1]);
}

describe('encoding', () => {
  it('is GSM-7 for plain English, UCS-2 for Devanagari, emoji, curly quotes and …', () => {
    expect(detectEncoding('Complaint PMC10023 registered @ Kothrud (ward 12)!')).toBe('GSM-7');
    expect(detectEncoding('Price: €5 [approx] {ok} ~ ^ | \\')).toBe('GSM-7');
    expect(detectEncoding('कचरा')).toBe('UCS-2');
    expect(detectEncoding('१२३४५')).toBe('UCS-2');
    expect(detectEncoding('ok 👍')).toBe('UCS-2');
    expect(detectEncoding('it’s')).toBe('UCS-2');
    expect(detectEncoding('wait…')).toBe('UCS-2');
  });
});

describe('segmentInfo', () => {
  it('counts GSM-7 at 160 for one SMS and 153 per part after that', () => {
    expect(segmentInfo('a'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(segmentCount('a'.repeat(161))).toBe(2);
    expect(segmentCount('a'.repeat(306))).toBe(2);
    expect(segmentCount('a'.repeat(307))).toBe(3);
  });

  it('counts extension characters as two septets and never splits one across parts', () => {
    expect(segmentInfo('€'.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(segmentCount('€'.repeat(81))).toBe(2);
    // 306 septets would be 2 parts, but the € cannot straddle the first boundary
    expect(segmentCount('a'.repeat(152) + '€' + 'a'.repeat(152))).toBe(3);
  });

  it('counts UCS-2 in UTF-16 code units at 70 and 67', () => {
    expect(segmentInfo('क'.repeat(70))).toEqual({ encoding: 'UCS-2', segments: 1, units: 70 });
    expect(segmentCount('क'.repeat(71))).toBe(2);
    expect(segmentCount('क'.repeat(134))).toBe(2);
    expect(segmentCount('क'.repeat(135))).toBe(3);
    // matras and viramas are code units of their own
    expect(segmentInfo('क्षेत्र').units).toBe(7);
  });

  it('counts an emoji as two units and keeps its surrogate pair in one part', () => {
    expect(segmentInfo('😀'.repeat(35))).toEqual({ encoding: 'UCS-2', segments: 1, units: 70 });
    expect(segmentCount('😀'.repeat(36))).toBe(2);
    expect(segmentCount('क'.repeat(66) + '😀' + 'क'.repeat(66))).toBe(3);
  });

  it('sends an empty text as one SMS', () => {
    expect(segmentCount('')).toBe(1);
  });
});

describe('shapeToSegments', () => {
  it('leaves a text that fits alone', () => {
    expect(shapeToSegments('तक्रार नोंदवली: PMC10023', 1)).toBe('तक्रार नोंदवली: PMC10023');
    expect(shapeToSegments(EN, 3)).toBe(EN);
  });

  it('cuts Marathi at the last sentence end and marks it with …', () => {
    expect(segmentCount(MR)).toBeGreaterThan(2);
    const shaped = shapeToSegments(MR, 2);
    expect(segmentCount(shaped)).toBeLessThanOrEqual(2);
    expect(shaped).toMatch(/\. …$/);
    expectCleanCut(MR, shaped, '…');
    expect(shaped).toContain('PMC10023');
  });

  it('cuts Hindi after a danda', () => {
    expect(segmentCount(HI)).toBeGreaterThan(2);
    const shaped = shapeToSegments(HI, 2);
    expect(segmentCount(shaped)).toBeLessThanOrEqual(2);
    expect(shaped).toMatch(/। …$/);
    expectCleanCut(HI, shaped, '…');
  });

  it('keeps English in GSM-7 by marking the cut with ... rather than …', () => {
    const shaped = shapeToSegments(EN, 2);
    expect(detectEncoding(shaped)).toBe('GSM-7');
    expect(segmentCount(shaped)).toBe(2);
    expect(shaped.length).toBeGreaterThan(200); // still uses the 153-septet parts
    expect(shaped).toMatch(/\. \.\.\.$/);
    expectCleanCut(EN, shaped, '...');
  });

  it('cuts at a word boundary when no sentence ends late enough', () => {
    const words = 'पाणीपुरवठा '.repeat(30).trim();
    const shaped = shapeToSegments(words, 1);
    expect(segmentCount(shaped)).toBe(1);
    expect(shaped).toMatch(/पाणीपुरवठा…$/);
    expectCleanCut(words, shaped, '…');
  });

  it('does not take a decimal point or a web address for a sentence end', () => {
    const text = 'Water supply in ward 3.5 will be off; see www.pmc.gov.in for details ' + 'and more words '.repeat(20);
    const shaped = shapeToSegments(text, 1);
    expect(shaped).not.toMatch(/3\. \.\.\.$|www\. \.\.\.$/);
    expect(shaped.endsWith('...')).toBe(true);
  });

  it('never splits a Devanagari conjunct or an emoji when there is no space to cut at', () => {
    const conjuncts = 'क्षत्रज्ञ'.repeat(40);
    const shaped = shapeToSegments(conjuncts, 1);
    expect(segmentCount(shaped)).toBe(1);
    expectCleanCut(conjuncts, shaped, '…');
    expect(shaped.slice(0, -1).endsWith('्')).toBe(false);

    const thumbs = '👍🏽'.repeat(40);
    const cut = shapeToSegments(thumbs, 1);
    expect(segmentCount(cut)).toBe(1);
    expect(cut).toBe('👍🏽'.repeat(17) + '…');
  });

  it('refuses a budget below one', () => {
    expect(() => shapeToSegments('x', 0)).toThrow(RangeError);
  });
});
