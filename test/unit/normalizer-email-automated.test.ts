import { readFile } from 'node:fs/promises';
import { simpleParser, type ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { classifyAutomatedEmail, headerAddresses, type EmailHeaders, type EmailHeaderValue } from '../../src/normalizer/email.ts';

const FIXTURES = new URL('../fixtures/email/', import.meta.url);
const parseFixture = async (name: string): Promise<ParsedMail> => simpleParser(await readFile(new URL(name, FIXTURES)));

// a citizen's ordinary mail, as mailparser hands its headers over
const citizenHeaders = (): Map<string, EmailHeaderValue> =>
  new Map<string, EmailHeaderValue>([
    ['from', { value: [{ address: 'ramesh.patil@example.com', name: 'Ramesh Patil' }], text: 'Ramesh Patil <ramesh.patil@example.com>' }],
    ['return-path', { value: [{ address: 'ramesh.patil@example.com', name: '' }], text: 'ramesh.patil@example.com' }],
    ['content-type', { value: 'multipart/alternative', params: { boundary: 'b1' } }],
    ['subject', 'कचरा उचलला नाही'],
    ['date', new Date('2024-06-03T04:11:07Z')],
  ]);

const classify = (headers: EmailHeaders, subject?: string) => classifyAutomatedEmail({ headers, subject });

describe('classifyAutomatedEmail: ordinary mail', () => {
  it.each([
    ['कर्वे रस्त्यावर कचरा पडून आहे'],
    ['नाली जाम – शिकायत'],
    ['Re: Your complaint PMC10023 has been registered'],
    ['Fwd: pani puravtha band'],
    // complaint subjects that only look like out-of-office ones
    ['कार्यालयाबाहेर कचऱ्याचा ढीग'],
    ['Out of office hours water supply cut in Kothrud'],
    ['कार्यालय से बाहर कूड़े का ढेर'],
    [''],
  ])('%j is not automated', (subject) => {
    expect(classify(citizenHeaders(), subject)).toEqual({ automated: false });
  });

  it('ignores "Auto-Submitted: no" and an X-Auto-Response-Suppress that does not suppress replies', () => {
    expect(classify({ 'auto-submitted': 'no', 'x-auto-response-suppress': 'DR, RN, NRN' }, 'Garbage')).toEqual({ automated: false });
  });
});

describe('classifyAutomatedEmail: headers', () => {
  it.each<[string, Record<string, string | string[]>, string, string]>([
    ['Auto-Submitted: auto-replied', { 'auto-submitted': 'auto-replied' }, 'auto-reply', 'Auto-Submitted: auto-replied'],
    ['Auto-Submitted with a comment', { 'auto-submitted': 'auto-replied (vacation)' }, 'auto-reply', 'Auto-Submitted: auto-replied'],
    ['Auto-Submitted: auto-generated', { 'auto-submitted': 'auto-generated' }, 'auto-reply', 'Auto-Submitted: auto-generated'],
    ['X-Autoreply', { 'x-autoreply': 'yes' }, 'auto-reply', 'X-Autoreply: yes'],
    ['X-Autorespond', { 'x-autorespond': 'Vacation' }, 'auto-reply', 'X-Autorespond: vacation'],
    ['X-Auto-Response-Suppress: All', { 'x-auto-response-suppress': 'All' }, 'auto-reply', 'X-Auto-Response-Suppress: all'],
    ['X-Auto-Response-Suppress: OOF', { 'x-auto-response-suppress': 'DR, OOF' }, 'auto-reply', 'X-Auto-Response-Suppress: dr, oof'],
    ['Precedence: auto_reply', { precedence: 'auto_reply' }, 'auto-reply', 'Precedence: auto_reply'],
    ['Precedence: bulk', { precedence: 'bulk' }, 'bulk', 'Precedence: bulk'],
    ['Precedence: junk', { precedence: 'junk' }, 'bulk', 'Precedence: junk'],
    ['Precedence: list', { precedence: 'list' }, 'bulk', 'Precedence: list'],
    ['List-Id', { 'list-id': '<ward-news.lists.example.org>' }, 'bulk', 'List-Id header present (mailing list)'],
    ['List-Unsubscribe', { 'list-unsubscribe': '<mailto:leave@example.org>' }, 'bulk', 'List-Unsubscribe header present (mailing list)'],
    ['X-Failed-Recipients', { 'x-failed-recipients': 'citizen@example.com' }, 'bounce', 'X-Failed-Recipients header present'],
    ['null Return-Path', { 'return-path': '<>' }, 'auto-reply', 'Return-Path: <> (null sender: mail that must not be answered)'],
    ['From MAILER-DAEMON', { from: 'Mail Delivery System <MAILER-DAEMON@mx.example.org>' }, 'bounce', 'From: MAILER-DAEMON (mail system)'],
    ['From postmaster', { from: 'postmaster@example.org' }, 'bounce', 'From: POSTMASTER (mail system)'],
    [
      'multipart/report delivery-status (plain text)',
      { 'content-type': 'multipart/report; report-type=delivery-status; boundary="x"' },
      'bounce',
      'Content-Type: multipart/report; report-type=delivery-status',
    ],
    [
      'multipart/report disposition-notification (read receipt)',
      { 'content-type': 'multipart/report; report-type="disposition-notification"; boundary="x"' },
      'auto-reply',
      'Content-Type: multipart/report; report-type=disposition-notification (read receipt)',
    ],
  ])('%s', (_name, headers, kind, reason) => {
    expect(classify(headers, 'कचरा उचलला नाही')).toEqual({ automated: true, kind, reason });
  });

  it('reads the shapes mailparser produces: Content-Type params, address objects, the folded list entry', () => {
    const report = citizenHeaders();
    report.set('content-type', { value: 'multipart/report', params: { 'report-type': 'delivery-status', boundary: 'b' } });
    expect(classify(report)).toMatchObject({ automated: true, kind: 'bounce' });

    const nullSender = citizenHeaders();
    nullSender.set('return-path', { value: [{ address: '', name: '' }], html: '', text: '' });
    expect(classify(nullSender)).toMatchObject({ automated: true, kind: 'auto-reply' });

    const list = citizenHeaders();
    list.set('list', { id: { name: 'ward-news.lists.example.org' }, unsubscribe: { mail: 'leave@example.org' } });
    expect(classify(list)).toEqual({ automated: true, kind: 'bulk', reason: 'List-Id, List-Unsubscribe header present (mailing list)' });

    const daemon = citizenHeaders();
    daemon.set('from', { value: [{ address: 'MAILER-DAEMON@mx.example.org', name: 'Mail Delivery System' }], text: '' });
    expect(classify(daemon)).toMatchObject({ automated: true, kind: 'bounce' });
  });

  it('reads header names in any case and repeated headers given as arrays', () => {
    expect(classify({ 'Auto-Submitted': 'auto-replied' })).toMatchObject({ kind: 'auto-reply' });
    expect(classify(new Map([['X-Autoreply', 'yes']]))).toMatchObject({ kind: 'auto-reply' });
    expect(classify({ precedence: ['bulk', 'list'] })).toMatchObject({ kind: 'bulk', reason: 'Precedence: bulk' });
  });

  it('takes the sender from the `from` argument when the connector passes it', () => {
    expect(classifyAutomatedEmail({ headers: {}, from: 'MAILER-DAEMON@mx.example.org' })).toMatchObject({ kind: 'bounce' });
    expect(classifyAutomatedEmail({ headers: { from: 'MAILER-DAEMON@mx.example.org' }, from: 'ramesh@example.com' })).toEqual({ automated: false });
  });

  it('calls a delivery report with Auto-Submitted a bounce, not an auto-reply', () => {
    const dsn = { 'auto-submitted': 'auto-replied', 'content-type': 'multipart/report; report-type=delivery-status' };
    expect(classify(dsn)).toMatchObject({ kind: 'bounce' });
  });

  it('keeps addresses out of the reason it logs', () => {
    const results = [
      classify({ from: 'Mail Delivery System <MAILER-DAEMON@mx.example.org>' }),
      classify({ 'return-path': '<>' }),
      classify({ 'x-failed-recipients': 'ramesh.patil@example.com' }),
      classifyAutomatedEmail({ headers: { from: 'complaints@pmc.example.org' }, ownAddresses: ['complaints@pmc.example.org'] }),
    ];
    for (const result of results) {
      expect(result.automated).toBe(true);
      if (result.automated) expect(result.reason).not.toContain('@');
    }
  });
});

describe('classifyAutomatedEmail: subjects', () => {
  it.each([
    ['Automatic reply: Complaint PMC10023', 'auto-reply'],
    ['Out of Office: Re: Complaint PMC10023', 'auto-reply'],
    ['Out of office', 'auto-reply'],
    ['Out of the office until 10 June', 'auto-reply'],
    ['Auto Reply: garbage complaint', 'auto-reply'],
    ['Autoreply: garbage complaint', 'auto-reply'],
    ['Auto-Reply', 'auto-reply'],
    ['AUTO: Suresh Sharma is out of the office (returning 10/06/2024)', 'auto-reply'],
    ['Ward officer is out of the office', 'auto-reply'],
    ['स्वयंचलित उत्तर: कचरा तक्रार PMC10031', 'auto-reply'],
    ['कार्यालयाबाहेर', 'auto-reply'],
    ['कार्यालयाबाहेर: ७ जूनपर्यंत', 'auto-reply'],
    ['स्वचालित उत्तर: नाली जाम', 'auto-reply'],
    ['कार्यालय से बाहर', 'auto-reply'],
    ['Undeliverable: Your complaint PMC10052', 'bounce'],
    ['Delivery Status Notification (Failure)', 'bounce'],
    ['Mail delivery failed: returning message to sender', 'bounce'],
    ['Returned mail: see transcript for details', 'bounce'],
    ['Undelivered Mail Returned to Sender', 'bounce'],
  ])('%j → %s', (subject, kind) => {
    const result = classify({}, subject);
    expect(result).toMatchObject({ automated: true, kind });
    if (result.automated) expect(result.reason).toMatch(/^Subject /);
  });
});

describe('classifyAutomatedEmail: our own mail coming back', () => {
  it('sees the bridge\'s marker header as a loop, before any other signal', () => {
    const headers = { 'X-PMC-Bridge': 'outbound', 'auto-submitted': 'auto-generated' };
    expect(classifyAutomatedEmail({ headers, ownMarkerHeader: 'x-pmc-bridge' })).toEqual({
      automated: true,
      kind: 'loop',
      reason: 'x-pmc-bridge header present: this is mail the bridge sent',
    });
    expect(classifyAutomatedEmail({ headers: citizenHeaders(), ownMarkerHeader: 'x-pmc-bridge' })).toEqual({ automated: false });
  });

  it('sees mail from the bridge\'s own address as a loop', () => {
    const headers = { from: 'PMC Complaints <Complaints@pmc.example.org>' };
    expect(classifyAutomatedEmail({ headers, ownAddresses: ['complaints@pmc.example.org'] })).toMatchObject({ kind: 'loop' });
  });
});

describe('classifyAutomatedEmail on .eml fixtures parsed with mailparser', () => {
  const verdict = async (name: string, ownMarkerHeader?: string) => {
    const mail = await parseFixture(name);
    return classifyAutomatedEmail({ headers: mail.headers, subject: mail.subject, ownMarkerHeader });
  };

  it('Postfix DSN (written for this project) is a bounce, even though the returned headers carry our marker', async () => {
    expect(await verdict('dsn-bounce.eml', 'x-pmc-bridge')).toEqual({
      automated: true,
      kind: 'bounce',
      reason: 'Content-Type: multipart/report; report-type=delivery-status',
    });
    const mail = await parseFixture('dsn-bounce.eml');
    expect(headerAddresses(mail.headers, 'return-path')).toEqual(['']);
  });

  it('Outlook out-of-office reply in Marathi (written for this project) is an auto-reply, by header and by subject alone', async () => {
    expect(await verdict('outlook-autoreply-mr.eml')).toEqual({ automated: true, kind: 'auto-reply', reason: 'Auto-Submitted: auto-replied' });
    const mail = await parseFixture('outlook-autoreply-mr.eml');
    expect(mail.subject).toBe('स्वयंचलित उत्तर: कचरा तक्रार PMC10031');
    expect(classifyAutomatedEmail({ headers: {}, subject: mail.subject })).toMatchObject({ automated: true, kind: 'auto-reply' });
  });

  it.each([
    'gmail-reply-mr.eml',
    'outlook-reply-hi.eml',
    'apple-forward-mr-latn.eml',
    // real: a human reply whose *attached* messages carry Auto-Submitted; only the outer headers count
    'stalwart__thirdparty_015.eml',
    'stalwart__legacy_001.eml',
    'phpmimemailparser__issue158a.eml',
    'enmime__mail_ctype-bug.eml',
  ])('%s is not automated', async (name) => {
    expect(await verdict(name, 'x-pmc-bridge')).toEqual({ automated: false });
  });
});

describe('a no-reply sender alone', () => {
  it('is not automated: portals relay citizens’ grievances from no-reply addresses', () => {
    const relayed = classifyAutomatedEmail({
      headers: { from: 'Aaple Sarkar <no-reply@portal.example.org>' },
      subject: 'तक्रार: कोथरूड येथे कचरा उचलला जात नाही',
    });
    expect(relayed).toEqual({ automated: false });
  });
});
