import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDelivery, FacebookPayloadError } from '../../src/connectors/facebook/parse.ts';
import { answerHandshake, verifySignature } from '../../src/connectors/facebook/verify.ts';
import { ROOT } from '../support/bridge-process.ts';
import { commentChange, metaJson, signMeta } from '../support/facebook-webhooks.ts';

const PAGE = '404217156637689';
const fixtureText = (file: string): string => readFileSync(join(ROOT, 'test', 'fixtures', 'facebook', file), 'utf8');
const fixture = (name: string): Record<string, unknown> => JSON.parse(fixtureText(`bottender__${name}.json`)) as Record<string, unknown>;
/** GitHub's published X-Hub-Signature-256 vector (the same scheme as Meta's; Meta publishes none) */
const SIGNATURE_VECTOR = JSON.parse(fixtureText('github-docs__signature_vector.json')) as { secret: string; body: string; expected: string };
const wrap = (...events: unknown[]) => ({ object: 'page', entry: [{ id: PAGE, time: 1491797604411, messaging: events }] });
const parse = (body: unknown) => parseDelivery(body, new Set([PAGE]));

describe('Messenger deliveries', () => {
  it('reads text, a quick reply (its payload), a postback, photos and files as references, and a pin as the location', () => {
    const { messages, skipped } = parse(wrap(...['textMessage', 'quickReplyMessage', 'postback', 'imageMessage', 'audioMessage', 'fileMessage', 'locationMessage'].map(fixture)));
    expect(skipped).toEqual([]);
    expect(messages.map((m) => m.text)).toEqual(['Sharp tools make good work.', 'DEVELOPER_DEFINED_PAYLOAD_FOR_PICKING_RED', 'USER_DEFINED_PAYLOAD', '', '', '', '']);
    expect(messages.every((m) => m.channel === 'facebook' && m.accountId === PAGE && m.threadKey === '1423587017700273' && !m.public)).toBe(true);
    expect(messages[3]!.attachments).toEqual([{ kind: 'image', url: expect.stringContaining('scontent.xx.fbcdn.net') }]);
    expect(messages[4]!.attachments[0]).toMatchObject({ kind: 'audio' });
    // the docs' file is on example.com, not on Meta's servers: staff are not offered its link
    expect(messages[5]!.attachments[0]).toEqual({ kind: 'file', refused: "its link was not on the channel's own servers" });
    expect(messages[6]!.location).toEqual({ lat: 0, lon: 0 });
    // a postback has no mid in this older form: its key is still unique per citizen and time
    expect(messages[2]!.externalId).toBe('postback:1423587017700273:1491798782090');
    expect(messages[1]!.receivedAt).toBe(new Date(1491798262319).toISOString());
  });

  it('keeps a video as a reference and the message a citizen replied to (reply_to) as inReplyTo', () => {
    const sender = { id: '1423587017700273' };
    const video = { sender, recipient: { id: PAGE }, timestamp: 1491798262319, message: { mid: 'm_v1', attachments: [{ type: 'video', payload: { url: 'https://video.xx.fbcdn.net/v/t42.1790-2/pani.mp4' } }] } };
    // Meta's reply_to carries the mid of the message answered (ours here: the bot's question)
    const answer = { sender, recipient: { id: PAGE }, timestamp: 1491798262320, message: { mid: 'm_v2', text: 'हा व्हिडिओ पहा, वारजे', reply_to: { mid: 'm_ours_question' } } };
    const both = { sender, recipient: { id: PAGE }, timestamp: 1491798262321, message: { mid: 'm_v3', text: 'Yeh dekhiye', reply_to: { mid: 'm_v2' }, attachments: [{ type: 'video', payload: { url: 'https://video.xx.fbcdn.net/v/t42.1790-2/gaddha.mp4' } }] } };
    const { messages, skipped, malformed } = parse(wrap(video, answer, both));
    expect([skipped, malformed]).toEqual([[], []]);
    expect(messages[0]).toMatchObject({ externalId: 'm_v1', attachments: [{ kind: 'video', url: 'https://video.xx.fbcdn.net/v/t42.1790-2/pani.mp4' }] });
    expect(messages[0]!.inReplyTo).toBeUndefined();
    expect(messages[1]).toMatchObject({ externalId: 'm_v2', text: 'हा व्हिडिओ पहा, वारजे', inReplyTo: 'm_ours_question', attachments: [] });
    expect(messages[2]).toMatchObject({ text: 'Yeh dekhiye', inReplyTo: 'm_v2', attachments: [{ kind: 'video', url: 'https://video.xx.fbcdn.net/v/t42.1790-2/gaddha.mp4' }] });
  });

  it('takes the like sticker as a thumbs-up, and a shared link as its address', () => {
    const { messages } = parse(wrap(fixture('likeStickerMessage'), fixture('fallbackMessage')));
    expect(messages[0]!.text).toBe('👍');
    expect(messages[0]!.attachments).toEqual([]);
    expect(messages).toHaveLength(2);
  });

  it("keeps every event of a batch; a bad one costs only itself; echoes, deliveries and reads are never messages", () => {
    const good = { ...fixture('textMessage'), message: { mid: 'm_1', text: 'पाणी येत नाही, वारजे' } };
    const echo = { sender: { id: PAGE }, recipient: { id: '1423587017700273' }, timestamp: 1, message: { mid: 'm_2', is_echo: true, text: 'आपली तक्रार नोंदवली' } };
    const broken = { sender: { id: '1423587017700273' }, recipient: { id: PAGE }, message: { mid: 42 } };
    const deliveryEvent = { sender: { id: '1423587017700273' }, recipient: { id: PAGE }, delivery: { mids: ['m_ours'], watermark: 5 } };
    const read = { sender: { id: '1423587017700273' }, recipient: { id: PAGE }, timestamp: 9, read: { watermark: 8 } };
    const other = { ...fixture('textMessage'), sender: { id: '1423587017700274' }, message: { mid: 'm_3', text: 'Hadapsar mein kachra' } };
    const out = parse(wrap(good, echo, broken, deliveryEvent, read, other));
    expect(out.messages.map((m) => m.externalId)).toEqual(['m_1', 'm_3']);
    expect(out.delivered).toEqual(['m_ours']);
    expect(out.reads).toEqual([{ pageId: PAGE, psid: '1423587017700273', watermark: 8 }]);
    expect(out.skipped).toEqual(['an echo of our own message']);
    // the broken one is said by where it is off the schema, never by what it holds
    expect(out.malformed).toEqual(['a messaging event: message.mid invalid_type']);
  });

  it('reads a timestamp in seconds as seconds, string or number (the dashboard\'s "Test" sends "1527459824"), and milliseconds as milliseconds', () => {
    // the shape of Meta's messaging_postbacks sample (app dashboard → Webhooks → Test), with a PSID of ours
    const sample = (timestamp: unknown) => ({ field: 'messaging_postbacks', value: { sender: { id: '1423587017700273' }, recipient: { id: PAGE }, timestamp, postback: { mid: `m_${String(timestamp)}`, title: 'TITLE', payload: 'PAYLOAD' } } });
    const at = (timestamp: unknown) => parse({ object: 'page', entry: [{ id: PAGE, time: 1527459824000, changes: [sample(timestamp)] }] }).messages[0]?.receivedAt;
    const seconds = new Date(1527459824 * 1000).toISOString();
    expect(at('1527459824')).toBe(seconds);
    expect(at(1527459824)).toBe(seconds);
    expect(at('1527459824000')).toBe(seconds);
    expect(at(1527459824000)).toBe(seconds);
  });

  it('leaves out an entry off the schema alone, and takes the others of the batch', () => {
    const good = { ...fixture('textMessage'), message: { mid: 'm_10', text: 'पाणी येत नाही, वारजे' } };
    const out = parse({ object: 'page', entry: [{ id: PAGE, time: 1.5, messaging: [{ ...good, message: { mid: 'm_11', text: 'x' } }] }, 'not an entry', { id: PAGE, time: 1491797604411, messaging: [good] }] });
    expect(out.messages.map((m) => m.externalId)).toEqual(['m_10']);
    expect(out.malformed).toEqual(['entry 0: time invalid_type', 'entry 1: (the entry) invalid_type']);
  });

  it("takes a citizen's comment as public, and leaves the page's own comments, edits and other pages' entries", () => {
    const citizen = commentChange(PAGE, `${PAGE}_11`, '11_21', { id: '5500000000000001', name: 'R K' }, 'हडपसर मध्ये रस्त्यावर खड्डे आहेत');
    const own = commentChange(PAGE, `${PAGE}_11`, '11_22', { id: PAGE, name: 'PMC' }, 'धन्यवाद');
    const edit = commentChange(PAGE, `${PAGE}_11`, '11_23', { id: '5500000000000001', name: 'R K' }, 'edited');
    ((edit.changes as { value: { verb: string } }[])[0]!.value.verb) = 'edited';
    const elsewhere = commentChange('999000000000001', '999000000000001_1', '1_2', { id: '5500000000000002', name: 'X' }, 'other page');
    const out = parse({ object: 'page', entry: [citizen, own, edit, elsewhere] });
    expect(out.messages).toHaveLength(1);
    expect(out.messages[0]).toMatchObject({ externalId: '11_21', public: true, sender: { id: '5500000000000001', name: 'R K' }, text: 'हडपसर मध्ये रस्त्यावर खड्डे आहेत' });
    expect(out.skipped).toHaveLength(3);
  });

  it("reads the older wire format's deliveries (mseri/fbmessenger-api-hs): text, an image, a postback, a delivery, an opt-in", () => {
    const psid = '1254459154682919';
    const names = ['wsTextMessageRequest', 'wsStructuredMessageRequest', 'wsPostbackRequest', 'wsDeliveryRequest', 'wsAuthRequest'];
    // as they are (placeholders for ids, an entry id that is no page of ours) nothing is taken
    const raw = names.map((n) => parse(JSON.parse(fixtureText(`mseri__${n}.json`))));
    expect(raw.flatMap((d) => [...d.messages, ...d.delivered])).toEqual([]);
    // with a PSID and our page in their place
    const [text, image, postback, receipt, optin] = names.map((n) => parse(JSON.parse(fixtureText(`mseri__${n}.json`).replaceAll('"USER_ID"', `"${psid}"`).replaceAll('"PAGE_ID"', `"${PAGE}"`).replaceAll('"111111"', `"${PAGE}"`))));
    expect(text!.messages).toEqual([expect.objectContaining({ externalId: 'mid.1457764197618:41d102a3e1ae206a38', threadKey: psid, text: 'hello, world!', receivedAt: new Date(1457764197627).toISOString() })]);
    expect(image!.messages[0]).toMatchObject({ externalId: 'mid.1458696618141:b4ef9d19ec21086067', text: '', attachments: [{ kind: 'image', refused: "its link was not on the channel's own servers" }] });
    // no mid on a postback then: its key is the citizen and the time
    expect(postback!.messages[0]).toMatchObject({ externalId: `postback:${psid}:1458692752478`, text: 'USER_DEFINED_PAYLOAD' });
    expect(receipt).toMatchObject({ messages: [], delivered: ['mid.1458668856218:ed81099e15d3f4f233'], malformed: [] });
    expect(optin).toMatchObject({ messages: [], skipped: ['an event the bridge does not use (reaction, referral, opt-in)'], malformed: [] });
  });

  it('refuses what is not a page delivery at all', () => {
    expect(() => parse({ object: 'instagram', entry: [] })).toThrow(FacebookPayloadError);
    expect(() => parse('hello')).toThrow(FacebookPayloadError);
  });
});

describe('Meta webhook verification', () => {
  it('matches the published X-Hub-Signature-256 vector and a Devanagari body as Meta escapes it', () => {
    const v = SIGNATURE_VECTOR;
    expect(verifySignature(v.body, v.expected, v.secret)).toEqual({ ok: true });
    expect(verifySignature(`${v.body} `, v.expected, v.secret).ok).toBe(false);
    expect(verifySignature(v.body, v.expected, `${v.secret}.`).ok).toBe(false);
    const raw = metaJson({ text: 'कोथरूड मध्ये पाणी नाही / ८ दिवस' });
    expect(raw).toContain('\\u0915');
    expect(verifySignature(raw, signMeta(raw, 'app-secret-aaaaaaaaaaaa'), 'app-secret-aaaaaaaaaaaa')).toEqual({ ok: true });
    // the same words re-serialised (unescaped) are other bytes: a verifier must use the raw body
    expect(verifySignature(JSON.stringify(JSON.parse(raw)), signMeta(raw, 'app-secret-aaaaaaaaaaaa'), 'app-secret-aaaaaaaaaaaa').ok).toBe(false);
    expect(verifySignature(raw, 'sha1=abc', 'x').ok).toBe(false);
    expect(verifySignature(raw, undefined, 'x').ok).toBe(false);
  });

  it('answers the handshake only for subscribe with the right token', () => {
    expect(answerHandshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'tok-12345678', 'hub.challenge': '987' }, 'tok-12345678')).toBe('987');
    expect(answerHandshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'tok-1234567', 'hub.challenge': '987' }, 'tok-12345678')).toBeUndefined();
    expect(answerHandshake({ 'hub.mode': 'unsubscribe', 'hub.verify_token': 'tok-12345678', 'hub.challenge': '987' }, 'tok-12345678')).toBeUndefined();
    expect(answerHandshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'tok-12345678', 'hub.challenge': '<script>' }, 'tok-12345678')).toBeUndefined();
  });
});
