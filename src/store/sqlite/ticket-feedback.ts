import type Database from 'better-sqlite3';
import type { Feedback, Ticket, TicketStatus } from '../../model/index.ts';
import { TicketNotFoundError } from '../errors.ts';
import { belowNote, comparison, REOPENABLE, type Averages } from '../feedback-rules.ts';
import type { FeedbackResult, FeedbackRules } from '../store.ts';


interface Found {
  id: number;
  status: TicketStatus;
  department: string;
  ward: string | null;
}


/** What tickets.ts needs to lend: a status change inside the caller's transaction, and reading a ticket. */
export interface TicketAccess {
  statusInTx(ticketNo: string, to: TicketStatus, by: string, note?: string): Ticket;
  get(ticketNo: string): Ticket | undefined;
}

/** Ratings, their comparison with the running averages, the comment after them, and the reminder mark. */
export class TicketFeedback {
  private readonly find;
  private readonly averages;
  private readonly setFeedback;
  private readonly flagFollowUp;
  private readonly setComment;
  private readonly setReminded;
  private readonly recordTx;

  constructor(
    db: Database.Database,
    private readonly tickets: TicketAccess,
  ) {
    this.find = db.prepare<[string]>(
      `SELECT id, status, json_extract(data, '$.department') AS department, json_extract(data, '$.ward') AS ward FROM tickets WHERE ticket_no = ?`,
    );
    // every other rated ticket, once: overall, its department's, its department-and-ward's (a null ward matches none)
    this.averages = db.prepare<[{ id: number; department: string; ward: string | null }]>(
      `SELECT avg(r) AS overall, count(r) AS overallN,
              avg(CASE WHEN d = @department THEN r END) AS department, count(CASE WHEN d = @department THEN r END) AS departmentN,
              avg(CASE WHEN d = @department AND w = @ward THEN r END) AS ward, count(CASE WHEN d = @department AND w = @ward THEN r END) AS wardN
       FROM (SELECT json_extract(data, '$.feedback.rating') AS r, json_extract(data, '$.department') AS d, json_extract(data, '$.ward') AS w
             FROM tickets WHERE id != @id AND json_extract(data, '$.feedback.rating') IS NOT NULL)`,
    );
    this.setFeedback = db.prepare<[string, string, number]>(
      `UPDATE tickets SET data = json_set(data, '$.feedback', json(?)), updated_at = ? WHERE id = ?`,
    );
    this.flagFollowUp = db.prepare<[string, number]>(`UPDATE tickets SET data = json_set(data, '$.followUp', json('true')), updated_at = ? WHERE id = ?`);
    this.setComment = db.prepare<[string, string, number]>(
      `UPDATE tickets SET data = json_set(data, '$.feedback.comment', ?), updated_at = ? WHERE id = ? AND json_extract(data, '$.feedback') IS NOT NULL`,
    );
    this.setReminded = db.prepare<[string, string, number]>(
      `UPDATE tickets SET data = json_set(data, '$.ratingRemindedAt', ?), updated_at = ? WHERE id = ?`,
    );
    this.recordTx = db.transaction((ticketNo: string, feedback: Feedback, rules: FeedbackRules) => this.recordWithin(ticketNo, feedback, rules));
  }

  /** the averages are read in the same transaction as the write and its flag, so two ratings cannot cross */
  record(ticketNo: string, feedback: Feedback, rules: FeedbackRules = {}): FeedbackResult {
    return this.recordTx.immediate(ticketNo, feedback, rules);
  }

  comment(ticketNo: string, comment: string): boolean {
    const { id } = this.mustFind(ticketNo);
    return this.setComment.run(comment, new Date().toISOString(), id).changes > 0;
  }

  /** the caller holds the write transaction, or this is one statement on its own */
  markReminded(ticketNo: string, at: Date): void {
    const { id } = this.mustFind(ticketNo);
    this.setReminded.run(at.toISOString(), at.toISOString(), id);
  }

  private recordWithin(ticketNo: string, feedback: Feedback, rules: FeedbackRules): FeedbackResult {
    const row = this.mustFind(ticketNo);
    const compared = comparison(this.averages.get({ id: row.id, department: row.department, ward: row.ward }) as Averages);
    const now = new Date().toISOString();
    this.setFeedback.run(JSON.stringify(feedback), now, row.id);
    const below = compared ? feedback.rating < compared.average : feedback.rating <= (rules.unhappyAtMost ?? 0);
    const followUp = below || rules.persists === true;
    if (followUp) this.flagFollowUp.run(now, row.id);
    const reopened = REOPENABLE.has(row.status) && (rules.persists === true || (below && rules.reopenBelowAverage === true));
    const by = rules.reopenBy ?? 'citizen';
    const ticket = reopened
      ? this.tickets.statusInTx(ticketNo, 'reopened', by, rules.persists ? rules.reopenNote : belowNote(feedback.rating, compared))
      : this.tickets.get(ticketNo)!;
    return {
      ticket,
      ...(compared ? { averageBefore: compared.average, comparedWith: { scope: compared.scope, ratings: compared.ratings } } : {}),
      followUp,
      reopened,
    };
  }

  private mustFind(ticketNo: string): Found {
    const row = this.find.get(ticketNo) as Found | undefined;
    if (!row) throw new TicketNotFoundError(ticketNo);
    return row;
  }
}

