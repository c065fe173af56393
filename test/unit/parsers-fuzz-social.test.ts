import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FacebookPayloadError, parseDelivery } from '../../src/connectors/facebook/parse.ts';
import { ActivityDelivery, DmEvent, Tweet, dmMessage, fromActivity, isCitizenDm, mentionMessage, threadOf } from '../../src/connectors/twitter/parse.ts';
import { decodeBody, parseJson } from '../../src/http/form-body.ts';
import type { InboundMessage } from '../../src/model/index.ts';
import { normalize } from '../../src/normalizer/index.ts';
import { cleanText } from '../../src/normalizer/text.ts';
import { FB_PAGE, FB_PAGE_2, commentChange, delivery, metaJson, pageEntry, textEvent } from '../support/facebook-webhooks.ts';
import { anyText, citizenText, digits, expectMessage, longRun, refusedOr, shaped, sometimes } from '../support/fuzz-inputs.ts';
import { dmActivity, mentionActivity } from '../support/x-activity.ts';

// Fuzz runs of the Messenger and X parsers on what their signed webhooks (and X's pollers) hand them: the body as
// the route parsed it, of the provider's shape with any field wrong, huge, odd or left out.

/** the body as the signed JSON route hands it on: the bytes (as Meta writes them, or plain JSON) read as UTF-8 JSON */
const asDelivered = (body: unknown, write: (v: unknown) => string = metaJson): unknown => parseJson(decodeBody(Buffer.from(write(body))));
const plainJson = (v: unknown): string => JSON.stringify(v);
const text = fc.oneof({ weight: 4, arbitrary: citizenText() }, { weight: 2, arbitrary: anyText() }, { weight: 1, arbitrary: longRun(20_000) });
// where a parser reports what it left out: a schema path and the kind of fault, never a value (a citizen's words)
const PATH_ONLY = /^[\w.() ]*$/;

const PAGES = new Set([FB_PAGE, FB_PAGE_2]);
const psid = fc.oneof(digits(1, 24), fc.constantFrom(FB_PAGE, '1423587017700273'));
// ms (or seconds, as the dashboard's test sends), mostly of this century; now and then beyond year 9999 or any Date
const time = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1e12, max: 2e12 }) },
  { weight: 1, arbitrary: digits(1, 16) },
  { weight: 1, arbitrary: fc.constantFrom(1, 253402300799, 253402300800, 253402300799999, 253402300800000, 8.64e15 + 1, Number.MAX_SAFE_INTEGER) },
);
const mid = fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.constant('m_x'.repeat(200)));
const attachment = shaped({
  type: fc.constantFrom('image', 'audio', 'video', 'file', 'location', 'fallback', 'template'),
  payload: shaped({
    url: fc.webUrl(),
    title: citizenText(4),
    sticker_id: fc.constantFrom(369239263222822, 1),
    coordinates: shaped({ lat: fc.double({ min: -90, max: 90, noNaN: true }), long: fc.double({ min: -180, max: 180, noNaN: true }) }),
  }),
});
const base = { sender: shaped({ id: psid, user_ref: sometimes(fc.string()) }), recipient: shaped({ id: fc.constant(FB_PAGE) }), timestamp: time };
const message = shaped({
  mid,
  text,
  is_echo: sometimes(fc.boolean()),
  quick_reply: sometimes(shaped({ payload: citizenText(3) })),
  reply_to: sometimes(shaped({ mid })),
  attachments: sometimes(fc.array(attachment, { maxLength: 3 })),
});
const postback = shaped({ mid, title: citizenText(3), payload: citizenText(3) });
const receipt = { delivery: shaped({ mids: fc.array(mid, { maxLength: 3 }), watermark: time }), read: shaped({ watermark: time }) };
// one kind of event each, as Meta sends them, or all of them at once
const event = fc.oneof(shaped({ ...base, message }), shaped({ ...base, postback }), shaped({ ...base, delivery: receipt.delivery }), shaped({ ...base, read: receipt.read }), shaped({ ...base, message, postback, ...receipt }));
const objectId = fc.tuple(digits(1, 16), digits(1, 16)).map(([a, b]) => `${a}_${b}`);
const feed = shaped({
  item: fc.oneof({ weight: 3, arbitrary: fc.constant('comment') }, fc.constantFrom('post', 'reaction')),
  verb: fc.oneof({ weight: 3, arbitrary: fc.constant('add') }, fc.constantFrom('edited', 'remove')),
  from: shaped({ id: psid, name: citizenText(3) }),
  comment_id: objectId,
  post_id: objectId,
  parent_id: objectId,
  message: text,
  photo: fc.webUrl(),
  created_time: time,
});
const change = shaped({ field: fc.constantFrom('feed', 'messages', 'messaging_postbacks'), value: fc.oneof(feed, event) });
const entry = shaped({ id: fc.constantFrom(FB_PAGE, FB_PAGE_2, '999'), time: fc.integer(), messaging: fc.array(event, { maxLength: 3 }), changes: fc.array(change, { maxLength: 2 }) });
const fbBody = fc.oneof({ weight: 1, arbitrary: fc.jsonValue() }, { weight: 4, arbitrary: shaped({ object: fc.constant('page'), entry: fc.array(entry, { maxLength: 3 }) }) });

describe('parseDelivery on any body a signed Messenger delivery could carry', () => {
  it('refuses the whole body only with FacebookPayloadError; every message it takes is one of the model', () => {
    let taken = 0;
    fc.assert(
      fc.property(fbBody, (body) => {
        const parsed = refusedOr(() => parseDelivery(asDelivered(body, plainJson), PAGES, () => new Date('2026-03-05T10:00:00Z')), FacebookPayloadError);
        if (!parsed) return;
        for (const m of parsed.messages) {
          // a message's own text, or a like's 👍 or a shared link after it
          expectMessage(m, { text: 20_000 + 1 + 4096 });
          expect(PAGES.has(m.accountId)).toBe(true);
          expect(PAGES.has(m.sender.id)).toBe(false);
        }
        for (const where of parsed.malformed) expect(where).toMatch(/^(entry \d+: |a messaging event: )/);
        for (const where of parsed.malformed) expect(where.replace(/^entry \d+: |^a messaging event: /, '')).toMatch(PATH_ONLY);
        taken += parsed.messages.length;
      }),
      { numRuns: 400 },
    );
    expect(taken).toBeGreaterThan(0);
  });

  it('keeps the words of a Messenger message and of a page comment as the citizen wrote them', () => {
    const words = citizenText(60).filter((t) => t.length <= 20_000);
    fc.assert(
      fc.property(words, digits(10, 16), fc.boolean(), (t, who, comment) => {
        const body = comment
          ? delivery(commentChange(FB_PAGE, `${FB_PAGE}_1`, `${FB_PAGE}_2${who}`, { id: who, name: 'सुनीता जाधव' }, t))
          : delivery(pageEntry([textEvent(who, t)]));
        const [m, ...more] = parseDelivery(asDelivered(body), PAGES).messages;
        expect(more).toHaveLength(0);
        expect(m!.text).toBe(t);
        expect(m!.public ?? false).toBe(comment);
        expect(normalize(m!).text).toBe(cleanText(t));
      }),
      { numRuns: 150 },
    );
  });
});

const US = '1311200000000000001';
const OURS = new Set([US]);
const id = fc.oneof(digits(1, 20), fc.constant(US));
const mentions = shaped({ user_mentions: fc.array(shaped({ id_str: id }), { maxLength: 2 }) });
const tweetEvent = shaped({
  id_str: digits(1, 20),
  created_at: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()), fc.string({ maxLength: 40 })),
  text,
  full_text: text,
  extended_tweet: shaped({ full_text: text, entities: mentions }),
  in_reply_to_status_id_str: fc.option(digits(1, 20)),
  in_reply_to_user_id_str: fc.option(id),
  user: shaped({ id_str: id, name: citizenText(3), screen_name: fc.string({ maxLength: 20 }) }),
  entities: mentions,
  retweeted_status: fc.option(fc.jsonValue({ maxDepth: 1 }), { nil: undefined }),
});
const dmEvent = shaped({
  type: fc.constantFrom('message_create', 'follow'),
  id: digits(1, 20),
  created_timestamp: fc.oneof(digits(1, 16), fc.constant('8640000000000001')),
  message_create: shaped({ sender_id: id, target: shaped({ recipient_id: id }), message_data: shaped({ text, attachment: fc.jsonValue({ maxDepth: 1 }) }) }),
});
const xBody = fc.oneof(
  { weight: 1, arbitrary: fc.jsonValue() },
  { weight: 4, arbitrary: shaped({ for_user_id: fc.constant(US), tweet_create_events: fc.array(tweetEvent, { maxLength: 3 }), direct_message_events: fc.array(dmEvent, { maxLength: 3 }) }) },
);

/** what the X webhook route makes of a delivery (src/connectors/twitter/webhook.ts, threads as the poll starts them) */
function xWebhook(body: unknown): { messages: InboundMessage[]; malformed: string[] } {
  const parsed = ActivityDelivery.safeParse(body);
  if (!parsed.success) return { messages: [], malformed: [] };
  const { tweets, dms, malformed } = fromActivity(parsed.data, OURS);
  const messages = tweets.map(({ tweet, author, raw }) => mentionMessage(US, tweet, author, threadOf(tweet), raw));
  for (const { event, raw } of dms) if (isCitizenDm(OURS, event)) messages.push(dmMessage(US, event, raw));
  return { messages, malformed };
}

describe('the X parsers on any Account Activity delivery, and on any post or DM event the pollers read', () => {
  it('the webhook’s events become messages of the model or are left out, said where and never with their words', () => {
    let taken = 0;
    fc.assert(
      fc.property(xBody, (body) => {
        const { messages, malformed } = xWebhook(asDelivered(body, plainJson));
        for (const m of messages) {
          expectMessage(m, { text: 30_000 });
          expect(OURS.has(m.sender.id)).toBe(false);
        }
        for (const where of malformed) expect(where.replace(/^(tweet_create|direct_message)_events \d+: /, '')).toMatch(PATH_ONLY);
        taken += messages.length;
      }),
      { numRuns: 400 },
    );
    expect(taken).toBeGreaterThan(0);
  });

  it('a polled post or DM that passes its schema becomes a message of the model', () => {
    const isoTime = fc
      .tuple(digits(4, 4), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.constantFrom('Z', '+05:30', '-12:00', '+14:00'))
      .map(([y, mo, d, zone]) => `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T00:30:00${zone}`);
    const polled = shaped({ id: digits(1, 20), text, author_id: id, created_at: isoTime, event_type: fc.constantFrom('MessageCreate', 'ParticipantsJoin'), sender_id: id, note_tweet: shaped({ text }), attachments: shaped({ media_keys: fc.array(fc.string({ maxLength: 64 }), { maxLength: 3 }) }) });
    fc.assert(
      fc.property(polled, (raw) => {
        const body = asDelivered(raw, plainJson);
        const t = Tweet.safeParse(body);
        if (t.success) expectMessage(mentionMessage(US, t.data, undefined, threadOf(t.data), body), { text: 30_000 });
        const e = DmEvent.safeParse(body);
        if (e.success && isCitizenDm(OURS, e.data)) expectMessage(dmMessage(US, e.data, body), { text: 30_000 });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the words of a mention (the leading handles taken off) and of a DM', () => {
    const words = citizenText(60).filter((t) => t.length <= 25_000);
    fc.assert(
      fc.property(words, digits(5, 19), fc.boolean(), (t, who, dm) => {
        const author = { id: who, screen_name: 'sunita_j', name: 'सुनीता' };
        const body = dm ? dmActivity(US, { id: `9${who}`, senderId: who, text: t }) : mentionActivity(US, 'PMCPune', { id: `9${who}`, text: `@PMCPune ${t}`, author });
        const [m, ...more] = xWebhook(asDelivered(body, plainJson)).messages;
        expect(more).toHaveLength(0);
        if (dm) expect(m!.text).toBe(t);
        expect(normalize(m!).text).toBe(cleanText(t));
      }),
      { numRuns: 150 },
    );
  });
});

// Counterexamples the runs above found: a time past year 9999 (or past any Date) threw a RangeError out of the
// parser, or dated the message "+010000-…", and the whole delivery was lost with it.
describe('times no Date can hold, or no four-digit year (regressions)', () => {
  it('a Messenger event or comment dated past year 9999 is left out alone; the rest of its delivery is taken', () => {
    const late = [{ ...textEvent('1423587017700273', 'x'), timestamp: '9999999999999999' }, { ...textEvent('1423587017700274', 'x'), timestamp: 8.7e15 }, { ...textEvent('1423587017700275', 'x'), timestamp: '600000000000' }];
    const comment = commentChange(FB_PAGE, `${FB_PAGE}_1`, `${FB_PAGE}_2`, { id: '1423587017700276', name: 'सुनीता' }, 'x');
    (comment.changes as { value: { created_time: number } }[])[0]!.value.created_time = 1e12;
    const parsed = parseDelivery(asDelivered(delivery(pageEntry([...late, textEvent('1423587017700277', 'कचरा उचलला नाही')]), comment)), PAGES);
    expect(parsed.messages.map((m) => m.text)).toEqual(['कचरा उचलला नाही']);
    expect(parsed.malformed).toEqual(['a messaging event: timestamp custom', 'a messaging event: timestamp custom', 'a messaging event: timestamp custom']);
    expect(parsed.skipped).toEqual(['a change the bridge does not use']);
  });

  it('an X DM or mention dated beyond any Date or past year 9999 is taken, dated when it came', () => {
    const dm = dmActivity(US, { id: '91', senderId: '42', text: 'पाणी येत नाही' });
    (dm.direct_message_events as { created_timestamp: string }[])[0]!.created_timestamp = '8640000000000001';
    const mention = mentionActivity(US, 'PMCPune', { id: '92', text: '@PMCPune खड्डा', author: { id: '43', screen_name: 'a', name: 'अ' } });
    (mention.tweet_create_events as { created_at: string }[])[0]!.created_at = 'Sat, 01 Jan 10000 00:00:00 GMT';
    const now = Date.now();
    const messages = [dm, mention].map((body) => xWebhook(asDelivered(body, plainJson)).messages[0]!);
    // and a polled post of year 0 east of Greenwich: in UTC it is year -1, "-000001-12-31T…"
    const polled = Tweet.parse({ id: '93', text: 'कचरा', author_id: '44', created_at: '0000-01-01T00:30:00+05:30' });
    messages.push(mentionMessage(US, polled, undefined, threadOf(polled), polled));
    for (const m of messages) {
      expectMessage(m, { text: 30_000 });
      expect(Date.parse(m.receivedAt)).toBeGreaterThanOrEqual(now - 1000);
    }
  });
});
