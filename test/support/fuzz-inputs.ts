import fc from 'fast-check';
import { expect } from 'vitest';
import { InboundMessage } from '../../src/model/index.ts';

// Arbitraries shared by the parser and normalizer fuzz runs (test/unit/*-fuzz*.test.ts). No run is timed: a parser
// that hangs or backtracks without end fails its test at vitest's time-out, and speed is the benchmarks' business.

/** Words of real complaints in Marathi, Hindi and English (ours), and the marks that make text hard to handle. */
const WORDS = [
  'कचरा', 'उचलला', 'गेला', 'नाही', 'पाणी', 'येत', 'रस्त्यावर', 'खड्डा', 'कोथरूड', 'वारजे', 'शनिवारवाड्याजवळ', 'तक्रार',
  'हडपसर', 'में', 'पानी', 'नहीं', 'आ', 'रहा', 'है', 'गली', 'सड़क', 'ज़्यादा',
  'Streetlight', 'not', 'working', 'near', 'Karve', 'Road', 'garbage', 'baner', 'madhe', 'rasta', 'kharab',
  // the Marathi eyelash र (ZWJ) and a broken conjunct (ZWNJ), a nukta letter that NFC decomposes, vowel signs
  'र्‍या', 'क्‌ष', '\u0958र', 'कि\u0951', 'ग़', 'e\u0301', 'a\u0301\u0327', 'Z\u0334',
  '🙏', '👍🏽', '👨‍👩‍👧', '🏳️‍🌈', '👩🏽‍💻', '⭐⭐⭐', '🇮🇳',
  '\u202Eउलट\u202C', '\u2067पुणे\u2069', '\u200Fرقم\u200E', 'x\u200By', '\uFEFF',
  '१२३४५', '४११०३८', '42', 'PMC12345', '+91 98220 12345', 'https://maps.google.com/?q=18.52,73.85',
];
const SEPARATORS = [' ', ' ', ' ', '  ', ', ', '। ', '\n', '\n\n\n', '\t', '\u00A0', '! ', '\r\n'];

/** What a citizen writes: words of the three languages, emoji, bidi controls and combining marks, no '@' or '>' first. */
export const citizenText = (maxWords = 30): fc.Arbitrary<string> =>
  fc
    .array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...SEPARATORS)), { minLength: 1, maxLength: maxWords })
    .map((pairs) => pairs.map(([w, s]) => w + s).join(''));

// characters that NFKC or NFC grow (ﷺ, ﬄ, ㍿, a composition exclusion), lone surrogate halves, controls
const ODD = ['\uFDFA', '\uFDFB', '\uFB04', '\u337F', '\u0958', '\uD83D', '\uDE00', '\u0000', '\u0007', '\u009B', '\u2028', '\uFFFD', '\u0301'];
const odd = fc.array(fc.constantFrom(...ODD), { maxLength: 20 }).map((a) => a.join(''));

/** Any text at all: graphemes, any code point, any UTF-16 unit (lone surrogates), the odd characters, ours. */
export const anyText = (maxLength = 60): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength }),
    odd,
    citizenText(),
  );

/** A long run of one piece (an emoji, a combining mark, a bidi control, a digit): `around` its limit. */
export const longRun = (around: number): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom('🙏', '\u0301', '\u093F', '\u202E', 'क्', '5', ' ', '\n', '&', '%', '"', '\\', '\uFDFA'), fc.integer({ min: Math.floor(around / 2), max: around + 10 }))
    .map(([piece, n]) => piece.repeat(Math.ceil(n / piece.length)).slice(0, n));

/** A value of the wrong type, or a string that is huge, odd or empty: what goes where the provider's field was. */
export const wrong: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 3, arbitrary: anyText() },
  { weight: 1, arbitrary: longRun(25_000) },
  { weight: 2, arbitrary: fc.constantFrom(null, '', 0, -1, 1.5, true, [], {}, '9'.repeat(16), '8700000000000000', 8.7e15, Number.MAX_SAFE_INTEGER) },
);

/**
 * `good` mostly, else something wrong in its place or nothing (the key left out): an object of a dozen fields is
 * then whole often enough for the runs to reach what a parser makes of it, and each fault is met alone.
 */
export const maybe = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> =>
  fc.oneof({ weight: 10, arbitrary: good }, { weight: 1, arbitrary: wrong }, { weight: 1, arbitrary: fc.constant(undefined) });

/** now and then: a field a payload seldom has (an echo flag, a quick reply), left out most of the time */
export const sometimes = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a });

/** an object of these keys, each its good value or a wrong one, keys left out when undefined */
export function shaped(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(fields);
  return fc.tuple(...keys.map((k) => maybe(fields[k]!))).map((values) => {
    const out: Record<string, unknown> = {};
    values.forEach((v, i) => {
      if (v !== undefined) out[keys[i]!] = v;
    });
    return out;
  });
}

/** an object of these keys, every one its good value (keys whose value is undefined left out) */
export const whole = (fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> =>
  fc.record(fields).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));

/**
 * `valid` with up to `most` faults, each at any place in it (a field, an array member, a nested object): replaced by
 * something wrong or taken out. Each fault is met alone, or two together, in a payload otherwise right.
 */
export function faulty<T>(valid: fc.Arbitrary<T>, most = 2): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.array(fc.tuple(fc.nat(), fc.option(wrong, { nil: undefined })), { maxLength: most })).map(([v, faults]) => {
    const out = structuredClone(v) as unknown;
    for (const [at, value] of faults) {
      const places: [Record<string, unknown>, string][] = [];
      const walk = (x: unknown): void => {
        if (x === null || typeof x !== 'object') return;
        for (const [k, child] of Object.entries(x)) {
          places.push([x as Record<string, unknown>, k]);
          walk(child);
        }
      };
      walk(out);
      if (places.length === 0) return value ?? null;
      const [parent, key] = places[at % places.length]!;
      if (value === undefined && !Array.isArray(parent)) delete parent[key];
      else parent[key] = value;
    }
    return out;
  });
}

export const digits = (min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

// a `u` regex reads a surrogate pair as one code point, so this matches unpaired halves only
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
export const wellFormed = (s: string): boolean => !LONE_SURROGATE.test(s);

/** a length as zod's .max() counts it: in code points (an emoji is one, not two) */
export const chars = (s: string): number => [...s].length;

/**
 * What every parser's message must be: the model's schema, an id the archive can key on, and the text as a string
 * within the parser's own limit (in characters, as the schemas count).
 */
export function expectMessage(m: InboundMessage, most: { text: number }): void {
  const checked = InboundMessage.safeParse(m);
  expect(checked.success, checked.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')).toBe(true);
  expect(m.externalId.length).toBeGreaterThan(0);
  expect(typeof m.text).toBe('string');
  expect(chars(m.text)).toBeLessThanOrEqual(most.text);
  expect(Number.isNaN(Date.parse(m.receivedAt))).toBe(false);
}

/** runs `parse`; an error of an allowed class is the parser refusing the input (undefined), any other fails the run */
export function refusedOr<T>(parse: () => T, ...allowed: (abstract new (...args: never[]) => Error)[]): T | undefined {
  try {
    return parse();
  } catch (err) {
    if (allowed.some((c) => err instanceof c)) return undefined;
    throw err;
  }
}

export async function refusedOrAsync<T>(parse: () => Promise<T>, ...allowed: (abstract new (...args: never[]) => Error)[]): Promise<T | undefined> {
  try {
    return await parse();
  } catch (err) {
    if (allowed.some((c) => err instanceof c)) return undefined;
    throw err;
  }
}
