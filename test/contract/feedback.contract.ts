import { describe, expect, it } from 'vitest';
import type { Feedback } from '../../src/model/index.ts';
import { TicketNotFoundError } from '../../src/store/errors.ts';
import type { Store, TicketDraft } from '../../src/store/store.ts';
import type { ContractContext } from './store.contract.ts';
import { draft, outbound, uid } from './store-fixtures.ts';

// Ratings against the running averages (ward office, department, all), the follow-up flag and the reopen they
// decide in the same step, the comment after a rating, and the one reminder of an unanswered question.

const rating = (n: Feedback['rating'], comment?: string): Feedback => ({ rating: n, ...(comment ? { comment } : {}), at: '2026-11-27T10:00:00.000Z' });

async function resolvedTicket(store: Store, over: Partial<TicketDraft> = {}): Promise<string> {
  const c = await store.upsertContact({ channel: 'sms', channelUserId: uid('citizen') });
  const { ticket } = await store.createTicket(draft(c, over));
  await store.updateTicketStatus(ticket.ticketNo, 'in_progress', 'staff:test');
  await store.updateTicketStatus(ticket.ticketNo, 'resolved', 'staff:test');
  return ticket.ticketNo;
}

async function rated(store: Store, values: readonly Feedback['rating'][], over: Partial<TicketDraft>): Promise<void> {
  for (const v of values) await store.recordFeedback(await resolvedTicket(store, over), rating(v));
}

const KOTHRUD_SWM = { department: 'solid-waste', ward: 'kothrud' };
const WARJE_SWM = { department: 'solid-waste', ward: 'warje' };
const ROADS = { department: 'roads', ward: 'kothrud' };

export function feedbackContract(ctx: ContractContext): void {
  describe('feedback', () => {
    it('compares a rating with its ward office’s average in its department at 5 ratings, else its department’s at 5, else all', async () => {
      const store = ctx.store();
      await rated(store, [5, 5, 5, 5], ROADS); // another department: only in the overall average
      await rated(store, [2, 2, 2, 2], WARJE_SWM);
      const first = await store.recordFeedback(await resolvedTicket(store, KOTHRUD_SWM), rating(3));
      // 4 in the department: too few, so all 8 others (5+5+5+5+2+2+2+2)/8 = 3.5
      expect(first).toMatchObject({ averageBefore: 3.5, comparedWith: { scope: 'overall', ratings: 8 }, followUp: true, reopened: false });

      const second = await store.recordFeedback(await resolvedTicket(store, KOTHRUD_SWM), rating(3));
      // 5 in the department now (2, 2, 2, 2, 3): 2.2
      expect(second).toMatchObject({ averageBefore: 2.2, comparedWith: { scope: 'department', ratings: 5 }, followUp: false });

      await rated(store, [4, 4, 4], KOTHRUD_SWM);
      const third = await store.recordFeedback(await resolvedTicket(store, KOTHRUD_SWM), rating(3));
      // Kothrud's solid waste has 3, 3, 4, 4, 4: 3.6, and 3 is below it
      expect(third).toMatchObject({ averageBefore: 3.6, comparedWith: { scope: 'ward', ratings: 5 }, followUp: true });
      expect((await store.getTicket(third.ticket.ticketNo))?.followUp).toBe(true);
    });

    it('flags a rating below the average, and reopens the resolved ticket when the rules say so, in the same step', async () => {
      const store = ctx.store();
      await rated(store, [4, 5], KOTHRUD_SWM);
      const kept = await store.recordFeedback(await resolvedTicket(store, KOTHRUD_SWM), rating(2));
      expect(kept).toMatchObject({ followUp: true, reopened: false, ticket: { status: 'resolved', followUp: true } });

      const reopened = await store.recordFeedback(await resolvedTicket(store, KOTHRUD_SWM), rating(2), { reopenBelowAverage: true, reopenBy: 'citizen' });
      expect(reopened).toMatchObject({ followUp: true, reopened: true, ticket: { status: 'reopened', followUp: true } });
      expect(reopened.ticket.history.at(-1)).toMatchObject({ by: 'citizen', from: 'resolved', to: 'reopened', note: expect.stringContaining('below the average') });

      // at the average: neither flagged nor reopened
      const fine = await store.recordFeedback(await resolvedTicket(store, KOTHRUD_SWM), rating(5), { reopenBelowAverage: true });
      expect(fine).toMatchObject({ followUp: false, reopened: false, ticket: { status: 'resolved', followUp: false } });

      // "still not fixed": reopened whatever the rating, with the citizen's words
      const persists = await store.recordFeedback(await resolvedTicket(store, KOTHRUD_SWM), rating(4, 'अजूनही कचरा तसाच'), { persists: true, reopenBy: 'citizen', reopenNote: 'अजूनही कचरा तसाच' });
      expect(persists).toMatchObject({ followUp: true, reopened: true, ticket: { status: 'reopened' } });
      expect(persists.ticket.history.at(-1)?.note).toBe('अजूनही कचरा तसाच');
    });

    it('with nothing to compare with, takes a rating at or below `unhappyAtMost` as below average', async () => {
      const store = ctx.store();
      const alone = await store.recordFeedback(await resolvedTicket(store, ROADS), rating(2), { unhappyAtMost: 2 });
      expect(alone).toMatchObject({ followUp: true, reopened: false });
      expect(alone.averageBefore).toBeUndefined();
      expect(alone.comparedWith).toBeUndefined();
    });

    it('keeps the comment given after the rating, and none for a ticket not rated', async () => {
      const store = ctx.store();
      const no = await resolvedTicket(store);
      expect(await store.setFeedbackComment(no, 'गाडी उशिरा आली')).toBe(false);
      await store.recordFeedback(no, rating(3));
      expect(await store.setFeedbackComment(no, 'गाडी उशिरा आली')).toBe(true);
      expect((await store.getTicket(no))?.feedback).toEqual({ ...rating(3), comment: 'गाडी उशिरा आली' });
      await expect(store.setFeedbackComment('PMC1', 'x')).rejects.toBeInstanceOf(TicketNotFoundError);
    });

    it('lists the resolved tickets asked in a window, neither rated nor reminded, and marks one reminded with its turn', async () => {
      const store = ctx.store();
      const [due, tooRecent, tooOld, answered, reminded] = [await resolvedTicket(store), await resolvedTicket(store), await resolvedTicket(store), await resolvedTicket(store), await resolvedTicket(store)];
      await store.markRatingRequested(due, new Date('2026-11-26T09:00:00.000Z'));
      await store.markRatingRequested(tooRecent, new Date('2026-11-27T09:30:00.000Z'));
      await store.markRatingRequested(tooOld, new Date('2026-11-20T09:00:00.000Z'));
      await store.markRatingRequested(answered, new Date('2026-11-26T09:00:00.000Z'));
      await store.recordFeedback(answered, rating(5));
      await store.markRatingRequested(reminded, new Date('2026-11-26T09:00:00.000Z'));
      await store.markRatingReminded(reminded, new Date('2026-11-27T09:00:00.000Z'));
      await resolvedTicket(store); // never asked

      const window = { askedFrom: new Date('2026-11-24T09:00:00.000Z'), askedBefore: new Date('2026-11-27T09:00:00.000Z') };
      expect((await store.listTickets({ ratingUnanswered: window, order: 'asc' })).map((t) => t.ticketNo)).toEqual([due]);

      const now = new Date('2026-11-27T09:05:00.000Z');
      const ask = outbound({ kind: 'feedback_request', ticketNo: due, idempotencyKey: uid('rating-reminder') });
      await store.completeTurn({ state: [], replies: [ask], ratingReminded: due, now });
      expect((await store.getTicket(due))?.ratingRemindedAt).toBe(now.toISOString());
      expect(await store.listTickets({ ratingUnanswered: window })).toEqual([]);
      await expect(store.markRatingReminded('PMC1', now)).rejects.toBeInstanceOf(TicketNotFoundError);
    });
  });
}
