import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadGazetteer } from '../../src/config/gazetteer.ts';
import type { InboundMessage } from '../../src/model/index.ts';
import { createNormalizer, normalize as plainNormalize, type NormalizedMessage } from '../../src/normalizer/index.ts';
import { cleanText } from '../../src/normalizer/text.ts';
import { ROOT } from '../support/bridge-process.ts';
import { anyText, citizenText, longRun, wellFormed } from '../support/fuzz-inputs.ts';
import { citizenSms } from '../support/pipeline-parts.ts';

// Fuzz runs of the normalizer's entry point (createNormalizer, as app.ts builds it from the shipped gazetteer) on
// any text: whatever a parser hands it, it never throws, cleans once and for all, and says a language it knows.
// Speed is `npm run bench normalizer`; here the runs are only bounded (the long texts are few).

const gazetteer = loadGazetteer(join(ROOT, 'config'));
const normalize = createNormalizer({ ...gazetteer, ticketPrefix: 'PMC', ownAddresses: ['complaints@pmc.example.in'] });
const WARDS = new Set(gazetteer.wards.map((w) => w.id));
const CATEGORIES = new Set(gazetteer.categories.map((c) => c.id));
const OUTSIDE = new Set(gazetteer.outsideAreas.map((a) => a.id));

// eslint-disable-next-line no-control-regex -- checking that control characters are gone
const INVISIBLE = /[\p{Bidi_Control}\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\u00AD\u180E\u200B\u2060-\u2064\uFEFF]/u;

/** what every normalized message is, whatever its text */
function expectNormalized(n: NormalizedMessage, from: InboundMessage): void {
  expect(wellFormed(n.text)).toBe(true);
  expect(n.text.normalize('NFC')).toBe(n.text);
  expect(INVISIBLE.test(n.text)).toBe(false);
  expect(n.text).toBe(n.text.trim());
  // digits as ASCII, and no longer (an astral digit, 𝟓, is one unit fewer)
  expect(n.numeric.length).toBeLessThanOrEqual(n.text.length);
  expect(n.numeric).not.toMatch(/(?![0-9])\p{Nd}/u);
  expect(['mr', 'hi', 'en', 'und']).toContain(n.language.lang);
  expect(['Deva', 'Latn', 'mixed', 'other']).toContain(n.language.script);
  expect(n.language.confidence).toBeGreaterThanOrEqual(0);
  expect(n.language.confidence).toBeLessThanOrEqual(1);
  if (n.language.lang === 'und') expect(n.language.confidence).toBe(0);
  const e = n.entities;
  for (const p of e.phones) expect(p).toMatch(/^\+[1-9]\d{6,14}$/);
  for (const { pin } of e.pinCodes) expect(pin).toMatch(/^[1-9]\d{5}$/);
  for (const t of e.ticketNumbers) expect(t).toMatch(/^PMC\d{5,12}$/);
  if (e.rating !== undefined) expect([1, 2, 3, 4, 5]).toContain(e.rating);
  if (e.ward) expect(WARDS.has(e.ward.wardId)).toBe(true);
  if (e.outsideArea) expect(OUTSIDE.has(e.outsideArea.areaId)).toBe(true);
  for (const c of e.categories) expect(CATEGORIES.has(c.categoryId)).toBe(true);
  if (e.location) expect(Math.abs(e.location.lat) <= 90 && Math.abs(e.location.lon) <= 180).toBe(true);
  // a subject of only blanks or invisible marks says nothing either
  expect(n.empty).toBe(n.text === '' && !cleanText(from.subject ?? '') && from.attachments.length === 0 && !from.location);
}

// the hard cases at length: 10,000 emoji, runs of combining marks and bidi controls, a page of Marathi
const long = fc.oneof(
  longRun(10_000),
  fc.tuple(fc.constantFrom('🙏', '👨‍👩‍👧', '🏳️‍🌈', '👍🏽', '🇮🇳'), fc.integer({ min: 9_000, max: 10_000 })).map(([emoji, n]) => emoji.repeat(n)),
  fc.tuple(fc.constantFrom('क', 'a', '🙏'), fc.constantFrom('\u0301', '\u093F', '\u0951\u093C', '\u200D', '\u202E\u202C', '\uFE0F'), fc.integer({ min: 100, max: 5000 })).map(([base, mark, n]) => base + mark.repeat(n)),
  citizenText(2000),
  fc.string({ unit: 'binary', minLength: 2000, maxLength: 4000 }),
);

describe('the normalizer on any text a parser hands it', () => {
  it('never throws, and what it returns is clean text, a known language and well-formed entities', () => {
    fc.assert(
      fc.property(anyText(200), (text) => {
        const m = citizenSms(text);
        const n = normalize(m);
        expectNormalized(n, m);
        // NFC makes at most three of a character; nothing else adds any
        expect(n.text.length).toBeLessThanOrEqual(3 * text.length);
        expect(n.text).toBe(cleanText(text));
      }),
      { numRuns: 800 },
    );
  });

  it('is idempotent: its own text normalizes to the same message', () => {
    fc.assert(
      fc.property(fc.oneof(anyText(200), citizenText(40)), (text) => {
        const once = normalize(citizenSms(text));
        expect(normalize(citizenSms(once.text))).toEqual(once);
        expect(plainNormalize(citizenSms(once.text)).text).toBe(once.text);
      }),
      { numRuns: 400 },
    );
  });

  it('takes long texts whole: 10,000 emoji, thousands of combining marks or bidi controls, a page of words', () => {
    fc.assert(
      fc.property(long, (text) => {
        const m = citizenSms(text);
        const n = normalize(m);
        expectNormalized(n, m);
        expect(n.text.length).toBeLessThanOrEqual(3 * text.length);
        expect(normalize(citizenSms(n.text)).text).toBe(n.text);
      }),
      { numRuns: 40 },
    );
  });

  it('an email of any text, HTML, subject and headers is read without throwing, its verdict one it knows', () => {
    const header = fc.oneof(fc.constantFrom('auto-submitted', 'precedence', 'list-id', 'x-pmc-bridge', 'content-type', 'x-autoreply', 'return-path'), anyText(12));
    const mail = fc.record({
      text: fc.oneof(anyText(300), citizenText(60), fc.constantFrom('\n> quoted\n> lines', '-- \nSunita\n+91 98220 12345', 'On Mon, Sunita wrote:\n> x'), long),
      html: fc.option(fc.oneof(anyText(200), fc.constantFrom('<p>पाणी<br>नाही</p>', '<hr><table><tr><td>a</td><td>b</td></tr></table>', '<blockquote>x</blockquote>', '<div><<<>>>&amp;&#99999999;')), { nil: undefined }),
      subject: fc.option(fc.oneof(anyText(60), fc.constantFrom('Automatic reply: तक्रार', 'Undeliverable: x', 'Re: PMC12345')), { nil: undefined }),
      headers: fc.dictionary(header, fc.oneof(anyText(30), fc.array(anyText(10), { maxLength: 3 })), { maxKeys: 4 }),
      from: fc.option(fc.constantFrom('sunita@example.org', 'complaints@pmc.example.in', 'MAILER-DAEMON@x.example'), { nil: undefined }),
    });
    fc.assert(
      fc.property(mail, ({ text, html, subject, headers, from }) => {
        const m: InboundMessage = {
          ...citizenSms(text),
          channel: 'email',
          ...(html !== undefined ? { html } : {}),
          ...(subject !== undefined ? { subject } : {}),
          headers,
          sender: { id: from ?? 'unknown:7:42', ...(from ? { email: from } : {}) },
        };
        const n = normalize(m);
        expectNormalized(n, m);
        if (n.automated) expect(n.automated.reason).not.toBe('');
        expect(n.text.length).toBeLessThanOrEqual(3 * text.length + 11 * (html?.length ?? 0));
      }),
      { numRuns: 300 },
    );
  });
});
