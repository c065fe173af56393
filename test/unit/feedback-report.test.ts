import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { averageChart, distributionChart } from '../../src/admin/pages/feedback-chart.ts';
import { REPORT_WORDS } from '../../src/admin/pages/report-words.ts';
import { FEEDBACK_CSV_HEADER, feedbackCsv, feedbackLines } from '../../src/report/feedback-csv.ts';
import { summarizeFeedback } from '../../src/report/feedback-report.ts';
import { reportPeriod, type ReportPeriod } from '../../src/report/period.ts';
import type { ReportNames } from '../../src/report/report-names.ts';
import type { FeedbackRow } from '../../src/store/store.ts';

function period(from: string, to: string): ReportPeriod {
  const p = reportPeriod({ from, to }, new Date());
  if (!p.ok) throw new Error(`bad period ${from}–${to}`);
  return p.period;
}

const MARCH = period('2026-03-01', '2026-03-31');

// India time: 1 March starts at 28 February 18:30 UTC, 31 March ends at 31 March 18:30 UTC
const ROWS: FeedbackRow[] = [
  // asked and rated in March; flagged
  { department: 'SWM', ward: 'kothrud-bavdhan', askedAt: '2026-03-02T04:00:00.000Z', rating: 2, ratedAt: '2026-03-02T10:00:00.000Z', followUp: true },
  { department: 'SWM', ward: 'kothrud-bavdhan', askedAt: '2026-03-05T04:00:00.000Z', rating: 5, ratedAt: '2026-03-05T06:00:00.000Z', followUp: false },
  // rated at 23:59 IST on the last day: in
  { department: 'WATER', ward: 'hadapsar-mundhwa', askedAt: '2026-03-10T04:00:00.000Z', rating: 4, ratedAt: '2026-03-31T18:29:59.999Z', followUp: false },
  // asked, never answered
  { department: 'ROADS', askedAt: '2026-03-20T04:00:00.000Z', followUp: false },
  // asked in March, rated at 00:00 IST on 1 April: answered, but the rating is April's; a flag on it is April's too
  { department: 'ROADS', ward: 'hadapsar-mundhwa', askedAt: '2026-03-31T17:00:00.000Z', rating: 3, ratedAt: '2026-03-31T18:30:00.000Z', followUp: true },
  // asked in February, rated at 00:00 IST on 1 March: a March rating, not a March question
  { department: 'WATER', ward: 'kothrud-bavdhan', askedAt: '2026-02-25T04:00:00.000Z', rating: 1, ratedAt: '2026-02-28T18:30:00.000Z', followUp: false },
  // rated at 23:59:59.999 IST on 28 February: out, as is its question
  { department: 'SWM', ward: 'kothrud-bavdhan', askedAt: '2026-02-20T04:00:00.000Z', rating: 5, ratedAt: '2026-02-28T18:29:59.999Z', followUp: true },
];

const NAMES: ReportNames = {
  overall: 'संपूर्ण महानगरपालिका',
  department: (id) => ({ SWM: 'घनकचरा व्यवस्थापन विभाग', WATER: 'जल आपूर्ति विभाग', ROADS: 'Roads, "Pothole" cell' })[id] ?? id,
  ward: (id) => (id === undefined ? '(no ward office)' : id === 'kothrud-bavdhan' ? 'कोथरूड-बावधन' : id),
};

describe('the feedback report period (India time, both days included)', () => {
  it('runs from midnight IST of the first day to midnight IST after the last', () => {
    expect(MARCH.from.toISOString()).toBe('2026-02-28T18:30:00.000Z');
    expect(MARCH.to.toISOString()).toBe('2026-03-31T18:30:00.000Z');
    expect(period('2026-03-31', '2026-03-31').to.getTime() - period('2026-03-31', '2026-03-31').from.getTime()).toBe(86_400_000);
  });

  it('defaults to the last 30 days, today by the Indian clock included', () => {
    // 20:00 UTC on 31 March is 01:30 on 1 April in Pune
    const p = reportPeriod({}, new Date('2026-03-31T20:00:00Z'));
    expect(p).toMatchObject({ ok: true, period: { fromDay: '2026-03-03', toDay: '2026-04-01' } });
    expect(reportPeriod({ to: '2026-03-31', from: '' }, new Date())).toMatchObject({ ok: true, period: { fromDay: '2026-03-02', toDay: '2026-03-31' } });
    expect(reportPeriod({ from: '2026-03-30' }, new Date('2026-03-31T10:00:00Z'))).toMatchObject({ ok: true, period: { fromDay: '2026-03-30', toDay: '2026-03-31' } });
  });

  it('names the field of a day that does not exist, and a period that ends before it starts', () => {
    expect(reportPeriod({ from: '2026-02-30', to: '2026-03-31' }, new Date())).toEqual({ ok: false, problem: { field: 'from', problem: 'format', value: '2026-02-30' } });
    expect(reportPeriod({ from: '2026-03-01', to: '31-03-2026' }, new Date())).toEqual({ ok: false, problem: { field: 'to', problem: 'format', value: '31-03-2026' } });
    expect(reportPeriod({ from: '2026-04-01', to: '2026-03-31' }, new Date())).toEqual({ ok: false, problem: { field: 'from', problem: 'order', value: '2026-04-01' } });
  });
});

describe('summarizeFeedback', () => {
  const report = summarizeFeedback(ROWS, MARCH);

  it('counts questions by when they were asked and ratings by when they were given', () => {
    expect(report.overall).toEqual({ asked: 5, answered: 4, responseRate: 0.8, rated: 4, average: 3, distribution: [1, 1, 0, 1, 1], followUps: 1 });
  });

  it('gives each department and ward office its own figures, the tickets with no ward office last', () => {
    expect(report.departments).toEqual([
      { id: 'ROADS', asked: 2, answered: 1, responseRate: 0.5, rated: 0, distribution: [0, 0, 0, 0, 0], followUps: 0 },
      { id: 'SWM', asked: 2, answered: 2, responseRate: 1, rated: 2, average: 3.5, distribution: [0, 1, 0, 0, 1], followUps: 1 },
      { id: 'WATER', asked: 1, answered: 1, responseRate: 1, rated: 2, average: 2.5, distribution: [1, 0, 0, 1, 0], followUps: 0 },
    ]);
    expect(report.wards.map((w) => [w.id, w.asked, w.answered, w.rated, w.average, w.followUps])).toEqual([
      ['hadapsar-mundhwa', 2, 2, 1, 4, 0],
      ['kothrud-bavdhan', 2, 2, 3, 8 / 3, 1],
      [undefined, 1, 0, 0, undefined, 0],
    ]);
  });

  it('shows an empty period as zeros, with no average and no response rate', () => {
    const empty = summarizeFeedback(ROWS, period('2025-01-01', '2025-01-31'));
    expect(empty).toEqual({ overall: { asked: 0, answered: 0, rated: 0, distribution: [0, 0, 0, 0, 0], followUps: 0 }, departments: [], wards: [] });
  });

  it('does not count a rating no citizen can give', () => {
    const odd = summarizeFeedback([{ department: 'SWM', askedAt: '2026-03-02T04:00:00.000Z', rating: 7, ratedAt: '2026-03-02T05:00:00.000Z', followUp: false }], MARCH);
    expect(odd.overall).toMatchObject({ asked: 1, answered: 0, rated: 0 });
  });
});

describe('the feedback CSV', () => {
  it('has a header row, then overall, each department and each ward office, named, with the period on every row', () => {
    const text = feedbackCsv(MARCH, feedbackLines(summarizeFeedback(ROWS, MARCH), NAMES));
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    const rows = parse(text) as string[][];
    expect(rows[0]).toEqual([...FEEDBACK_CSV_HEADER]);
    expect(rows.slice(1).map((r) => r.slice(2, 5))).toEqual([
      ['overall', '', 'संपूर्ण महानगरपालिका'],
      ['department', 'ROADS', 'Roads, "Pothole" cell'],
      ['department', 'SWM', 'घनकचरा व्यवस्थापन विभाग'],
      ['department', 'WATER', 'जल आपूर्ति विभाग'],
      ['ward', 'hadapsar-mundhwa', 'hadapsar-mundhwa'],
      ['ward', 'kothrud-bavdhan', 'कोथरूड-बावधन'],
      ['ward', '', '(no ward office)'],
    ]);
    expect(rows[1]).toEqual(['2026-03-01', '2026-03-31', 'overall', '', 'संपूर्ण महानगरपालिका', '5', '4', '80.0', '4', '3.00', '1', '1', '0', '1', '1', '1']);
    // nothing rated: no average rather than a zero one
    expect(rows[2]!.slice(5)).toEqual(['2', '1', '50.0', '0', '', '0', '0', '0', '0', '0', '0']);
    expect(rows[6]!.slice(5, 10)).toEqual(['2', '2', '100.0', '3', '2.67']);
    expect(feedbackCsv(MARCH, [], { bom: true }).charCodeAt(0)).toBe(0xfeff);
  });
});

describe('the feedback charts (inline SVG)', () => {
  const mr = REPORT_WORDS.mr;

  it('draws each department’s average best first, below-average ones in orange, the overall average as a line', () => {
    const svg = averageChart([
      { label: 'जल आपूर्ति विभाग', average: 2.5, rated: 2 },
      { label: 'घनकचरा व्यवस्थापन विभाग', average: 3.5, rated: 1 },
    ], 3, mr).markup;
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 320 \d+"[^>]*role="img"/u);
    expect(svg.indexOf('घनकचरा व्यवस्थापन विभाग · 1 गुणांकन')).toBeLessThan(svg.indexOf('जल आपूर्ति विभाग · 2 गुणांकने'));
    // the bar's length is its average out of 5, over 280 units; the line sits at 3 of 5
    expect(svg).toContain('<rect x="2" y="44" width="196" height="14" rx="2" fill="#1d4ed8"/>');
    expect(svg).toContain('<rect x="2" y="86" width="140" height="14" rx="2" fill="#c2410c"/>');
    expect(svg).toContain('<line x1="170" y1="18" x2="170" y2="108" stroke="#111"');
    expect(svg).toContain('एकूण 3.0');
    expect(svg).not.toMatch(/<script|href=/u);
  });

  it('splits one bar by rating 1 to 5 with counts and shares in the legend', () => {
    const svg = distributionChart([1, 1, 0, 1, 1], REPORT_WORDS.en).markup;
    expect(svg).toContain('<rect x="0" y="0" width="80" height="28" fill="#b91c1c"/>');
    expect(svg).toContain('<rect x="160" y="0" width="80" height="28" fill="#84cc16"/>');
    expect(svg).not.toContain('height="28" fill="#facc15"'); // no slice for the threes, only their legend
    expect(svg).toContain('>0 · 0%</text>');
    expect(svg).toContain('>1 · 25%</text>');
    expect(svg).toContain('<title id="dist-t">Ratings from 1 to 5</title>');
  });
});
