import type { Store } from '../store/store.ts';
import { feedbackLines, type FeedbackLine } from './feedback-csv.ts';
import { summarizeFeedback, type FeedbackReport } from './feedback-report.ts';
import type { ReportPeriod } from './period.ts';
import { loadReportNames, type ReportLanguage, type ReportNames } from './report-names.ts';

export interface LoadedFeedbackReport {
  period: ReportPeriod;
  report: FeedbackReport;
  names: ReportNames;
  /** overall, each department, each ward office: what the table and the CSV show */
  lines: FeedbackLine[];
}

/** The feedback report of a period as the CLI and the admin page show it: one read of the tickets, one of the names. */
export async function loadFeedbackReport(store: Store, period: ReportPeriod, lang: ReportLanguage): Promise<LoadedFeedbackReport> {
  const [rows, names] = await Promise.all([store.feedbackRows(period.from, period.to), loadReportNames(store.admin, lang)]);
  const report = summarizeFeedback(rows, period);
  return { period, report, names, lines: feedbackLines(report, names) };
}
