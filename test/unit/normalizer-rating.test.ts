import { describe, expect, it } from 'vitest';
import { parseRating } from '../../src/normalizer/rating.ts';

describe('parseRating', () => {
  it.each([
    ['5', 5],
    ['५', 5],
    ['4/5', 4],
    ['४/५', 4],
    ['4 out of 5', 4],
    ['५ पैकी ४', 4], // Marathi puts the whole first
    ['5 में से 3', 3], // and so does Hindi
    ['1', 1],
  ])('reads the digits in %s as %i', (reply, rating) => {
    expect(parseRating(reply)).toBe(rating);
  });

  it.each([
    ['पाच', 5],
    ['चार', 4],
    ['तीन', 3],
    ['दोन', 2],
    ['एक', 1],
    ['पांच', 5],
    ['पाँच', 5],
    ['दो', 2],
    ['five', 5],
    ['Four', 4],
    ['paanch', 5],
    ['panch', 5],
    ['char', 4],
    ['teen', 3],
    ['tin', 3],
    ['don', 2],
    ['do', 2],
    ['ek', 1],
  ])('reads the word %s as %i', (reply, rating) => {
    expect(parseRating(reply)).toBe(rating);
  });

  it.each([
    ['⭐⭐⭐⭐', 4],
    ['⭐️⭐️⭐️', 3], // with emoji presentation selectors
    ['★★★☆☆', 3], // only the filled stars count
    ['🌟🌟🌟🌟🌟', 5],
    ['5 stars', 5],
    ['5stars', 5],
    ['४स्टार', 4],
    ['5⭐', 5],
    ['5/5 ⭐⭐⭐⭐⭐', 5],
  ])('reads the stars in %s as %i', (reply, rating) => {
    expect(parseRating(reply)).toBe(rating);
  });

  it.each([
    ['5 - very good', 5],
    ['माझे रेटिंग ४', 4],
    ['मी ५ स्टार देतो', 5],
    ['मेरी रेटिंग 3 है', 3],
    ['rating: 4', 4],
    ['Rating - 5 stars. Thank you!', 5],
    ['४ धन्यवाद 🙏', 4],
    ['3 👍', 3],
    ['paanch, khup chan', 5],
    ['चार, बहुत अच्छा', 4],
  ])('reads %s, a rating with a few words around it, as %i', (reply, rating) => {
    expect(parseRating(reply)).toBe(rating);
  });

  it.each([
    '0',
    '6',
    '10',
    '10/10',
    '12345',
    '1800 1030 222',
    '9822012345',
    '4.5',
    '4 or 5',
    '5 ⭐⭐',
    '☆☆☆☆☆',
    'very good',
    '',
  ])('rejects %s: not one value from 1 to 5', (reply) => {
    expect(parseRating(reply)).toBeUndefined();
  });

  it.each([
    '5 दिवस पाणी नाही',
    '5 din se pani nahi aaya',
    'रस्त्यावर 3 खड्डे आहेत',
    'Garbage not collected for 4 days',
    'PMC12345',
    'तक्रार क्र. १२३४५ ची स्थिती काय आहे?',
  ])('rejects %s: a message that merely contains a number', (reply) => {
    expect(parseRating(reply)).toBeUndefined();
  });

  it('rejects a long message even when it only has rating words', () => {
    expect(parseRating(`5 ${'very good '.repeat(10)}`)).toBeUndefined();
  });
});
