import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REF } from '../../src/attachments/attachment-store.ts';
import { FileAttachmentStore } from '../../src/attachments/file-attachment-store.ts';
import { loadGazetteer } from '../../src/config/gazetteer.ts';
import { parseMail } from '../../src/connectors/email/parse.ts';
import { Envelope, attachmentsOf, envelopeMessage, issuesOf, phoneOf } from '../../src/connectors/intake/parse.ts';
import { LokshahiApplication, applicationIssues } from '../../src/connectors/lokshahi/application.ts';
import { admissibilityOptions } from '../../src/connectors/lokshahi/index.ts';
import { applicationMessage } from '../../src/connectors/lokshahi/parse.ts';
import { decodeBody, parseJson } from '../../src/http/form-body.ts';
import { normalize } from '../../src/normalizer/index.ts';
import { cleanText } from '../../src/normalizer/text.ts';
import { ROOT } from '../support/bridge-process.ts';
import { anyText, chars, citizenText, digits, expectMessage, faulty, longRun, sometimes, whole } from '../support/fuzz-inputs.ts';
import { publicLink } from '../../src/attachments/link-check.ts';

// Fuzz runs of the parsers of filed records: the intake API's envelope and Lokshahi Din's application (signed JSON
// routes), and a mail as IMAP hands it over. Attachments go to a real folder store.

let dir: string;
let store: FileAttachmentStore;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parsers-fuzz-'));
  store = new FileAttachmentStore(join(dir, 'attachments'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const { categories } = loadGazetteer(join(ROOT, 'config'));
/** the body as a signed JSON route hands it on */
const asDelivered = (body: unknown): unknown => parseJson(decodeBody(Buffer.from(JSON.stringify(body))));
const text = fc.oneof({ weight: 4, arbitrary: citizenText() }, { weight: 2, arbitrary: anyText() }, { weight: 1, arbitrary: longRun(20_000) });
const name = fc.oneof(citizenText(3), anyText(20));
const day = fc.tuple(digits(4, 4), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
// each mostly of a shape the schema takes, so that the runs reach the message; the rest of any shape
const usually = <T>(good: fc.Arbitrary<T>, ...others: fc.Arbitrary<unknown>[]) => fc.oneof({ weight: 4, arbitrary: good }, ...others);
const phone = usually(fc.constantFrom('+91 98220 12345', '9822012345', '098220 12345', '020 2550 1000'), fc.constantFrom('१२३४५', 'call me'), digits(5, 14), fc.integer({ min: 0, max: 99_999_999_999 }));
const email = usually(fc.constantFrom('Sunita@Example.org', 'ramesh.joshi@example.in'), fc.emailAddress(), fc.constantFrom('a@b', 'not an address'));

describe('the intake envelope (POST /webhooks/api/<source>) on any JSON body', () => {
  const envelope = faulty(
    whole({
      externalId: usually(digits(1, 12).map((d) => `ZP-${d}`), citizenText(3), fc.constantFrom(' ', 'ﷺ'.repeat(200)), longRun(210)),
      agentId: sometimes(usually(digits(1, 6), longRun(70))),
      sender: whole({ name: sometimes(name), phone: sometimes(phone), email: sometimes(email) }),
      text,
      language: sometimes(usually(fc.constantFrom('mr', 'hi', 'en'), fc.constantFrom('und', 'MR'))),
      location: sometimes(whole({ lat: fc.double({ min: -90, max: 90, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }), label: sometimes(name) })),
      attachments: sometimes(
        fc.array(
          fc.oneof(
            whole({ url: fc.webUrl(), name: sometimes(name), mime: sometimes(usually(fc.constantFrom('image/jpeg', 'application/pdf'), fc.constant('jpeg'))) }),
            whole({ contentBase64: fc.base64String({ maxLength: 200 }), name: sometimes(name), mime: fc.constantFrom('image/jpeg', 'image/png') }),
            whole({ url: fc.webUrl(), contentBase64: fc.base64String({ maxLength: 8 }) }),
          ),
          { maxLength: 3 },
        ),
      ),
      category: sometimes(fc.constantFrom(...categories.slice(0, 3).map((c) => c.id), 'no-such-category')),
      reportedAt: sometimes(usually(fc.date({ min: new Date('2000-01-01'), max: new Date(), noInvalidDate: true }).map((d) => d.toISOString()), fc.constant('2099-01-01T00:00:00Z'), day)),
    }),
  );

  it('refuses with issues naming the fields, or makes a message of the model with the text it was sent', async () => {
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 1, arbitrary: fc.jsonValue() }, { weight: 6, arbitrary: envelope }), async (sent) => {
        const body = asDelivered(sent);
        // what the route does (src/connectors/intake/index.ts) up to the message
        const parsed = Envelope.safeParse(body);
        if (!parsed.success) {
          const issues = issuesOf(parsed.error);
          expect(issues.length).toBeGreaterThan(0);
          for (const i of issues) expect(i.field.length * i.message.length).toBeGreaterThan(0);
          return;
        }
        const e = parsed.data;
        const who = phoneOf(e.sender.phone);
        if ('error' in who) return void expect(who.error).toMatch(/is not a phone number/);
        const m = envelopeMessage(e, { channel: 'api', sourceId: 'zplus', ...who, attachments: await attachmentsOf(e.attachments, store), raw: body, now: new Date() });
        expectMessage(m, { text: 10_000 });
        expect(m.text).toBe(m.text.trim());
        expect(m.text).toMatch(/[\p{L}\p{N}]/u);
        expect(chars(m.externalId)).toBeLessThanOrEqual(200);
        if (m.sender.phone !== undefined) expect(m.sender.phone).toMatch(/^\+[1-9]\d{6,14}$/);
        expect(m.attachments).toHaveLength(e.attachments.length);
        // a link is kept only to a public https address; any other is kept as refused, with why
        for (const a of m.attachments) {
          expect(a.url !== undefined || a.refused !== undefined || REF.test(a.storedRef ?? '')).toBe(true);
          // a link kept is one the check itself keeps: https, to a public address
          if (a.url !== undefined) expect(publicLink({ kind: 'image', url: a.url }).url).toBe(a.url);
        }
        // the words as sent, before the envelope's trim, are what the normalizer reads
        expect(normalize(m).text).toBe(cleanText((body as { text: string }).text));
        taken++;
      }),
      { numRuns: 300 },
    );
    expect(taken).toBeGreaterThan(0);
  });
});

describe('a Lokshahi Din application (the signed webhook) on any JSON body', () => {
  const admissibility = admissibilityOptions(categories);
  // tokens as offices write them, and of characters NFKC (the token's key) makes many of: ﷺ is 18 letters
  const token = usually(
    fc.constantFrom('LD/2026/0412', 'ld / २०२६ / ०४१२', 'ＬＤ/2026/0412'),
    digits(1, 8),
    fc.integer({ min: -5, max: 1e6 }),
    fc.string({ unit: fc.constantFrom('\uFDFA', '\uFB04', '\u337F', 'L', '/', '२'), minLength: 1, maxLength: 64 }),
    longRun(70),
  );
  const validDay = fc.date({ min: new Date('1990-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const application = faulty(
    whole({
      token,
      applicationDate: usually(validDay, day, fc.constantFrom('2024-02-29', '2026-02-29', '05/03/2026')),
      hearingDate: sometimes(usually(validDay, day)),
      applicant: whole({ name, address: sometimes(usually(citizenText(10), longRun(1010))), mobile: sometimes(phone), email: sometimes(email) }),
      office: sometimes(usually(citizenText(4), longRun(210))),
      subject: usually(citizenText(6), longRun(510)),
      description: text,
      earlierToken: sometimes(token),
      escalation: sometimes(fc.boolean()),
      attachments: sometimes(fc.array(whole({ name: sometimes(name), url: sometimes(usually(fc.webUrl(), fc.constantFrom('ftp://x.example/a', ' https://x.example/7-12.pdf '))) }), { maxLength: 3 })),
    }),
  );

  it('refuses with issues naming each field at fault, or makes a message of the model, in Marathi, keyed by its token', () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 1, arbitrary: fc.jsonValue() }, { weight: 6, arbitrary: application }), (sent) => {
        const body = asDelivered(sent);
        const parsed = LokshahiApplication.safeParse(body);
        if (!parsed.success) {
          const issues = applicationIssues(body);
          expect(issues.length).toBeGreaterThan(0);
          for (const i of issues) expect(i.message).not.toBe('');
          return;
        }
        const app = parsed.data;
        const m = applicationMessage(app, { accountId: 'lokshahi-din', raw: body, admissibility });
        expectMessage(m, { text: 20_000 + 1 + 1000 });
        expect(m).toMatchObject({ channel: 'lokshahi', language: 'mr', receivedAt: `${app.applicationDate}T00:00:00+05:30` });
        expect(m.externalId).toMatch(/^token:\S/);
        expect(m.text.startsWith(app.description)).toBe(true);
        if (m.notAdmissible) expect(['court', 'service', 'rti', 'several', 'escalation-without-token']).toContain(m.notAdmissible.rule);
        taken++;
      }),
      { numRuns: 300 },
    );
    expect(taken).toBeGreaterThan(0);
  });
});

describe('a token whose key grows past the archive’s 512 characters (regression)', () => {
  it('is refused naming the token: 64 × ﷺ is 1,152 letters in NFKC, the form the archive keys it by', () => {
    const app = { token: '\uFDFA'.repeat(64), applicationDate: '2026-03-05', applicant: { name: 'सुनीता जाधव' }, subject: 'कचरा', description: 'कचरा उचलला नाही' };
    expect(applicationIssues(app)).toEqual([{ field: 'token', message: 'token is longer than 64 characters' }]);
    // a token written in full-width letters (ＬＤ) stays one the office can file
    expect(applicationIssues({ ...app, token: 'ＬＤ/२०२६/०४१२' })).toEqual([]);
  });
});

describe('parseMail on any bytes an IMAP server could hand over', () => {
  const origin = { accountId: 'complaints@pmc.example.in', folder: 'INBOX', uidValidity: '7', uid: 42 };
  const limits = { maxAttachmentBytes: 2_000, maxAttachments: 2 };
  const HEADERS = [
    'From: सुनीता <sunita@example.org>', 'From: =?utf-8?B?4KS44KWB4KSo4KWA4KSk4KS+?= <Sunita@Example.org>', 'From: <>', 'From: undisclosed-recipients:;',
    'Subject: =?UTF-8?Q?=E0=A4=95=E0=A4=9A=E0=A4=B0=E0=A4=BE?=', 'Subject: =?x-unknown?B?////?=', 'Message-ID: <a1@example.org>', `Message-ID: <${'x'.repeat(600)}@e>`, 'Message-ID: <>',
    'References: <root@example.org> <a@b>', 'In-Reply-To: <PMC10001.7.x@pmc.example.in>', 'MIME-Version: 1.0', 'Auto-Submitted: auto-replied',
    'Content-Type: multipart/mixed; boundary="b1"', 'Content-Type: multipart/alternative; boundary=b2', 'Content-Type: multipart/related; boundary=b1',
    'Content-Type: text/plain; charset=utf-8', 'Content-Type: text/plain; charset=iso-8859-1', 'Content-Type: text/plain; charset=x-no-such', 'Content-Type: text/html',
    'Content-Type: image/jpeg; name="फोटो.jpg"', 'Content-Type: message/rfc822', 'Content-Transfer-Encoding: base64', 'Content-Transfer-Encoding: quoted-printable',
    'Content-Transfer-Encoding: 8bit', 'Content-Disposition: attachment; filename*=utf-8\'\'%E0%A4%AB.pdf', 'Content-ID: <logo>', ' folded; continuation',
  ];
  const BODY = ['--b1', '--b1--', '--b2', '--b2--', '', '4KSV4KSa4KSw4KS+IOCkieCkmuCksuCksuCkviDgpKjgpL7gpLngpYA=', '/9j/4AAQSkZJRgABAQ', '=E0=A4=95=', '=\r', '<p>पाणी<br>येत नाही</p><script>x</script><hr>', '> quoted line', '-- ', 'On Mon, Sunita wrote:'];
  const line = fc.oneof(fc.constantFrom(...HEADERS, ...BODY), citizenText(8), anyText(40));
  const mime = fc
    .tuple(fc.array(fc.constantFrom(...HEADERS), { maxLength: 8 }), fc.array(line, { maxLength: 40 }), fc.constantFrom('\r\n', '\n'), fc.constantFrom<BufferEncoding>('utf8', 'latin1'))
    .map(([head, body, eol, charset]) => Buffer.from([...head, '', ...body].join(eol), charset));
  // parts inside parts: a MIME bomb's shape, small
  const nested = fc.integer({ min: 1, max: 120 }).map((depth) => {
    const open = Array.from({ length: depth }, (_, i) => `Content-Type: multipart/mixed; boundary="n${i}"\r\n\r\n--n${i}`).join('\r\n');
    return Buffer.from(`From: a@example.org\r\nMIME-Version: 1.0\r\n${open}\r\nContent-Type: text/plain\r\n\r\nकचरा\r\n`);
  });
  const bytes = fc.oneof({ weight: 6, arbitrary: mime }, { weight: 1, arbitrary: nested }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)) });

  it('never rejects: every mail is a message of the model, keyed by its Message-ID or its hash', async () => {
    await fc.assert(
      fc.asyncProperty(bytes, async (raw) => {
        const m = await parseMail(raw, origin, { attachments: store, limits });
        expectMessage(m, { text: Number.POSITIVE_INFINITY });
        expect(m.externalId.length).toBeLessThanOrEqual(500);
        expect(m.attachments.filter((a) => a.refused).length).toBeLessThanOrEqual(10);
        // NFC makes at most three of a character; HTML's <hr> is a line of 40 dashes
        expect(normalize(m).text.length).toBeLessThanOrEqual(3 * m.text.length + 11 * (m.html?.length ?? 0));
      }),
      // (a mail of over 1,000 parts, read again reduced to its text, takes a third of a second: email-parse.test.ts has it)
      { numRuns: 100 },
    );
  });

  // composed as mail-bridge.ts's composeMail does (nodemailer's composer: encoded words, quoted-printable), without
  // importing it: that module brings the whole bridge with it, 9 s of CPU before the first run
  const composeMail = (o: { text: string; subject: string }): Promise<Buffer> =>
    new MailComposer({ from: 'Sunita Jadhav <sunita.jadhav@example.org>', to: origin.accountId, ...o, date: new Date() }).compile().build();

  it('keeps the words of a mail as a mail program writes them: the parser’s text is the normalizer’s', async () => {
    const oneLine = citizenText(8).map((t) => t.replace(/[\r\n]+/g, ' ').trim()).filter((t) => t !== '');
    await fc.assert(
      fc.asyncProperty(citizenText(60), oneLine, async (t, subject) => {
        const m = await parseMail(await composeMail({ text: t, subject }), origin, { attachments: store, limits });
        expect(cleanText(m.text)).toBe(cleanText(t));
        expect(cleanText(m.subject ?? '')).toBe(cleanText(subject));
        expect(normalize(m).text).toBe(cleanText(t));
      }),
      { numRuns: 80 },
    );
  });
});
