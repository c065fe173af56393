import type { FeedbackRow } from '../store/store.ts';

/** How citizens rated the city's work in a period, for one department, one ward office, or all of them. */
export interface FeedbackFigures {
  /** tickets whose citizen was asked to rate them in the period */
  asked: number;
  /** of those, how many have been rated (so far, in the period or after it) */
  answered: number;
  /** answered / asked, 0–1; absent when nobody was asked */
  responseRate?: number;
  /** ratings given in the period */
  rated: number;
  /** the mean of those ratings; absent when there were none */
  average?: number;
  /** those ratings by value: [ones, twos, threes, fours, fives] */
  distribution: [number, number, number, number, number];
  /** tickets rated in the period and flagged for follow-up */
  followUps: number;
}

export interface FeedbackGroup extends FeedbackFigures {
  /** the department's or ward office's id; undefined: the tickets with no ward office */
  id: string | undefined;
}

export interface FeedbackReport {
  overall: FeedbackFigures;
  /** by id */
  departments: FeedbackGroup[];
  /** by id, the tickets with no ward office last */
  wards: FeedbackGroup[];
}

interface Tally {
  asked: number;
  answered: number;
  rated: number;
  sum: number;
  distribution: [number, number, number, number, number];
  followUps: number;
}

const tally = (): Tally => ({ asked: 0, answered: 0, rated: 0, sum: 0, distribution: [0, 0, 0, 0, 0], followUps: 0 });

function figures(t: Tally): FeedbackFigures {
  return {
    asked: t.asked,
    answered: t.answered,
    ...(t.asked > 0 ? { responseRate: t.answered / t.asked } : {}),
    rated: t.rated,
    ...(t.rated > 0 ? { average: t.sum / t.rated } : {}),
    distribution: t.distribution,
    followUps: t.followUps,
  };
}

const within = (iso: string | undefined, from: number, to: number) => {
  if (iso === undefined) return false;
  const at = Date.parse(iso);
  return at >= from && at < to;
};

// ids in code-point order (the same on every machine), the group with no id last
const byId = (a: FeedbackGroup, b: FeedbackGroup) => (a.id === b.id ? 0 : a.id === undefined ? 1 : b.id === undefined ? -1 : a.id < b.id ? -1 : 1);

/**
 * The figures of a period [from, to) from the tickets asked or rated in it. A ticket counts where it is now
 * (its department and ward office today), and a rating outside 1–5 (no citizen can give one) is not counted.
 */
export function summarizeFeedback(rows: readonly FeedbackRow[], period: { from: Date; to: Date }): FeedbackReport {
  const from = period.from.getTime();
  const to = period.to.getTime();
  const overall = tally();
  const departments = new Map<string, Tally>();
  const wards = new Map<string | undefined, Tally>();
  const of = <K>(map: Map<K, Tally>, key: K) => {
    let t = map.get(key);
    if (!t) map.set(key, (t = tally()));
    return t;
  };
  for (const row of rows) {
    const asked = within(row.askedAt, from, to);
    const valid = row.rating !== undefined && Number.isInteger(row.rating) && row.rating >= 1 && row.rating <= 5;
    const rated = valid && within(row.ratedAt, from, to);
    if (!asked && !rated) continue;
    for (const t of [overall, of(departments, row.department), of(wards, row.ward)]) {
      if (asked) {
        t.asked++;
        if (valid) t.answered++;
      }
      if (rated) {
        t.rated++;
        t.sum += row.rating!;
        t.distribution[row.rating! - 1]!++;
        if (row.followUp) t.followUps++;
      }
    }
  }
  const groups = (map: Map<string | undefined, Tally>) => [...map].map(([id, t]) => ({ id, ...figures(t) })).sort(byId);
  return { overall: figures(overall), departments: groups(departments), wards: groups(wards) };
}
