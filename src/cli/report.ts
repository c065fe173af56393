import type { Command } from 'commander';
import { feedbackCsv, formatAverage, formatPercent, type FeedbackLine } from '../report/feedback-csv.ts';
import { loadFeedbackReport } from '../report/load-feedback-report.ts';
import { DEFAULT_DAYS, reportPeriod, type PeriodProblem } from '../report/period.ts';
import type { ReportLanguage } from '../report/report-names.ts';
import { printTable, UsageError } from './output.ts';
import { withStore } from './with-store.ts';

const LANGUAGES: readonly ReportLanguage[] = ['en', 'mr', 'hi'];

function problemText(p: PeriodProblem): string {
  return p.problem === 'format'
    ? `--${p.field} must be a day as YYYY-MM-DD (India time), not "${p.value}"`
    : `--from ${p.value} is after --to: give the first day as --from and the last as --to`;
}

// "3 (75.0%)": how many of those asked answered, and what share
const answered = (l: FeedbackLine) => (l.asked === 0 ? '—' : `${l.answered} (${formatPercent(l.responseRate)}%)`);

function printLines(lines: readonly FeedbackLine[]): void {
  printTable(
    ['scope', 'name', 'asked', 'answered', 'rated', 'average', '1★', '2★', '3★', '4★', '5★', 'follow-up'],
    lines.map((l) => [l.scope, l.id && l.id !== l.name ? `${l.name} (${l.id})` : l.name, String(l.asked), answered(l), String(l.rated), formatAverage(l.average) || '—', ...l.distribution.map(String), String(l.followUps)]),
  );
}

export function registerReport(program: Command): void {
  const report = program.command('report').description('figures from the store, for staff');
  report
    .command('feedback')
    .description('citizens’ ratings in a period (India time, both days included): asked, answered, average, 1–5, follow-ups; overall, per department and per ward office')
    .option('--from <YYYY-MM-DD>', `the first day (default: ${DEFAULT_DAYS - 1} days before --to)`)
    .option('--to <YYYY-MM-DD>', 'the last day, included (default: today)')
    .option('--csv', 'CSV with a header row: one row overall, one per department, one per ward office')
    .option('--lang <lang>', `names of departments and ward offices in ${LANGUAGES.join(', ')}`, 'en')
    .action(async (opts: { from?: string; to?: string; csv?: boolean; lang: string }) => {
      const lang = LANGUAGES.find((l) => l === opts.lang);
      if (!lang) throw new UsageError(`--lang must be one of ${LANGUAGES.join(', ')}, not "${opts.lang}"`);
      const asked = reportPeriod({ from: opts.from, to: opts.to }, new Date());
      if (!asked.ok) throw new UsageError(problemText(asked.problem));
      const { period } = asked;
      const loaded = await withStore((store) => loadFeedbackReport(store, period, lang));
      if (opts.csv) return void process.stdout.write(feedbackCsv(period, loaded.lines));
      process.stdout.write(`feedback ${period.fromDay} to ${period.toDay} (India time, both days included)\n`);
      printLines(loaded.lines);
    });
}
