import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText } from '../../src/normalizer/text.ts';
import { numericForm } from '../../src/normalizer/digits.ts';
import { extractLinks, withoutLinks } from '../../src/normalizer/links.ts';
import { extractPhones } from '../../src/normalizer/phone.ts';
import { extractPinCodes } from '../../src/normalizer/pin-code.ts';
import { extractTicketNumbers } from '../../src/normalizer/ticket-number.ts';
import { parseRating } from '../../src/normalizer/rating.ts';
import { extractCoordinates } from '../../src/normalizer/coordinates.ts';

// The pieces that make cleanup hard, mixed freely: Devanagari letters, vowel signs, virama and nukta (and a stress
// mark whose combining class makes NFC reorder it), Latin letters and combining marks, emoji with skin tones,
// presentation selectors and ZWJ, ZWNJ, bidi and zero-width controls, every kind of space and line break, digits in
// two scripts, lone surrogate halves and control characters.
const PIECES = [
  'क', 'ष', 'र', 'य', 'प', 'ा', 'ि', 'ं', '्', '़', '\u0951', '\u0958', '।',
  'a', 'e', 'Z', '\u0301', '\u0334',
  '👨', '👩', '👧', '🏽', '🏳', '🌈', '⭐', '\uFE0F', '🙏',
  '\u200D', '\u200C', '\u200B', '\u200E', '\u200F', '\u202A', '\u202E', '\u2066', '\u2069', '\u2060', '\uFEFF', '\u00AD', '\u061C', '\u180E',
  ' ', '  ', '\t', '\u00A0', '\u2003', '\u3000', '\n', '\n\n\n', '\r\n', '\r', '\u2028', '\u2029', '\u0085', '\v', '\f',
  '५', '5', '0', '@', '#', '.', ',', 'https://', 'www.',
  '\uD83D', '\uDE00', '\u0000', '\u0007', '\u009B',
];
const mixedText = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((pieces) => pieces.join(''));
const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 60 }),
  mixedText,
);

// eslint-disable-next-line no-control-regex -- checking that control characters are gone
const INVISIBLE = /[\p{Bidi_Control}\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\u00AD\u180E\u200B\u2060-\u2064\uFEFF]/u;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const EMOJI = /\p{Extended_Pictographic}/gu;

describe('cleanText properties', () => {
  it('is idempotent for any string', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const once = cleanText(text);
        expect(cleanText(once)).toBe(once);
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves NFC text without invisible controls, lone surrogates, runs of spaces or blank-line runs', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const clean = cleanText(text);
        expect(clean.normalize('NFC')).toBe(clean);
        expect(INVISIBLE.test(clean)).toBe(false);
        expect(LONE_SURROGATE.test(clean)).toBe(false);
        expect(clean).not.toMatch(/[^\S\n ]| {2}| \n|\n |\n{3}/);
        expect(clean).toBe(clean.trim());
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a joiner only between Devanagari characters or inside an emoji sequence', () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        const clean = cleanText(text);
        for (let i = clean.indexOf('\u200C'); i !== -1; i = clean.indexOf('\u200C', i + 1)) {
          expect(clean.slice(i - 1, i + 2)).toMatch(/^\p{Script=Devanagari}\u200C\p{Script=Devanagari}$/u);
        }
        for (let i = clean.indexOf('\u200D'); i !== -1; i = clean.indexOf('\u200D', i + 1)) {
          expect(clean.slice(Math.max(0, i - 2), i + 3)).toMatch(
            /(?:\p{Script=Devanagari}\u200D\p{Script=Devanagari}|[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]\u200D\p{Extended_Pictographic})/u,
          );
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never loses an emoji', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        // up to canonical equivalence: cleanText composes (NFC), and "↔" + U+0338 is one character, "↮"
        expect(cleanText(text).match(EMOJI) ?? []).toEqual(text.normalize('NFC').match(EMOJI) ?? []);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('numericForm properties', () => {
  it('changes decimal digits only, to ASCII, and keeps Basic Multilingual Plane offsets', () => {
    const bmpText = fc.string({
      unit: fc.oneof(
        fc.integer({ min: 0, max: 0xd7ff }).map((code) => String.fromCharCode(code)),
        fc.constantFrom('०', '५', '९', '૩', '৭', '٣', '۶', '５'),
      ),
      maxLength: 60,
    });
    fc.assert(
      fc.property(bmpText, (text) => {
        const numeric = numericForm(text);
        expect(numeric).toHaveLength(text.length);
        for (let i = 0; i < text.length; i++) {
          const char = text[i] as string;
          if (/\p{Nd}/u.test(char)) expect(numeric[i]).toMatch(/[0-9]/);
          else expect(numeric[i]).toBe(char);
        }
        expect(numericForm(numeric)).toBe(numeric);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('entity extraction on arbitrary text', () => {
  it('never throws and only returns well-formed values', () => {
    const entityText = fc.oneof(
      anyText,
      fc
        .array(
          fc.constantFrom(
            '9822012345', '+91 ', '098220 ', '12345', '411', '038', 'PMC', 'complaint no ', 'तक्रार क्र. ', '१२३४५',
            '18.5204', ', ', '73.8567', 'geo:', 'https://maps.google.com/?q=', '@', '#पुणे', ' ', '-', '/', '⭐', 'पाच',
          ),
          { maxLength: 12 },
        )
        .map((pieces) => pieces.join('')),
    );
    fc.assert(
      fc.property(entityText, (text) => {
        for (const phone of extractPhones(text)) expect(phone).toMatch(/^\+[1-9]\d{6,14}$/);
        for (const { pin } of extractPinCodes(text)) expect(pin).toMatch(/^[1-9]\d{5}$/);
        for (const ticket of extractTicketNumbers(text)) expect(ticket).toMatch(/^PMC\d{5,12}$/);
        const rating = parseRating(text);
        if (rating !== undefined) expect([1, 2, 3, 4, 5]).toContain(rating);
        const place = extractCoordinates(text);
        if (place) {
          expect(Math.abs(place.lat)).toBeLessThanOrEqual(90);
          expect(Math.abs(place.lon)).toBeLessThanOrEqual(180);
        }
        // every URL found is taken out of the text at least once
        const rest = withoutLinks(text);
        for (const url of extractLinks(text).urls) expect(rest.split(url).length).toBeLessThan(text.split(url).length);
      }),
      { numRuns: 2000 },
    );
  });
});
