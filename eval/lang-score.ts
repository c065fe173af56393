// Scoring: detector answers tallied per language, file and source; confusion matrices; targets with verdicts.
import type { Expected, Sample } from './lang-corpus.ts';
import type { DetectorId, Predicted } from './lang-detectors.ts';

export const EXPECTED_CLASSES: readonly Expected[] = ['mr', 'hi', 'en', 'other'];
export const PREDICTED_CLASSES: readonly Predicted[] = ['mr', 'hi', 'en', 'und', 'other'];

/** How often a detector gave each answer within one group. */
export type Counts = Record<Predicted, number>;

export type Level = 'language' | 'file' | 'source';

export interface Group {
  /** language: one corpus label over every file; file: one label in one file; source: one label of one source in a file */
  level: Level;
  file: string | null;
  source: string | null;
  label: string;
  expected: Expected;
  n: number;
  counts: Partial<Record<DetectorId, Counts>>;
}

/** Each detector's answers, in the same order as the samples. */
export type Predictions = Partial<Record<DetectorId, Predicted[]>>;

const zeroCounts = (): Counts => ({ mr: 0, hi: 0, en: 0, und: 0, other: 0 });

/**
 * The (file, label) pairs whose records name more than one `source`: these get a row per source as well as the
 * file row. Keys are `file\0label`.
 */
export function splitBySource(samples: readonly Sample[]): Set<string> {
  const sources = new Map<string, Set<string | undefined>>();
  for (const s of samples) {
    const key = `${s.file}\0${s.label}`;
    let set = sources.get(key);
    if (!set) sources.set(key, (set = new Set()));
    set.add(s.source);
  }
  return new Set([...sources].filter(([, set]) => set.size > 1).map(([key]) => key));
}

/** Language rows in this order (ours first, then look-alikes by name), whatever order the files come in. */
const LABEL_ORDER = ['mr', 'mr-Latn', 'mixed', 'hi', 'hi-Latn', 'en'];
const labelRank = (label: string) => {
  const i = LABEL_ORDER.indexOf(label);
  return i === -1 ? LABEL_ORDER.length : i;
};

/**
 * Tallies every detector's answers per group. Groups come out as: languages (see LABEL_ORDER), then for each
 * file (in first-seen order) its labels, each followed by that label's sources when it has several.
 */
export function scoreGroups(samples: readonly Sample[], predictions: Predictions): Group[] {
  const split = splitBySource(samples);
  const groups = new Map<string, Group>();
  const detectors = Object.keys(predictions) as DetectorId[];
  const groupFor = (key: string, make: () => Omit<Group, 'n' | 'counts'>): Group => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ...make(), n: 0, counts: Object.fromEntries(detectors.map((d) => [d, zeroCounts()])) }));
    return g;
  };
  // create the language rows first so they lead the list
  const labels = [...new Set(samples.map((s) => s.label))].sort((a, b) => labelRank(a) - labelRank(b) || a.localeCompare(b));
  for (const label of labels) {
    const expected = samples.find((s) => s.label === label)!.expected;
    groupFor(`language\0${label}`, () => ({ level: 'language', file: null, source: null, label, expected }));
  }
  samples.forEach((s, i) => {
    const keys = [
      groupFor(`language\0${s.label}`, () => ({ level: 'language', file: null, source: null, label: s.label, expected: s.expected })),
      groupFor(`file\0${s.file}\0${s.label}`, () => ({ level: 'file', file: s.file, source: null, label: s.label, expected: s.expected })),
    ];
    if (split.has(`${s.file}\0${s.label}`)) {
      const source = s.source ?? '(no source)';
      keys.push(groupFor(`source\0${s.file}\0${s.label}\0${source}`, () => ({ level: 'source', file: s.file, source, label: s.label, expected: s.expected })));
    }
    for (const g of keys) {
      g.n++;
      for (const d of detectors) g.counts[d]![predictions[d]![i]!]++;
    }
  });
  return [...groups.values()];
}

/** Expected × predicted counts for one detector. */
export function confusionMatrix(samples: readonly Sample[], predicted: readonly Predicted[]): Record<Expected, Counts> {
  const matrix = Object.fromEntries(EXPECTED_CLASSES.map((e) => [e, zeroCounts()])) as Record<Expected, Counts>;
  samples.forEach((s, i) => matrix[s.expected][predicted[i]!]++);
  return matrix;
}

/** Share of the group answered as expected; for a look-alike group, "other" and "und" both count as right. */
export function accuracy(g: Group, d: DetectorId): number {
  const c = g.counts[d]!;
  if (g.n === 0) return 0;
  return (g.expected === 'other' ? c.other + c.und : c[g.expected]) / g.n;
}

export const undRate = (g: Group, d: DetectorId): number => (g.n === 0 ? 0 : g.counts[d]!.und / g.n);

/** Per corpus label: the least share of a source that ours must answer with the expected language. */
export const ACCURACY_TARGETS: Record<string, { min: number; what: string }> = {
  mr: { min: 0.98, what: 'Devanagari Marathi' },
  hi: { min: 0.98, what: 'Hindi' },
  en: { min: 0.99, what: 'English' },
  'mr-Latn': { min: 0.9, what: 'romanised Marathi recognised as Marathi' },
  mixed: { min: 0.9, what: 'code-mixed romanised Marathi recognised as Marathi' },
  'hi-Latn': { min: 0.85, what: 'romanised Hindi recognised as Hindi' },
};

/** A handful of records says little about a source: below this, a target is reported but not judged. */
export const MIN_N_FOR_VERDICT = 20;

export type Verdict = 'PASS' | 'FAIL' | 'SKIP';

export interface TargetResult {
  what: string;
  /** the group judged (null for the speed target) */
  file: string | null;
  source: string | null;
  label: string | null;
  n: number;
  /** an accuracy share, or ours' msgs/s for the speed target */
  actual: number | null;
  /** the least acceptable share, or franc-only's msgs/s for the speed target */
  target: number | null;
  verdict: Verdict;
  note?: string;
}

/**
 * Targets are per source: the source rows where a file's label mixes several sources, else the file rows.
 */
export function accuracyTargets(groups: readonly Group[], detector: DetectorId = 'ours'): TargetResult[] {
  const split = new Set(groups.filter((g) => g.level === 'source').map((g) => `${g.file}\0${g.label}`));
  return groups
    .filter((g) => (g.level === 'source' || (g.level === 'file' && !split.has(`${g.file}\0${g.label}`))) && ACCURACY_TARGETS[g.label])
    .filter((g) => g.counts[detector])
    .map((g) => {
      const t = ACCURACY_TARGETS[g.label]!;
      const actual = accuracy(g, detector);
      const base = { what: t.what, file: g.file, source: g.source, label: g.label, n: g.n, actual, target: t.min };
      if (g.n < MIN_N_FOR_VERDICT) return { ...base, verdict: 'SKIP' as const, note: `fewer than ${MIN_N_FOR_VERDICT} records` };
      return { ...base, verdict: actual >= t.min ? ('PASS' as const) : ('FAIL' as const) };
    });
}

/** Ours must be at least as fast as franc restricted to our three languages, measured on the same texts. */
export function speedTarget(msgsPerSec: Partial<Record<DetectorId, number>>): TargetResult {
  const ours = msgsPerSec.ours;
  const francOnly = msgsPerSec['franc-only'];
  const base = { what: 'speed ≥ franc restricted', file: null, source: null, label: null, n: 0, actual: ours ?? null, target: francOnly ?? null };
  if (ours === undefined || francOnly === undefined) return { ...base, verdict: 'SKIP', note: 'needs both ours and franc-only in the run' };
  return { ...base, verdict: ours >= francOnly ? 'PASS' : 'FAIL' };
}
