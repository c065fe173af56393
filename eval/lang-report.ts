// The report: one JSON document (the stable shape `--json` prints, described in eval/lang.ts) and its text form.
import { printTable } from '../src/cli/output.ts';
import type { Expected, Sample } from './lang-corpus.ts';
import type { DetectorId, Predicted } from './lang-detectors.ts';
import {
  accuracy,
  accuracyTargets,
  confusionMatrix,
  EXPECTED_CLASSES,
  PREDICTED_CLASSES,
  scoreGroups,
  speedTarget,
  undRate,
  type Counts,
  type Level,
  type TargetResult,
} from './lang-score.ts';
import type { TimedRun } from './lang-timing.ts';

export interface DetectorRow {
  id: DetectorId;
  label: string;
  msgsPerSec: number;
  usPerMsg: number;
}

export interface AccuracyRow {
  level: Level;
  file: string | null;
  source: string | null;
  label: string;
  expected: Exclude<Expected, 'other'>;
  n: number;
  results: Partial<Record<DetectorId, { accuracy: number; und: number }>>;
}

export interface LookAlikeRow {
  label: string;
  n: number;
  /** the share of the label's records each detector called mr, hi, en, and any of the three */
  results: Partial<Record<DetectorId, { mr: number; hi: number; en: number; ours: number }>>;
}

export interface LangReport {
  version: 1;
  dir: string;
  limitPerFile: number | null;
  samples: number;
  detectors: DetectorRow[];
  languages: AccuracyRow[];
  groups: AccuracyRow[];
  lookAlikes: LookAlikeRow[];
  confusion: Partial<Record<DetectorId, Record<Expected, Counts>>>;
  targets: TargetResult[];
  pass: boolean;
}

export interface RunInput {
  dir: string;
  limitPerFile: number | null;
  samples: readonly Sample[];
  runs: { id: DetectorId; label: string; run: TimedRun }[];
}

const share = (x: number) => Math.round(x * 10_000) / 10_000;

export function buildReport({ dir, limitPerFile, samples, runs }: RunInput): LangReport {
  const predictions: Partial<Record<DetectorId, Predicted[]>> = Object.fromEntries(runs.map((r) => [r.id, r.run.predictions]));
  const groups = scoreGroups(samples, predictions);
  const ids = runs.map((r) => r.id);
  const accuracyRow = (g: (typeof groups)[number]): AccuracyRow => ({
    level: g.level,
    file: g.file,
    source: g.source,
    label: g.label,
    expected: g.expected as AccuracyRow['expected'],
    n: g.n,
    results: Object.fromEntries(ids.map((d) => [d, { accuracy: share(accuracy(g, d)), und: share(undRate(g, d)) }])),
  });
  const ours = groups.filter((g) => g.expected !== 'other');
  const targets = ids.includes('ours') ? [...accuracyTargets(groups, 'ours'), speedTarget(Object.fromEntries(runs.map((r) => [r.id, r.run.msgsPerSec])))] : [];
  return {
    version: 1,
    dir,
    limitPerFile,
    samples: samples.length,
    detectors: runs.map((r) => ({ id: r.id, label: r.label, msgsPerSec: Math.round(r.run.msgsPerSec), usPerMsg: Math.round(r.run.usPerMsg * 100) / 100 })),
    languages: ours.filter((g) => g.level === 'language').map(accuracyRow),
    groups: ours.filter((g) => g.level !== 'language').map(accuracyRow),
    lookAlikes: groups
      .filter((g) => g.level === 'language' && g.expected === 'other')
      .map((g) => ({
        label: g.label,
        n: g.n,
        results: Object.fromEntries(
          ids.map((d) => {
            const c = g.counts[d]!;
            return [d, { mr: share(c.mr / g.n), hi: share(c.hi / g.n), en: share(c.en / g.n), ours: share((c.mr + c.hi + c.en) / g.n) }];
          }),
        ),
      })),
    confusion: Object.fromEntries(runs.map((r) => [r.id, confusionMatrix(samples, r.run.predictions)])),
    targets,
    pass: targets.every((t) => t.verdict !== 'FAIL'),
  };
}

const pct = (x: number) => (x * 100).toFixed(1);
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

function rowName(r: AccuracyRow): string {
  if (r.level === 'language') return r.label;
  return r.level === 'source' ? `  └ ${r.source}` : `${r.file} · ${r.label}`;
}

/** The human-readable report: speed, accuracy tables, look-alikes, confusion matrices, targets. */
export function printReport(report: LangReport): void {
  const ids = report.detectors.map((d) => d.id);
  const line = (s = '') => process.stdout.write(s + '\n');
  const table = (headers: string[], rows: string[][]) => printTable(headers, rows, 72);
  const accCell = (r: AccuracyRow, d: DetectorId) => {
    const x = r.results[d]!;
    return `${pct(x.accuracy)}${x.und > 0 ? ` (und ${pct(x.und)})` : ''}`;
  };

  line(`language detection · ${report.samples} records from ${report.dir}${report.limitPerFile ? ` (first ${report.limitPerFile} of each file)` : ''}`);
  for (const d of report.detectors) line(`  ${d.id.padEnd(10)} ${d.label}`);
  line();
  line('speed — every text once, after a warm-up, one core');
  for (const d of report.detectors) line(`  ${d.id.padEnd(10)} ${thousands(d.msgsPerSec).padStart(9)} msgs/s   ${d.usPerMsg.toFixed(1).padStart(7)} µs/msg`);
  line();
  line('accuracy by language — % answered with the expected language (und: % with no answer)');
  table(['label', 'expect', 'n', ...ids], report.languages.map((r) => [r.label, r.expected, String(r.n), ...ids.map((d) => accCell(r, d))]));
  line();
  line('accuracy by file and source');
  table(['file · label / source', 'expect', 'n', ...ids], report.groups.map((r) => [rowName(r), r.expected, String(r.n), ...ids.map((d) => accCell(r, d))]));
  if (report.lookAlikes.length > 0) {
    line();
    line('look-alikes — other languages: % taken for mr / hi / en (no target; lower is better)');
    table(
      ['label', 'n', ...ids],
      report.lookAlikes.map((r) => [r.label, String(r.n), ...ids.map((d) => {
        const x = r.results[d]!;
        return `${pct(x.ours)} (${pct(x.mr)}/${pct(x.hi)}/${pct(x.en)})`;
      })]),
    );
  }
  for (const d of ids) {
    line();
    line(`confusion — ${d} (rows: expected, columns: answered)`);
    const m = report.confusion[d]!;
    table(['', ...PREDICTED_CLASSES], EXPECTED_CLASSES.map((e) => [e, ...PREDICTED_CLASSES.map((p) => String(m[e][p]))]));
  }
  if (report.targets.length > 0) {
    line();
    line('targets — ours, per source');
    for (const t of report.targets) {
      const where = t.file === null ? '' : `${t.file}${t.source ? ` › ${t.source}` : ''} · ${t.label}  `;
      const figures =
        t.file === null
          ? `ours ${t.actual === null ? '—' : thousands(t.actual)} msgs/s vs franc-only ${t.target === null ? '—' : thousands(t.target)} msgs/s`
          : `${pct(t.actual ?? 0)}% (target ≥ ${pct(t.target ?? 0)}%, n=${t.n})`;
      line(`  ${t.verdict}  ${where}${t.what}: ${figures}${t.note ? ` — ${t.note}` : ''}`);
    }
    const count = (v: string) => report.targets.filter((t) => t.verdict === v).length;
    line(`  ${count('PASS')} pass, ${count('FAIL')} fail, ${count('SKIP')} not judged`);
  }
}
