// The routing table of a running process: the holiday calendar is a file staff edit, and an edit counts in the
// next due date without a restart; an edit that cannot be read, or a deleted file, keeps the last good calendar.
import { mkdtempSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelMapping } from '../../src/model/index.ts';
import { RoutingTable } from '../../src/router/routing-table.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const HOLI = '  - { date: 2026-03-03, en: Holi (second day), mr: धुलिवंदन (होळीचा दुसरा दिवस) }\n';
// a day declared off at short notice, as for a polling day: the kind of line staff add mid-year
const POLLING_DAY = '  - { date: 2026-03-11, en: Polling day (municipal election), mr: मतदानाचा दिवस (महापालिका निवडणूक) }\n';
const calendarYaml = (holidays: string) => `weeklyOff: { sundays: true, saturdays: [2, 4] }\ndayEndsAt: '18:00'\nyears: [2026]\nholidays:\n${holidays}`;

const MAPPING = ChannelMapping.parse({ id: 'sms-main', channel: 'sms', accountId: '+912066000000', department: 'SWM', defaultLanguage: 'mr', replyPolicy: 'one-shot' });
/** an instant written in India time */
const ist = (local: string) => new Date(`${local}+05:30`);

async function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-routing-table-'));
  const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const calendarPath = join(dir, 'holidays.yaml');
  writeFileSync(calendarPath, calendarYaml(HOLI));
  await store.admin.saveRecords([{ kind: 'sla', id: 'garbage', data: { id: 'garbage', category: 'garbage', workingDays: 2, enabled: true }, action: 'create' }], 'test', new Date());
  const table = new RoutingTable({ store, defaults: { department: 'call-centre', language: 'mr', slaHours: 72 }, calendarPath });
  await table.refresh();
  /** staff's edit, saved a few seconds later: a file system that keeps whole seconds must still see a new mtime */
  const edit = (text: string) => {
    const before = statSync(calendarPath).mtimeMs;
    writeFileSync(calendarPath, text);
    const later = new Date(before + 5_000);
    utimesSync(calendarPath, later, later);
  };
  // a Marathi complaint about garbage, on Monday 9 March 2026 in the morning
  const due = () => table.route(MAPPING, { channel: 'sms', accountId: MAPPING.accountId, receivedAt: ist('2026-03-09T10:00'), text: 'कचरा उचलला नाही', category: 'garbage' });
  return { table, calendarPath, edit, due };
}

describe('the holiday calendar, edited while the bridge runs', () => {
  it('a holiday added on the due day moves the next due date, without a restart', async () => {
    const { table, edit, due } = await setUp();
    // two working days after Monday: Tuesday 10 and Wednesday 11
    expect(due().slaDueAt).toBe(ist('2026-03-11T18:00').toISOString());
    expect(due().routing.sla).toEqual({ policyId: 'garbage', workingDays: 2 });

    edit(calendarYaml(HOLI + POLLING_DAY));
    await table.refresh();
    const moved = due();
    expect(moved.slaDueAt).toBe(ist('2026-03-12T18:00').toISOString());
    expect(moved.routing.sla).toEqual({ policyId: 'garbage', workingDays: 2, skipped: ['2026-03-11 Polling day (municipal election)'] });
    // the same calendar for the office-hours check
    expect(table.calendar()?.holidays.get('2026-03-11')).toEqual({ en: 'Polling day (municipal election)', mr: 'मतदानाचा दिवस (महापालिका निवडणूक)' });

    // and taken out again
    edit(calendarYaml(HOLI));
    await table.refresh();
    expect(due().slaDueAt).toBe(ist('2026-03-11T18:00').toISOString());
  });

  it('an edit that cannot be read, or a deleted file, keeps the last good calendar', async () => {
    const { table, calendarPath, edit, due } = await setUp();
    edit(calendarYaml(HOLI + POLLING_DAY));
    await table.refresh();
    expect(due().slaDueAt).toBe(ist('2026-03-12T18:00').toISOString());

    // a half-typed line: the process keeps counting with the calendar it had
    edit(calendarYaml(HOLI + POLLING_DAY + '  - { date: 2026-03-1'));
    await table.refresh();
    expect(due().slaDueAt).toBe(ist('2026-03-12T18:00').toISOString());

    unlinkSync(calendarPath);
    await table.refresh();
    expect(due().slaDueAt).toBe(ist('2026-03-12T18:00').toISOString());
    expect(table.calendar()?.holidays.has('2026-03-11')).toBe(true);
  });
});
