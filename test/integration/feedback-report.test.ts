import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../../src/model/index.ts';
import { istDay } from '../../src/report/period.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { startAdminPagesServer, type AdminPagesServer } from '../support/admin-pages-server.ts';
import { addStaff, getPage, signIn, type Session } from '../support/admin-staff.ts';
import { runCli } from '../support/bridge-process.ts';

// the names admin-pages-server gives its store, and one department more with a Hindi name
const RECORDS = [
  { kind: 'department' as const, id: 'SWM', data: { id: 'SWM', name: { en: 'Solid Waste Management', mr: 'घनकचरा व्यवस्थापन विभाग' }, enabled: true } },
  { kind: 'department' as const, id: 'WATER', data: { id: 'WATER', name: { en: 'Water Supply', mr: 'पाणीपुरवठा विभाग' }, enabled: true } },
  { kind: 'department' as const, id: 'ROADS', data: { id: 'ROADS', name: { en: 'Roads', mr: 'पथ विभाग', hi: 'सड़क विभाग' }, enabled: true } },
  { kind: 'ward' as const, id: 'kothrud-bavdhan', data: { id: 'kothrud-bavdhan', name: { en: 'Kothrud-Bavdhan', mr: 'कोथरूड-बावधन' }, enabled: true } },
  { kind: 'ward' as const, id: 'hadapsar-mundhwa', data: { id: 'hadapsar-mundhwa', name: { en: 'Hadapsar-Mundhwa', mr: 'हडपसर-मुंढवा' }, enabled: true } },
];

interface Filed {
  text: string;
  language: Language;
  department: string;
  ward?: string;
  askedAt?: string;
  rating?: { value: number; at: string; comment?: string };
  followUp?: boolean;
}

// March 2026 in India time runs from 2026-02-28T18:30Z to 2026-03-31T18:30Z
const MARCH: Filed[] = [
  { text: 'कचरा उचलला नाही, तीन दिवस झाले', language: 'mr', department: 'SWM', ward: 'kothrud-bavdhan', askedAt: '2026-03-02T04:00:00.000Z', rating: { value: 2, at: '2026-03-02T10:00:00.000Z', comment: 'उशीर झाला' }, followUp: true },
  { text: 'Garbage not collected near the bus stop', language: 'en', department: 'SWM', ward: 'kothrud-bavdhan', askedAt: '2026-03-05T04:00:00.000Z', rating: { value: 5, at: '2026-03-05T06:00:00.000Z' } },
  { text: 'पानी नहीं आ रहा है, दो दिन से', language: 'hi', department: 'WATER', ward: 'hadapsar-mundhwa', askedAt: '2026-03-10T04:00:00.000Z', rating: { value: 4, at: '2026-03-10T12:00:00.000Z' } },
  { text: 'रस्त्यावर मोठे खड्डे आहेत', language: 'mr', department: 'ROADS', askedAt: '2026-03-20T04:00:00.000Z' },
  // asked in March, rated at midnight starting 1 April (India time): answered, but not a March rating
  { text: 'Pothole on the main road near the school', language: 'en', department: 'ROADS', ward: 'hadapsar-mundhwa', askedAt: '2026-03-31T17:00:00.000Z', rating: { value: 3, at: '2026-04-01T00:00:00.000+05:30' } },
  // asked in February, rated at 23:59 on 31 March written with India's offset, as another system may: a March rating
  { text: 'नल से गंदा पानी आ रहा है', language: 'hi', department: 'WATER', ward: 'kothrud-bavdhan', askedAt: '2026-02-25T04:00:00.000Z', rating: { value: 1, at: '2026-03-31T23:59:00+05:30' } },
];

/** files each complaint, resolves it, asks for the rating and records it, as the bridge and the citizen would */
async function seed(store: Store, filed: readonly Filed[], tag: string): Promise<void> {
  for (const [i, f] of filed.entries()) {
    const phone = `+9198000${tag}${String(i).padStart(4, '0')}`;
    const contact = await store.upsertContact({ channel: 'sms', channelUserId: phone, phone });
    const { ticket } = await store.createTicket({
      source: { channel: 'sms', accountId: '+912066000000', externalId: `SM-feedback-${tag}-${i}` },
      contact,
      language: f.language,
      description: { original: f.text, normalized: f.text },
      department: f.department,
      ...(f.ward ? { ward: f.ward } : {}),
      attachments: [],
      slaDueAt: '2026-04-30T12:30:00.000Z',
      by: 'test',
    });
    await store.changeTicket(ticket.ticketNo, { status: 'resolved', note: 'काम पूर्ण', by: 'user:test', at: new Date() });
    if (f.askedAt) await store.markRatingRequested(ticket.ticketNo, new Date(f.askedAt));
    if (f.rating) await store.recordFeedback(ticket.ticketNo, { rating: f.rating.value, at: f.rating.at, ...(f.rating.comment ? { comment: f.rating.comment } : {}) });
    // as staff set it: whatever the rating flagged by itself (a rating below the average), this test says which
    await store.setFollowUp(ticket.ticketNo, f.followUp === true);
  }
}

const csvRows = (text: string) => parse(text.replace(/^\uFEFF/u, '')) as string[][];

describe('pmc-bridge report feedback (the real binary over a store)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-feedback-cli-'));
  const file = join(dir, 'bridge.db');
  const env = { STORE_URL: `sqlite:${file}` };
  const cli = (...args: string[]) => runCli(['report', 'feedback', ...args], env);

  beforeAll(async () => {
    const store = SqliteStore.open(file, { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
    await store.admin.saveRecords(RECORDS.map((r) => ({ ...r, action: 'seed' })), 'test', new Date());
    await seed(store, MARCH, '1');
    await store.close();
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a CSV of March: overall, each department, each ward office, by India-time days', async () => {
    const out = await cli('--from', '2026-03-01', '--to', '2026-03-31', '--csv');
    expect(out.code, out.stderr).toBe(0);
    const rows = csvRows(out.stdout);
    expect(rows[0]).toEqual(['from', 'to', 'scope', 'id', 'name', 'asked', 'answered', 'response_rate_pct', 'rated', 'average', 'rated_1', 'rated_2', 'rated_3', 'rated_4', 'rated_5', 'follow_ups']);
    expect(rows.slice(1).map((r) => r.slice(2))).toEqual([
      ['overall', '', 'All of PMC', '5', '4', '80.0', '4', '3.00', '1', '1', '0', '1', '1', '1'],
      ['department', 'ROADS', 'Roads', '2', '1', '50.0', '0', '', '0', '0', '0', '0', '0', '0'],
      ['department', 'SWM', 'Solid Waste Management', '2', '2', '100.0', '2', '3.50', '0', '1', '0', '0', '1', '1'],
      ['department', 'WATER', 'Water Supply', '1', '1', '100.0', '2', '2.50', '1', '0', '0', '1', '0', '0'],
      ['ward', 'hadapsar-mundhwa', 'Hadapsar-Mundhwa', '2', '2', '100.0', '1', '4.00', '0', '0', '0', '1', '0', '0'],
      ['ward', 'kothrud-bavdhan', 'Kothrud-Bavdhan', '2', '2', '100.0', '3', '2.67', '1', '1', '0', '0', '1', '1'],
      ['ward', '', '(no ward office)', '1', '0', '0.0', '0', '', '0', '0', '0', '0', '0', '0'],
    ]);
    expect(rows.slice(1).every((r) => r[0] === '2026-03-01' && r[1] === '2026-03-31')).toBe(true);
  });

  it('prints a table by default, with names in Marathi or Hindi when asked', async () => {
    const table = await cli('--from', '2026-03-01', '--to', '2026-03-31', '--lang', 'mr');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^feedback 2026-03-01 to 2026-03-31 \(India time, both days included\)\nscope\s+name\s+asked\s+answered\s+rated\s+average/u);
    expect(table.stdout).toMatch(/overall\s+संपूर्ण महानगरपालिका\s+5\s+4 \(80\.0%\)\s+4\s+3\.00\s+1\s+1\s+0\s+1\s+1\s+1/u);
    expect(table.stdout).toMatch(/department\s+घनकचरा व्यवस्थापन विभाग \(SWM\)\s+2\s+2 \(100\.0%\)\s+2\s+3\.50/u);
    expect(table.stdout).toMatch(/department\s+पथ विभाग \(ROADS\)\s+2\s+1 \(50\.0%\)\s+0\s+—/u);
    const hindi = await cli('--from', '2026-03-01', '--to', '2026-03-31', '--lang', 'hi', '--csv');
    const names = csvRows(hindi.stdout).slice(1).map((r) => r[4]);
    // ROADS has a Hindi name; the others fall back to the Marathi one, in the same script
    expect(names).toEqual(['पूरी महानगरपालिका', 'सड़क विभाग', 'घनकचरा व्यवस्थापन विभाग', 'पाणीपुरवठा विभाग', 'हडपसर-मुंढवा', 'कोथरूड-बावधन', '(कोई क्षेत्रीय कार्यालय नहीं)']);
  });

  it('counts the midnight that starts April in April', async () => {
    const april = csvRows((await cli('--from', '2026-04-01', '--to', '2026-04-01', '--csv')).stdout);
    expect(april[1]!.slice(2, 10)).toEqual(['overall', '', 'All of PMC', '0', '0', '', '1', '3.00']);
  });

  it('refuses a day that does not exist, or a period backwards, naming the option', async () => {
    const bad = await cli('--from', '2026-02-30', '--to', '2026-03-31');
    expect(bad.code).toBe(64);
    expect(bad.stderr).toBe('pmc-bridge: --from must be a day as YYYY-MM-DD (India time), not "2026-02-30"\n');
    expect(bad.stdout).toBe('');
    const to = await cli('--to', '31/03/2026');
    expect(to.code).toBe(64);
    expect(to.stderr).toContain('--to must be a day as YYYY-MM-DD');
    const backwards = await cli('--from', '2026-04-01', '--to', '2026-03-01');
    expect(backwards.code).toBe(64);
    expect(backwards.stderr).toContain('--from 2026-04-01 is after --to');
  });
});

describe('the feedback report page (/admin/reports/feedback over HTTP)', () => {
  let s: AdminPagesServer;
  let supervisor: Session;
  let officer: Session;
  const cliDir = mkdtempSync(join(tmpdir(), 'pmc-feedback-page-'));
  const cliEnv = { STORE_URL: `sqlite:${join(cliDir, 'bridge.db')}` };

  beforeAll(async () => {
    s = await startAdminPagesServer();
    await s.store.admin.saveRecords([{ ...RECORDS[2]!, action: 'seed' }], 'test', new Date());
    // a rating of a minute ago: what the default period (the last 30 days) shows
    const recent = new Date(Date.now() - 60_000).toISOString();
    const today: Filed = { text: 'Streetlight not working on FC Road', language: 'en', department: 'ROADS', ward: 'kothrud-bavdhan', askedAt: recent, rating: { value: 5, at: recent } };
    await seed(s.store, [...MARCH, today], '2');
    // the same complaints in a store of its own, for the CLI to compare with
    const store = SqliteStore.open(join(cliDir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
    await store.admin.saveRecords(RECORDS.map((r) => ({ ...r, action: 'seed' })), 'test', new Date());
    await seed(store, [...MARCH, today], '3');
    await store.close();
    await addStaff(s.store, [
      { id: 'sunita', name: 'सुनीता पाटील', role: 'supervisor' },
      { id: 'ganesh', name: 'गणेश जोशी', role: 'officer', wards: ['kothrud-bavdhan'] },
    ]);
    [supervisor, officer] = await Promise.all([signIn(s.base, 'sunita'), signIn(s.base, 'ganesh')]);
  });
  afterAll(async () => {
    await s?.close();
    rmSync(cliDir, { recursive: true, force: true });
  });

  it('shows a supervisor March in Marathi: figures, a chart of averages with the overall line, the 1–5 bar', async () => {
    const res = await getPage(s.base, '/admin/reports/feedback?from=2026-03-01&to=2026-03-31', supervisor);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/u);
    const page = await res.text();
    expect(page).toContain('<html lang="mr">');
    expect(page).toContain('<a href="/admin/reports/feedback" aria-current="page">अभिप्राय</a>');
    expect(page).toContain('value="2026-03-01"');
    expect(page).toContain('<dt>गुण देण्याची विनंती</dt><dd><b>5</b></dd>');
    expect(page).toContain('<dd><b>4 (80.0%)</b></dd>');
    expect(page).toContain('<dt>सरासरी (५ पैकी)</dt><dd><b>3.00</b></dd>');
    const chart = /<svg [^>]*aria-labelledby="avg-t avg-d">[\s\S]*?<\/svg>/u.exec(page)?.[0] ?? '';
    // SWM (3.5) above the overall 3.0 in blue, first; WATER (2.5) below it in orange; ROADS rated nothing: no bar
    expect(chart).toContain('घनकचरा व्यवस्थापन विभाग · 2 गुणांकने');
    expect(chart.indexOf('घनकचरा')).toBeLessThan(chart.indexOf('पाणीपुरवठा विभाग · 2 गुणांकने'));
    expect(chart).toMatch(/width="196" height="14" rx="2" fill="#1d4ed8"/u);
    expect(chart).toMatch(/width="140" height="14" rx="2" fill="#c2410c"/u);
    expect(chart).not.toContain('पथ विभाग');
    expect(chart).toContain('एकूण 3.0');
    expect(page).toMatch(/<svg [^>]*aria-labelledby="dist-t dist-d"><title id="dist-t">१ ते ५ गुणांचे वाटप<\/title><desc id="dist-d">1★: 1, 2★: 1, 3★: 0, 4★: 1, 5★: 1<\/desc>/u);
    // the tables: every department (ROADS with no average) and ward office, the one with none last
    expect(page).toMatch(/<td><b>पथ विभाग<\/b><\/td><td data-label="गुण देण्याची विनंती">2<\/td><td [^>]*>1 \(50.0%\)<\/td><td [^>]*>0<\/td><td [^>]*>—<\/td>/u);
    expect(page).toContain('<td><b>(क्षेत्रीय कार्यालय नाही)</b></td>');
    expect(page).toContain('href="/admin/reports/feedback.csv?from=2026-03-01&#38;to=2026-03-31"');
    expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/u);
  });

  it('defaults to the last 30 days, and switches to English', async () => {
    const page = await (await getPage(s.base, '/admin/reports/feedback?lang=en', supervisor)).text();
    expect(page).toContain('<html lang="en">');
    expect(page).toContain(`value="${istDay(new Date())}"`);
    expect(page).toContain('<dt>Ratings given</dt><dd><b>1</b></dd>');
    expect(page).toContain('Roads · 1 rating');
    expect(page).toContain('overall 5.0');
    expect(page).not.toContain('Solid Waste Management ·');
  });

  it('serves the same CSV as the CLI for download', async () => {
    const res = await getPage(s.base, '/admin/reports/feedback.csv?from=2026-03-01&to=2026-03-31&lang=en', supervisor);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="feedback-2026-03-01-to-2026-03-31.csv"');
    const bytes = Buffer.from(await res.arrayBuffer());
    // a byte-order mark for spreadsheets, then the very text the CLI prints (fetch's text() would drop the mark)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const body = bytes.subarray(3).toString('utf8');
    const cli = await runCli(['report', 'feedback', '--from', '2026-03-01', '--to', '2026-03-31', '--csv'], cliEnv);
    expect(cli.code, cli.stderr).toBe(0);
    expect(body).toBe(cli.stdout);
    expect(csvRows(body)[2]!.slice(2, 5)).toEqual(['department', 'ROADS', 'Roads']);
  });

  it('answers a bad day with the form and its problem, not figures', async () => {
    const res = await getPage(s.base, '/admin/reports/feedback?from=2026-03-01&to=2026-02-30', supervisor);
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('<input type="date" id="f-to" name="to" value="2026-02-30" aria-invalid="true" aria-describedby="f-to-problem"><p class="problem" id="f-to-problem">दिनांक YYYY-MM-DD असा द्या.</p>');
    expect(page).not.toContain('<svg');
    const csv = await getPage(s.base, '/admin/reports/feedback.csv?from=2026-04-01&to=2026-03-01&lang=en', supervisor);
    expect(csv.status).toBe(400);
    expect(await csv.text()).toBe('“From” must not be after “To”.\n');
  });

  it('is for supervisors and admins: an officer is refused, a visitor sent to sign in', async () => {
    for (const path of ['/admin/reports/feedback', '/admin/reports/feedback.csv']) {
      const res = await getPage(s.base, path, officer);
      expect(res.status, path).toBe(403);
      expect(await res.text()).not.toContain('गुण देण्याची विनंती');
      const visitor = await getPage(s.base, path);
      expect(visitor.status).toBe(303);
      expect(visitor.headers.get('location')).toBe(`/admin/login?${new URLSearchParams({ next: path }).toString()}`);
    }
    expect(await (await getPage(s.base, '/admin/tickets', officer)).text()).not.toContain('href="/admin/reports/feedback"');
    expect(await (await getPage(s.base, '/admin/tickets', supervisor)).text()).toContain('href="/admin/reports/feedback"');
  });
});
