import type { TicketStatus } from '../model/index.ts';
import type { FeedbackResult } from './store.ts';

// fewer ratings than this in a ward office (or a department) say too little of it: the wider average is used
const ENOUGH_RATINGS = 5;
/** a rating reopens only work the city says is done */
export const REOPENABLE: ReadonlySet<TicketStatus> = new Set(['resolved', 'closed']);

/** the averages a rating is compared with, and how many ratings each stands on (null: none yet) */
export interface Averages {
  overall: number | null;
  overallN: number;
  department: number | null;
  departmentN: number;
  ward: number | null;
  wardN: number;
}

export type Comparison = NonNullable<FeedbackResult['comparedWith']> & { average: number };

/** the narrowest average with enough ratings behind it: the ward office's, the department's, then everyone's */
export function comparison(a: Averages | undefined): Comparison | undefined {
  if (!a) return undefined;
  if (a.ward !== null && a.wardN >= ENOUGH_RATINGS) return { scope: 'ward', ratings: a.wardN, average: a.ward };
  if (a.department !== null && a.departmentN >= ENOUGH_RATINGS) return { scope: 'department', ratings: a.departmentN, average: a.department };
  return a.overall === null ? undefined : { scope: 'overall', ratings: a.overallN, average: a.overall };
}

/** for staff reading the history: why a rating reopened the work */
export function belowNote(rating: number, c: Comparison | undefined): string {
  if (!c) return `the citizen, rating ${rating}: no rating yet to compare with; reopened (feedback.reopenBelowAverage)`;
  const whose = c.scope === 'overall' ? 'all tickets' : c.scope === 'ward' ? 'its department in its ward office' : 'its department';
  return `the citizen, rating ${rating}: below the average of ${whose} (${c.average.toFixed(1)} of ${c.ratings}); reopened (feedback.reopenBelowAverage)`;
}
