import { stringify } from 'csv-stringify/sync';
import type { FeedbackFigures, FeedbackReport } from './feedback-report.ts';
import type { ReportPeriod } from './period.ts';
import type { ReportNames } from './report-names.ts';

export type FeedbackScope = 'overall' | 'department' | 'ward';

/** One line of the report, as the CLI's table, its CSV and the admin page show it. */
export interface FeedbackLine extends FeedbackFigures {
  scope: FeedbackScope;
  /** '' for the overall line and for the tickets with no ward office */
  id: string;
  name: string;
}

export const FEEDBACK_CSV_HEADER = [
  'from', 'to', 'scope', 'id', 'name', 'asked', 'answered', 'response_rate_pct', 'rated', 'average',
  'rated_1', 'rated_2', 'rated_3', 'rated_4', 'rated_5', 'follow_ups',
] as const;

/** "3.67", or '' when nothing was rated: a spreadsheet reads an empty cell as no value, not as zero */
export const formatAverage = (average: number | undefined): string => (average === undefined ? '' : average.toFixed(2));
/** "66.7" (per cent), or '' when nobody was asked */
export const formatPercent = (rate: number | undefined): string => (rate === undefined ? '' : (rate * 100).toFixed(1));

/** the overall line first, then each department, then each ward office */
export function feedbackLines(report: FeedbackReport, names: ReportNames): FeedbackLine[] {
  return [
    { scope: 'overall', id: '', name: names.overall, ...report.overall },
    ...report.departments.map((d) => ({ ...d, scope: 'department' as const, id: d.id ?? '', name: names.department(d.id ?? '') })),
    ...report.wards.map((w) => ({ ...w, scope: 'ward' as const, id: w.id ?? '', name: names.ward(w.id) })),
  ];
}

/**
 * The report as CSV, a header row first; the CLI's `--csv` and the admin page's download are this text. `bom`: a
 * byte-order mark, without which a spreadsheet opening the file takes the Devanagari names for another encoding.
 */
export function feedbackCsv(period: ReportPeriod, lines: readonly FeedbackLine[], o: { bom?: boolean } = {}): string {
  const rows = lines.map((l) => [
    period.fromDay, period.toDay, l.scope, l.id, l.name, l.asked, l.answered, formatPercent(l.responseRate), l.rated, formatAverage(l.average),
    ...l.distribution, l.followUps,
  ]);
  return stringify([[...FEEDBACK_CSV_HEADER], ...rows], { bom: o.bom === true });
}
