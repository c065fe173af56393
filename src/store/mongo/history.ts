import type { PipelineStage } from 'mongoose';
import { TOLD } from '../../model/told-statuses.ts';
import type { TicketStatus } from '../../model/index.ts';
import type { HistoryEvent, WardDayCounts } from '../store.ts';
import { iso, opt } from './atomic.ts';
import type { HistoryDoc, TicketDoc } from './ticket-docs.ts';
import type { MongoTickets } from './tickets.ts';

/**
 * The told changes that may be the "next" of the events read (pure): on the same tickets, after the first event,
 * a stage the citizen is told of (not a note on the same stage, nor the citizen's own move).
 */
export function nextToldFilter(tickets: readonly number[], afterId: number) {
  return {
    ticket: { $in: [...tickets] },
    _id: { $gt: afterId },
    to: { $in: [...TOLD] as TicketStatus[] },
    by: { $ne: 'citizen' },
    $or: [{ $expr: { $ne: [{ $ifNull: ['$from', null] }, '$to'] } }, { place: { $type: 'object' as const } }],
  };
}

/**
 * Each ticket once per kind of change made in [from, to), counted at the ward office it is at now (pure): the
 * history keeps no ward of its own, so a ticket forwarded from one office to another counts for the one that has it.
 */
export function dayCountsPipeline(from: Date, to: Date): PipelineStage[] {
  const flag = (cond: unknown) => ({ $max: { $cond: [cond, 1, 0] } });
  return [
    { $match: { at: { $gte: iso(from), $lt: iso(to) } } },
    {
      $group: {
        _id: '$ticket',
        received: flag({ $eq: [{ $ifNull: ['$from', null] }, null] }),
        forwarded: flag({ $eq: ['$to', 'forwarded'] }),
        resolved: flag({ $eq: ['$to', 'resolved'] }),
      },
    },
    { $lookup: { from: 'tickets', localField: '_id', foreignField: '_id', as: 't' } },
    { $unwind: '$t' },
    { $group: { _id: { $ifNull: ['$t.ward', null] }, received: { $sum: '$received' }, forwarded: { $sum: '$forwarded' }, resolved: { $sum: '$resolved' } } },
  ];
}

/** open or resolved tickets flagged for a call back (closed and rejected ones need none), oldest first */
export const FOLLOW_UP_FILTER = { status: { $nin: ['closed', 'rejected'] }, followUp: true } as const;

/**
 * The tickets' history read in order (the status updates' log) and what the staff digest counts of a day. Ids
 * come in commit order: each is taken from the counter inside the change's transaction, and a second transaction
 * cannot take the next one until the first has committed (a write conflict on the counter, retried).
 */
export class MongoHistory {
  constructor(private readonly tickets: MongoTickets) {}

  async listAfter(afterId: number, limit: number): Promise<HistoryEvent[]> {
    if (limit <= 0) return [];
    const events = await this.tickets.history.find({ _id: { $gt: afterId } }).sort({ _id: 1 }).limit(limit).lean<HistoryDoc[]>();
    if (events.length === 0) return [];
    const later = await this.tickets.history
      .find(nextToldFilter([...new Set(events.map((e) => e.ticket))], events[0]!._id), { _id: 1, ticket: 1, at: 1 })
      .sort({ _id: 1 })
      .lean<Pick<HistoryDoc, '_id' | 'ticket' | 'at'>[]>();
    return events.map((e) => {
      const next = later.find((n) => n.ticket === e.ticket && n._id > e._id);
      return {
        id: e._id,
        ticketNo: e.ticketNo,
        at: e.at,
        by: e.by,
        from: e.from ?? null,
        to: e.to,
        ...opt('publicNote', e.publicNote),
        ...opt('place', e.place),
        ...opt('nextAt', next?.at),
      };
    });
  }

  async countDay(q: { from: Date; to: Date; listed: number }): Promise<WardDayCounts[]> {
    const byWard = new Map<string | null, WardDayCounts>();
    const of = (ward: string | null): WardDayCounts => {
      let c = byWard.get(ward);
      if (!c) byWard.set(ward, (c = { ward, received: 0, forwarded: 0, resolved: 0, followUp: 0, followUpTicketNos: [] }));
      return c;
    };
    const day = await this.tickets.history.aggregate<{ _id: string | null; received: number; forwarded: number; resolved: number }>(dayCountsPipeline(q.from, q.to));
    for (const r of day) Object.assign(of(r._id), { received: r.received, forwarded: r.forwarded, resolved: r.resolved });
    const flagged = await this.tickets.model.find(FOLLOW_UP_FILTER, { _id: 1, ticketNo: 1, ward: 1 }).sort({ _id: 1 }).lean<Pick<TicketDoc, '_id' | 'ticketNo' | 'ward'>[]>();
    for (const t of flagged) {
      const c = of(t.ward ?? null);
      c.followUp += 1;
      if (c.followUpTicketNos.length < q.listed) c.followUpTicketNos.push(t.ticketNo);
    }
    return [...byWard.values()];
  }
}
