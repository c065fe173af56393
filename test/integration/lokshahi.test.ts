import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signBody } from '../../src/connectors/intake/verify.ts';
import { tokenKey } from '../../src/connectors/lokshahi/parse.ts';
import { runCli } from '../support/bridge-process.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { startMailBridge, type MailBridge } from '../support/mail-bridge.ts';
import { until } from '../support/wait.ts';
import { describeNeeding } from '../support/system-tools.ts';

const SECRET = 'lokshahi-test-secret-0123456789';
const application = (token: string, more: Record<string, unknown> = {}) => ({
  token,
  applicationDate: '2026-11-12',
  hearingDate: '2026-12-07',
  applicant: { name: 'मीनाक्षी देशपांडे', address: 'सदाशिव पेठ, पुणे 411030', mobile: '9890012345', email: 'meenakshi@example.org' },
  office: 'कसबा-विश्रामबागवाडा क्षेत्रीय कार्यालय',
  subject: 'सदाशिव पेठेत सांडपाणी रस्त्यावर',
  description: 'गेल्या दोन महिन्यांपासून आमच्या गल्लीतील ड्रेनेज तुंबून सांडपाणी रस्त्यावर येत आहे. क्षेत्रीय कार्यालयात तक्रार करूनही काम झाले नाही.',
  ...more,
});

function post(m: MailBridge, body: unknown, key = SECRET): Promise<Response> {
  const raw = JSON.stringify(body);
  return fetch(`${m.bridge.app.url}/webhooks/lokshahi`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-lokshahi-signature': signBody(raw, key) }, body: raw });
}

const byToken = (m: MailBridge, token: string) => m.bridge.app.store.findTicketBySource({ channel: 'lokshahi', accountId: 'lokshahi-din', externalId: tokenKey(token) });

// Lokshahi Din applications through the signed webhook and the register import, against the whole bridge: one
// ticket per token, the rules of the Lokshahi Din orders applied, the applicant told by SMS and email.
describeNeeding('dovecot', 'Lokshahi Din', () => {
  let twilio: FakeTwilioApi;
  let m: MailBridge;
  beforeAll(async () => {
    twilio = await startFakeTwilioApi();
    m = await startMailBridge({ twilio, env: { LOKSHAHI_SECRET: SECRET } });
  });
  afterAll(async () => {
    await m?.close();
    await twilio?.close();
  });

  it('files a signed application with its token, and acknowledges it in Marathi by SMS and by email', async () => {
    const res = await post(m, application('LD/2026/0412'));
    expect(res.status).toBe(202);
    const { ticketNo } = (await res.json()) as { ticketNo: string };
    const ticket = await byToken(m, 'ld / 2026 / 0412');
    expect(ticket?.ticketNo).toBe(ticketNo);
    expect(ticket).toMatchObject({ status: 'received', language: 'mr', category: 'drainage' });
    expect(ticket?.history[0]?.note).toContain('LD/2026/0412');
    expect(ticket?.history[0]?.note).toContain('2026-12-07');
    const sms = await until('the SMS', () => twilio.sent.find((s) => s.To === '+919890012345'));
    expect(sms.Body).toContain(ticketNo);
    expect(sms.Body).toMatch(/तक्रार/);
    const [mail] = await m.smtp.waitFor(1);
    expect(mail!.to).toEqual(['meenakshi@example.org']);
    expect(mail!.parsed.subject).toContain(ticketNo);
  });

  it('tells an applicant the bridge already knew by email at the mobile the form gives too', async () => {
    await m.bridge.app.store.upsertContact({ channel: 'email', channelUserId: 'anand@example.org', email: 'anand@example.org' });
    const res = await post(m, application('LD/2026/0420', { applicant: { name: 'आनंद गोखले', mobile: '9890022222', email: 'anand@example.org' } }));
    const { ticketNo } = (await res.json()) as { ticketNo: string };
    const sms = await until('the SMS to the form\'s mobile', () => twilio.sent.find((x) => x.To === '+919890022222'));
    expect(sms.Body).toContain(ticketNo);
    await until('the mail to the form\'s address', () => m.smtp.received.find((r) => r.to[0] === 'anand@example.org' && r.parsed.subject?.includes(ticketNo)));
  });

  it('refuses a forged signature with 403 and names a missing field with 422', async () => {
    expect((await post(m, application('LD/2026/0999'), 'not-the-secret-0123456789')).status).toBe(403);
    expect(await byToken(m, 'LD/2026/0999')).toBeUndefined();
    const { applicant: _a, ...noApplicant } = application('LD/2026/0998');
    const missing = await post(m, { ...noApplicant, applicant: { mobile: '9890012345' } });
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { issues: { field: string }[] }).issues.map((i) => i.field)).toContain('applicant.name');
  });

  it('rejects an RTI application with the reason on the ticket, and tells the applicant why, politely, in Marathi', async () => {
    const rti = application('LD/2026/0413', {
      applicant: { name: 'Rahul Shinde', mobile: '9890055555' },
      subject: 'माहितीच्या अधिकाराखाली माहिती मिळणेबाबत',
      description: 'माहितीचा अधिकार अधिनियम 2005 च्या कलम 6(1) अन्वये प्रभाग 14 मधील रस्त्यांच्या कामांच्या निविदांची माहिती मिळावी.',
    });
    const res = await post(m, rti);
    expect(res.status).toBe(202);
    const ticket = await until('the ticket', () => byToken(m, 'LD/2026/0413'));
    expect(ticket.status).toBe('rejected');
    expect(ticket.history.at(-1)?.note).toMatch(/RTI|information/i);
    const sms = await until('the SMS', () => twilio.sent.find((s) => s.To === '+919890055555'));
    expect(sms.Body).toContain(ticket.ticketNo);
    expect(sms.Body).toMatch(/माहिती(च्या)? अधिकार/);
  });

  it('imports a register with Marathi headers (CSV through the CLI, XLSX), reports each row, and files nothing twice', async () => {
    const csv = join(m.bridge.dir, 'register.csv');
    writeFileSync(
      csv,
      '\uFEFFटोकन क्रमांक,अर्जाचा दिनांक,अर्जदाराचे नाव,मोबाईल क्रमांक,विषय,तक्रारीचा तपशील\n' +
        'LD/2026/0501,05/11/2026,संजय कुलकर्णी,9822000501,रस्त्यावर खड्डे,कर्वे रस्त्यावर मोठे खड्डे पडले आहेत.\n' +
        'LD/2026/0412,12/11/2026,मीनाक्षी देशपांडे,9890012345,सांडपाणी,ड्रेनेज तुंबले आहे.\n' +
        'LD/2026/0502,06/11/2026,अनिल पवार,9822000502,,विषय नसलेला अर्ज\n' +
        'LD/2026/0503,07/11/2026,सुरेखा माने,9822000503,पदोन्नतीबाबत,माझ्या सेवाविषयक पदोन्नतीचा प्रश्न प्रलंबित आहे; मला पदोन्नती मिळावी.\n',
    );
    const env = { STORE_URL: `sqlite:${join(m.bridge.dir, 'bridge.db')}` };
    const run = await runCli(['import', 'lokshahi', csv, '--report', join(m.bridge.dir, 'report.csv')], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/4 rows/);
    expect(run.stdout).toMatch(/accepted\s+1/);
    expect(run.stdout).toMatch(/not admissible\s+1/);
    expect(run.stdout).toMatch(/duplicates\s+1/);
    expect(run.stdout).toMatch(/rejected rows\s+1/);
    expect(run.stdout).toMatch(/row 4: .*subject/);
    const filed = await until('the imported ticket', () => byToken(m, 'LD/2026/0501'));
    expect(filed.category).toBe('roads');
    expect((await until('the service matter', () => byToken(m, 'LD/2026/0503'))).status).toBe('rejected');

    const again = await runCli(['import', 'lokshahi', csv, '--report', join(m.bridge.dir, 'report2.csv')], env);
    expect(again.stdout).toMatch(/accepted\s+0/);
    expect(again.stdout).toMatch(/duplicates\s+3/);

    // the token finds its ticket
    const found = await runCli(['tickets', 'list', '--token', 'LD/2026/0501', '--json'], env);
    expect((JSON.parse(found.stdout) as { ticketNo: string }[]).map((t) => t.ticketNo)).toEqual([filed.ticketNo]);

    const xlsx = join(m.bridge.dir, 'register.xlsx');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('लोकशाही दिन');
    sheet.addRow(['टोकन क्रमांक', 'अर्जाचा दिनांक', 'अर्जदाराचे नाव', 'मोबाईल क्रमांक', 'विषय', 'तक्रारीचा तपशील']);
    sheet.addRow(['LD/2026/0601', new Date(Date.UTC(2026, 10, 20)), 'प्रिया जोशी', 9822000601, 'पथदिवे बंद', 'बाणेर रस्त्यावरील पथदिवे आठवडाभर बंद आहेत.']);
    await book.xlsx.writeFile(xlsx);
    const xrun = await runCli(['import', 'lokshahi', xlsx, '--report', join(m.bridge.dir, 'report3.csv')], env);
    expect(xrun.code, xrun.stderr).toBe(0);
    const fromXlsx = await until('the XLSX ticket', () => byToken(m, 'LD/2026/0601'));
    expect(fromXlsx.citizen.phone).toBe('+919822000601');
    expect(fromXlsx.category).toBe('streetlights');
  });
});
