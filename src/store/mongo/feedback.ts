import type { ClientSession, Connection, PipelineStage } from 'mongoose';
import type { Feedback } from '../../model/index.ts';
import { belowNote, comparison, REOPENABLE, type Averages } from '../feedback-rules.ts';
import type { FeedbackResult, FeedbackRow, FeedbackRules } from '../store.ts';
import { atomically, iso, lit, opt } from './atomic.ts';
import { counterModel } from './counters.ts';
import type { TicketDoc } from './ticket-docs.ts';
import type { MongoTickets } from './tickets.ts';

/** the counters document every rating's transaction writes first */
export const FEEDBACK_GUARD = 'feedback';



/**
 * Every other rated ticket, once (pure): overall, its department's, its department-and-ward's. A ticket with no
 * ward office matches none ($avg skips the nulls the conditions give).
 */
export function averagesPipeline(id: number, department: string, ward: string | undefined): PipelineStage[] {
  const inDepartment = { $eq: ['$department', lit(department)] };
  const inWard = ward === undefined ? false : { $and: [inDepartment, { $eq: ['$ward', lit(ward)] }] };
  return [
    { $match: { _id: { $ne: id }, 'feedback.rating': { $type: 'number' } } },
    {
      $group: {
        _id: null,
        overall: { $avg: '$feedback.rating' },
        overallN: { $sum: 1 },
        department: { $avg: { $cond: [inDepartment, '$feedback.rating', null] } },
        departmentN: { $sum: { $cond: [inDepartment, 1, 0] } },
        ward: { $avg: { $cond: [inWard, '$feedback.rating', null] } },
        wardN: { $sum: { $cond: [inWard, 1, 0] } },
      },
    },
  ];
}


/** Ratings against the running averages, the follow-up flag and the reopen, in one transaction; the report's rows. */
export class MongoFeedback {
  constructor(
    private readonly conn: Connection,
    private readonly tickets: MongoTickets,
  ) {}

  async record(ticketNo: string, feedback: Feedback, rules: FeedbackRules = {}): Promise<FeedbackResult> {
    return atomically(this.conn, (session) => this.recordWithin(ticketNo, feedback, rules, session));
  }

  private async recordWithin(ticketNo: string, feedback: Feedback, rules: FeedbackRules, session: ClientSession): Promise<FeedbackResult> {
    // every rating writes this one document first, so two ratings (of any tickets) conflict and one is re-run on
    // the other's result: otherwise each would compare against averages that miss the other, as SQLite's lock prevents
    await counterModel(this.conn).updateOne({ _id: FEEDBACK_GUARD }, { $inc: { seq: 1 } }, { upsert: true, session });
    const row = await this.tickets.mustFind(ticketNo, session);
    const [averages] = await this.tickets.model.aggregate<Averages>(averagesPipeline(row._id, row.department, row.ward)).session(session);
    const compared = comparison(averages);
    const below = compared ? feedback.rating < compared.average : feedback.rating <= (rules.unhappyAtMost ?? 0);
    const followUp = below || rules.persists === true;
    const now = iso(new Date());
    await this.tickets.model.updateOne({ _id: row._id }, { $set: { feedback: { ...feedback }, updatedAt: now, ...(followUp ? { followUp: true } : {}) } }, { session });
    const reopened = REOPENABLE.has(row.status) && (rules.persists === true || (below && rules.reopenBelowAverage === true));
    const ticket = reopened
      ? await this.tickets.statusWithin(ticketNo, 'reopened', rules.reopenBy ?? 'citizen', rules.persists ? rules.reopenNote : belowNote(feedback.rating, compared), session)
      : (await this.tickets.get(ticketNo, session))!;
    return {
      ticket,
      ...(compared ? { averageBefore: compared.average, comparedWith: { scope: compared.scope, ratings: compared.ratings } } : {}),
      followUp,
      reopened,
    };
  }

  /** false when the ticket has no rating to comment on */
  async comment(ticketNo: string, comment: string): Promise<boolean> {
    const { _id } = await this.tickets.mustFind(ticketNo);
    return (await this.tickets.model.updateOne({ _id, feedback: { $type: 'object' } }, { $set: { 'feedback.comment': comment, updatedAt: iso(new Date()) } })).modifiedCount > 0;
  }

  /**
   * Tickets asked to rate, or rated, in [from, to). Times are compared in UTC whatever offset they were written
   * with, as SQLite's strftime does; a report asked now and then, so the window is applied as they are read.
   */
  async rows(from: Date, to: Date): Promise<FeedbackRow[]> {
    const docs = await this.tickets.model
      .find({ $or: [{ ratingRequestedAt: { $type: 'string' } }, { feedback: { $type: 'object' } }] }, { department: 1, ward: 1, ratingRequestedAt: 1, feedback: 1, followUp: 1 })
      .lean<TicketDoc[]>();
    const [lo, hi] = [iso(from), iso(to)];
    const utc = (t: string | undefined) => (t === undefined ? undefined : new Date(t).toISOString());
    const inside = (t: string | undefined) => t !== undefined && t >= lo && t < hi;
    return docs.flatMap((d) => {
      const askedAt = utc(d.ratingRequestedAt);
      const ratedAt = utc(d.feedback?.at);
      if (!inside(askedAt) && !inside(ratedAt)) return [];
      return [{ department: d.department, ...opt('ward', d.ward), ...opt('askedAt', askedAt), ...opt('rating', d.feedback?.rating), ...opt('ratedAt', ratedAt), followUp: d.followUp === true }];
    });
  }
}
