import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MESSAGE_SID, MOST_BODY_CHARS, SmsPayloadError, parseInboundSms } from '../../src/connectors/sms/parse.ts';
import { BadBodyError, MOST_FORM_FIELDS, decodeBody, parseForm, parseJson } from '../../src/http/form-body.ts';
import { MOST_JSON_DEPTH } from '../../src/http/json-shape.ts';
import { normalize } from '../../src/normalizer/index.ts';
import { cleanText } from '../../src/normalizer/text.ts';
import { anyText, citizenText, digits, expectMessage, longRun, refusedOr, wellFormed } from '../support/fuzz-inputs.ts';
import { TEST_ACCOUNT_SID, smsParams } from '../support/sms-webhooks.ts';

// Fuzz runs of the webhook bodies' parsers and the SMS parser: whatever arrives, they refuse it with their own
// error or return what the model promises. Bounded runs (the whole file takes a few seconds); fast-check prints the
// seed and the shrunk counterexample of a failure, so a failure can be replayed with { seed, path }.

/** how the form route reads a body: bytes, UTF-8 (refused when invalid), then the fields */
const formOf = (body: string | Uint8Array) => parseForm(decodeBody(Buffer.from(body)));

describe('webhook bodies (src/http): decodeBody, parseForm, parseJson', () => {
  it('decodeBody gives back the bytes it was given, or refuses them with a 400', () => {
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 200 }), anyText().map((s) => new Uint8Array(Buffer.from(s))));
    fc.assert(
      fc.property(bytes, (b) => {
        const text = refusedOr(() => decodeBody(Buffer.from(b)), BadBodyError);
        if (text === undefined) return void expect(refusedOr(() => new TextDecoder('utf-8', { fatal: true }).decode(b), TypeError)).toBeUndefined();
        expect(wellFormed(text)).toBe(true);
        // TextDecoder takes a leading byte-order mark off: the rest is the bytes exactly
        const sent = Buffer.from(b);
        const kept = sent.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? sent.subarray(3) : sent;
        expect(Buffer.from(text, 'utf8').equals(kept)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('parseForm reads what URLSearchParams reads, without a prototype, and refuses more than 256 fields with a 413', () => {
    const formText = fc.oneof(
      anyText(),
      fc.array(fc.constantFrom('&', '=', '%', '%2', '%ZZ', '%E0%A4%95', '%ED%A0%80', '+', 'Body', '__proto__', 'constructor', 'क', '🙏', ' '), { maxLength: 40 }).map((a) => a.join('')),
      fc.integer({ min: MOST_FORM_FIELDS - 3, max: MOST_FORM_FIELDS + 3 }).map((n) => Array.from({ length: n }, (_, i) => `k${i % 7}=v${i}`).join('&')),
      longRun(400),
    );
    fc.assert(
      fc.property(formText, (raw) => {
        const fields = raw === '' ? 0 : raw.split('&').length;
        let params;
        try {
          params = parseForm(raw);
        } catch (err) {
          expect(err).toBeInstanceOf(BadBodyError);
          expect((err as BadBodyError).statusCode).toBe(413);
          expect(fields).toBeGreaterThan(MOST_FORM_FIELDS);
          return;
        }
        expect(fields).toBeLessThanOrEqual(MOST_FORM_FIELDS);
        expect(Object.getPrototypeOf(params)).toBeNull();
        const read = new Map<string, string[]>();
        for (const [k, v] of new URLSearchParams(raw)) read.set(k, [...(read.get(k) ?? []), v]);
        expect(Object.keys(params).sort()).toEqual([...read.keys()].sort());
        for (const [k, values] of read) expect([params[k]].flat()).toEqual(values);
      }),
      { numRuns: 500 },
    );
  });

  it('parseJson gives JSON.parse’s value, or a BadBodyError: 413 deeper than 64 levels, 400 for what is not JSON', () => {
    const depthOf = (v: unknown): number => (v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0);
    const nested = fc
      .tuple(fc.jsonValue({ maxDepth: 3 }), fc.array(fc.constantFrom('array', 'object', '"[{\\"', 'text\\\\'), { maxLength: 2 * MOST_JSON_DEPTH }))
      .map(([inner, layers]) => layers.reduce<unknown>((v, l) => (l === 'array' ? [v] : l === 'object' ? { [l]: v } : { [l]: v, s: l }), inner));
    const text = fc.oneof(nested.map((v) => JSON.stringify(v)), anyText(), fc.json(), longRun(200), fc.constantFrom('[', '{"a":', '"\\', '1e999', '-', '\uFEFF{}'));
    fc.assert(
      fc.property(text, (raw) => {
        let value: unknown;
        try {
          value = parseJson(raw);
        } catch (err) {
          expect(err).toBeInstanceOf(BadBodyError);
          const { statusCode } = err as BadBodyError;
          // a refusal never quotes the body
          expect((err as Error).message.length).toBeLessThan(80);
          const valid = refusedOr(() => JSON.parse(raw) as unknown, SyntaxError);
          // malformed text is refused either way (a deep one before it is parsed); JSON only when it is too deep or big
          if (valid === undefined) expect([400, 413]).toContain(statusCode);
          else expect([statusCode, depthOf(valid) > MOST_JSON_DEPTH || raw.length > 50_000]).toEqual([413, true]);
          return;
        }
        expect(value).toEqual(JSON.parse(raw));
        expect(depthOf(value)).toBeLessThanOrEqual(MOST_JSON_DEPTH);
      }),
      { numRuns: 400 },
    );
  });
});

const sid = (prefix: string) => fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 32, maxLength: 32 }).map((h) => prefix + h);
const READ_KEYS = ['MessageSid', 'SmsSid', 'SmsMessageSid', 'AccountSid', 'MessagingServiceSid', 'From', 'To', 'Body', 'NumMedia', 'NumSegments', 'ProfileName', 'ApiVersion', 'Latitude', 'Longitude', 'Address', 'Label'];
const MEDIA_KEYS = ['MediaUrl0', 'MediaContentType0', 'MediaUrl1', 'MediaContentType1', 'MediaUrl9', 'MediaUrl10', 'MediaContentType12'];
// values of the shapes Twilio's fields take, so the runs get past the first check, and values of no shape at all
const formValue = fc.oneof(
  sid('SM'), sid('MM'), sid('MG'), fc.constant(TEST_ACCOUNT_SID),
  digits(1, 3), digits(3, 16).map((d) => `+${d}`), digits(10, 10).map((d) => `whatsapp:+91${d}`), fc.constantFrom('VM-PMCPUN', '56161', '2010-04-01', '18.5204', '-73.8567123', '91.5', '0'),
  fc.constantFrom('https://api.twilio.com/2010-04-01/Media/ME1', 'http://x.example/a.jpg', 'image/jpeg', 'audio/ogg', 'image/'),
  citizenText(), anyText(), longRun(MOST_BODY_CHARS),
);
const formEntries = fc.tuple(
  fc.integer({ min: 1, max: 1 << 20 }),
  fc.array(fc.tuple(fc.constantFrom(...READ_KEYS, ...MEDIA_KEYS), formValue), { maxLength: 6 }),
  fc.array(fc.tuple(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'MediaUrl', 'mediaurl0'), anyText(12)), formValue), { maxLength: 4 }),
  fc.subarray(READ_KEYS),
  fc.boolean(),
).map(([i, replaced, extra, dropped, repeat]) => {
  // a real payload with some fields replaced, dropped, repeated or added
  const base = { ...smsParams(i), ...Object.fromEntries(replaced) };
  const entries = Object.entries(base).filter(([k]) => !dropped.includes(k));
  return [...entries, ...extra, ...(repeat && entries[0] ? [entries[0]] : [])];
});

describe('parseInboundSms on any form a Twilio webhook route could be posted', () => {
  it('refuses with SmsPayloadError (a 400 naming the field) or returns a message within Twilio’s limits', () => {
    const body = fc.oneof({ weight: 4, arbitrary: formEntries.map((e) => new URLSearchParams(e).toString()) }, { weight: 1, arbitrary: anyText() });
    let accepted = 0;
    fc.assert(
      fc.property(body, (raw) => {
        const params = refusedOr(() => formOf(raw), BadBodyError);
        if (!params) return;
        let m;
        try {
          m = parseInboundSms(params, { now: () => new Date('2026-03-05T10:00:00Z') });
        } catch (err) {
          expect(err).toBeInstanceOf(SmsPayloadError);
          expect((err as SmsPayloadError).statusCode).toBe(400);
          expect((err as Error).message).not.toBe('');
          return;
        }
        expectMessage(m, { text: MOST_BODY_CHARS });
        expect(m.externalId).toMatch(MESSAGE_SID);
        expect(m.raw).toBe(params);
        expect(m.attachments.length).toBeLessThanOrEqual(10);
        for (const a of m.attachments) expect(a.url).toMatch(/^https:\/\/\S+$/);
        if (m.sender.phone !== undefined) expect(m.sender.phone).toMatch(/^\+[1-9]\d{6,14}$/);
        expect(normalize(m).text.length).toBeLessThanOrEqual(3 * m.text.length);
        accepted++;
      }),
      { numRuns: 800 },
    );
    // the runs reach the message, not only the refusals (about one in twenty does)
    expect(accepted).toBeGreaterThan(0);
  });

  it('keeps a citizen’s words exactly as sent, SMS, WhatsApp or MMS, and the normalizer only cleans them', () => {
    const message = fc.record({
      i: fc.integer({ min: 1, max: 1 << 20 }),
      text: citizenText(60).filter((t) => t.length <= MOST_BODY_CHARS),
      name: fc.option(citizenText(3).filter((t) => t.length <= 256), { nil: undefined }),
      whatsapp: fc.boolean(),
      photo: fc.boolean(),
    });
    fc.assert(
      fc.property(message, ({ i, text, name, whatsapp, photo }) => {
        const sent = smsParams(i, {
          Body: text,
          ...(whatsapp ? { From: `whatsapp:+9198${String(10_000_000 + i).slice(-8)}`, ...(name ? { ProfileName: name } : {}) } : {}),
          ...(photo ? { NumMedia: '1', MediaUrl0: `https://api.twilio.com/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Messages/M/Media/ME${i}`, MediaContentType0: 'image/jpeg' } : {}),
        });
        const m = parseInboundSms(formOf(new URLSearchParams(sent).toString()));
        expect(m.text).toBe(text);
        expect(normalize(m).text).toBe(cleanText(text));
        if (whatsapp && name?.trim()) expect(m.sender.name).toBe(name.trim());
        expect(m.attachments).toHaveLength(photo ? 1 : 0);
      }),
      { numRuns: 150 },
    );
  });
});
