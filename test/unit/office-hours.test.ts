import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCalendar } from '../../src/config/calendar.ts';
import { ChannelMapping } from '../../src/model/index.ts';
import { offHoursText } from '../../src/router/office-hours.ts';
import { istDay } from '../../src/router/working-calendar.ts';
import { ROOT } from '../support/bridge-process.ts';

const calendar = loadCalendar(join(ROOT, 'config', 'holidays.yaml'));
const ward = ChannelMapping.parse({
  id: 'sms-ward5',
  channel: 'sms',
  accountId: '+912066005555',
  department: 'SWM',
  defaultLanguage: 'mr',
  replyPolicy: 'one-shot',
  officeHours: { days: [1, 2, 3, 4, 5, 6], from: '09:45', to: '18:15' },
  offHoursMessage: {
    mr: 'कार्यालय सध्या बंद आहे. आपली तक्रार नोंदवली आहे; पुढच्या कामाच्या दिवशी कार्यवाही होईल.',
    hi: 'कार्यालय अभी बंद है। आपकी शिकायत दर्ज है; अगले कार्य-दिवस पर कार्रवाई होगी।',
    en: 'The office is closed now. Your complaint is registered and will be taken up on the next working day.',
  },
});
const ist = (local: string) => new Date(`${local}+05:30`);

describe('office hours of a mapping', () => {
  it('says nothing in office hours, and the off-hours text in the citizen\'s language outside them', () => {
    expect(offHoursText(ward, ist('2026-03-09T10:00'), 'mr', calendar)).toBeUndefined();
    expect(offHoursText(ward, ist('2026-03-09T18:15'), 'hi', calendar)).toMatch(/^कार्यालय अभी बंद है/);
    expect(offHoursText(ward, ist('2026-03-09T07:30'), 'en', calendar)).toMatch(/^The office is closed/);
    // Sunday, a holiday (Holi) and the second Saturday are closed though it is daytime
    expect(offHoursText(ward, ist('2026-03-08T11:00'), 'mr', calendar)).toMatch(/^कार्यालय सध्या बंद/);
    expect(offHoursText(ward, ist('2026-03-03T11:00'), 'mr', calendar)).toBeDefined();
    expect(offHoursText(ward, ist('2026-03-14T11:00'), 'mr', calendar)).toBeDefined();
    expect(offHoursText(ward, ist('2026-03-07T11:00'), 'mr', calendar)).toBeUndefined();
  });

  it('in India time whatever the instant: 23:00 UTC on Sunday is Monday morning in Pune, and the day of a message is India\'s', () => {
    expect(offHoursText(ward, new Date('2026-03-08T23:00:00Z'), 'en', calendar)).toMatch(/closed/); // 04:30 IST Monday
    expect(offHoursText(ward, new Date('2026-03-09T04:30:00Z'), 'en', calendar)).toBeUndefined(); // 10:00 IST Monday
    expect(istDay(new Date('2026-03-08T20:00:00Z'))).toBe('2026-03-09');
  });

  it('a mapping without office hours or a message never says it', () => {
    const { officeHours: _h, ...always } = ward;
    expect(offHoursText(always, ist('2026-03-08T23:00'), 'mr', calendar)).toBeUndefined();
  });
});
