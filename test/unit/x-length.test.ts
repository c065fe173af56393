import { describe, expect, it } from 'vitest';
import { cutToXWeight, xWeightedLength, X_MAX_WEIGHTED } from '../../src/render/x-length.ts';

describe("X's weighted length (twitter-text config v3)", () => {
  it('counts Latin and Devanagari as 1 a code point', () => {
    expect(xWeightedLength('Garbage not collected')).toBe(21);
    expect(xWeightedLength('कचरा उचलला नाही')).toBe([...'कचरा उचलला नाही'].length);
    expect(xWeightedLength('कचरा उचलला नाही')).toBe(15);
  });

  it('counts CJK as 2, an emoji sequence as 2 whatever its code points, a URL as 23', () => {
    expect(xWeightedLength('漢字')).toBe(4);
    expect(xWeightedLength('🙏')).toBe(2);
    expect(xWeightedLength('👨‍👩‍👧')).toBe(2); // three people joined by ZWJ: one emoji
    expect(xWeightedLength('🇮🇳')).toBe(2);
    expect(xWeightedLength('पहा https://pmc.gov.in/mr/complaint?id=PMC10001&lang=mr')).toBe(4 + 23);
  });

  it('cuts to the limit on a grapheme boundary, never inside a Devanagari cluster', () => {
    const long = 'कोथरूड भागात कचरा उचलला नाही. '.repeat(20);
    const cut = cutToXWeight(long);
    expect(xWeightedLength(cut)).toBeLessThanOrEqual(X_MAX_WEIGHTED);
    expect(xWeightedLength(cut)).toBeGreaterThan(X_MAX_WEIGHTED - 5);
    expect(cut.endsWith('…')).toBe(true);
    expect(/[\u094D]…$/u.test(cut)).toBe(false); // no dangling virama before the ellipsis
    expect(cutToXWeight('short')).toBe('short');
  });
});
