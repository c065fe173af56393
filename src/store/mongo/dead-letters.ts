import type { Model } from 'mongoose';
import type { OutboundMessage } from '../../model/index.ts';
import type { DeadLetter } from '../store.ts';
import type { InboundDoc } from './inbound.ts';
import type { OutboxDoc } from './outbox.ts';

/** a short label staff read: channel/account/externalId, or channel → kind and the ticket */
export function inboundLetter(d: Pick<InboundDoc, '_id' | 'channel' | 'accountId' | 'externalId' | 'lastError' | 'attempts' | 'updatedAt'>): DeadLetter {
  return { kind: 'inbound', id: d._id, error: d.lastError ?? '', attempts: d.attempts, at: d.updatedAt, summary: `${d.channel}/${d.accountId}/${d.externalId}` };
}

export function outboundLetter(d: Pick<OutboxDoc, '_id' | 'message' | 'lastError' | 'attempts' | 'updatedAt'>): DeadLetter {
  const m = JSON.parse(d.message) as OutboundMessage;
  return { kind: 'outbound', id: d._id, error: d.lastError ?? '', attempts: d.attempts, at: d.updatedAt, summary: `${m.channel} → ${m.kind}${m.ticketNo ? ` ${m.ticketNo}` : ''}` };
}

/** newest first, and by id when two went dead at the same instant, as SQLite's UNION orders them */
export function newestFirst(a: DeadLetter, b: DeadLetter): number {
  return a.at < b.at ? 1 : a.at > b.at ? -1 : b.id - a.id;
}

/** dead inbound messages and dead outbox entries, newest first */
export async function deadLetters(inbound: Model<InboundDoc>, outbox: Model<OutboxDoc>): Promise<DeadLetter[]> {
  const [ins, outs] = await Promise.all([
    inbound.find({ state: 'dead' }, { channel: 1, accountId: 1, externalId: 1, lastError: 1, attempts: 1, updatedAt: 1 }).lean<InboundDoc[]>(),
    outbox.find({ state: 'dead' }, { message: 1, lastError: 1, attempts: 1, updatedAt: 1 }).lean<OutboxDoc[]>(),
  ]);
  return [...ins.map(inboundLetter), ...outs.map(outboundLetter)].sort(newestFirst);
}
