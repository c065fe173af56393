import { describe, expect, it } from 'vitest';
import { InvalidTransitionError } from '../../src/store/errors.ts';
import { rerunOnDuplicate } from '../../src/store/mongo/atomic.ts';
import { addIdentityUpdate, identityKey } from '../../src/store/mongo/contacts.ts';
import { conversationWrite } from '../../src/store/mongo/conversations.ts';
import { dueInboundQuery, inboundDeadUpdate, inboundRetryUpdate, inboundReviveUpdate } from '../../src/store/mongo/inbound.ts';
import { transactionsPossible } from '../../src/store/mongo/mongo-store.ts';
import {
  claimOutboxUpdate,
  dueOutboxQuery,
  outboxDeadUpdate,
  outboxListFilter,
  outboxRetryUpdate,
  outboxReviveUpdate,
  receiptUpdate,
  releaseOutboxUpdate,
} from '../../src/store/mongo/outbox.ts';
import { planTicketChange } from '../../src/store/mongo/ticket-changes.ts';
import { sourceKey, ticketReadPipeline } from '../../src/store/mongo/ticket-docs.ts';
import { escapeRegex, ticketFilter } from '../../src/store/mongo/ticket-query.ts';
import { addSourceUpdate, ticketNumberUpdate } from '../../src/store/mongo/tickets.ts';
import { TEXTS } from '../contract/store-fixtures.ts';

// The exact documents each method sends to MongoDB, built by pure functions: what a server would be asked.
const NOW = new Date('2026-11-27T10:00:00.000Z');
const LATER = new Date('2026-11-27T10:05:00.000Z');

describe('the inbound archive asks MongoDB', () => {
  it('for pending messages due now (sorted by id by the caller)', () => {
    expect(dueInboundQuery(NOW)).toEqual({ state: 'pending', nextAttemptAt: { $lte: '2026-11-27T10:00:00.000Z' } });
  });

  it('to count a failed attempt, or give up, on a pending message only; to revive a dead one from zero', () => {
    expect(inboundRetryUpdate(7, 'सामान्यीकरण अयशस्वी', LATER, NOW)).toEqual({
      filter: { _id: 7, state: 'pending' },
      update: { $set: { state: 'pending', lastError: 'सामान्यीकरण अयशस्वी', nextAttemptAt: LATER.toISOString(), updatedAt: NOW.toISOString() }, $inc: { attempts: 1 } },
    });
    expect(inboundDeadUpdate(7, 'gave up', NOW)).toEqual({ filter: { _id: 7, state: 'pending' }, update: { $set: { state: 'dead', lastError: 'gave up', updatedAt: NOW.toISOString() }, $inc: { attempts: 1 } } });
    expect(inboundReviveUpdate(7, NOW)).toEqual({ filter: { _id: 7, state: 'dead' }, update: { $set: { state: 'pending', attempts: 0, nextAttemptAt: NOW.toISOString(), updatedAt: NOW.toISOString() } } });
  });
});

describe('the outbox asks MongoDB', () => {
  it('for due entries and those a crash left sending, and claims one for an attempt', () => {
    expect(dueOutboxQuery(NOW)).toEqual({ $or: [{ state: 'pending', nextAttemptAt: { $lte: NOW.toISOString() } }, { state: 'sending' }] });
    expect(claimOutboxUpdate(3, NOW)).toEqual({ filter: { _id: 3, state: { $in: ['pending', 'sending'] } }, update: { $set: { state: 'sending', updatedAt: NOW.toISOString() }, $inc: { attempts: 1 } } });
  });

  it('to retry with the earliest unsure attempt kept, an uncounted attempt given back, and errors taken literally', () => {
    const { filter, update } = outboxRetryUpdate(3, '$where: 429 rate limited', LATER, NOW, NOW, true);
    expect(filter).toEqual({ _id: 3, state: { $in: ['pending', 'sending'] } });
    expect(update).toEqual([
      {
        $set: {
          state: { $literal: 'pending' },
          attempts: { $max: [{ $subtract: ['$attempts', 1] }, 0] },
          // an error text starting with $ would otherwise be read as a field path
          lastError: { $literal: '$where: 429 rate limited' },
          nextAttemptAt: { $literal: LATER.toISOString() },
          updatedAt: { $literal: NOW.toISOString() },
          unsureSince: { $ifNull: ['$unsureSince', { $literal: NOW.toISOString() }] },
        },
      },
    ]);
    const counted = outboxRetryUpdate(3, 'ECONNRESET', LATER, NOW);
    expect(counted.update[0]!.$set).not.toHaveProperty('unsureSince');
    expect(counted.update[0]!.$set.attempts).toEqual({ $max: [{ $subtract: ['$attempts', 0] }, 0] });
    expect(outboxDeadUpdate(3, 'invalid number', NOW).update[0]!.$set).toEqual({ state: { $literal: 'dead' }, lastError: { $literal: 'invalid number' }, updatedAt: { $literal: NOW.toISOString() } });
  });

  it('to revive a dead or undelivered entry without its provider id, and without the unsure mark when undelivered', () => {
    expect(outboxReviveUpdate(3, NOW)).toEqual({
      filter: { _id: 3, state: { $in: ['dead', 'undelivered'] } },
      update: [
        { $set: { state: { $literal: 'pending' }, attempts: 0, nextAttemptAt: { $literal: NOW.toISOString() }, updatedAt: { $literal: NOW.toISOString() }, unsureSince: { $cond: [{ $eq: ['$state', 'undelivered'] }, '$$REMOVE', '$unsureSince'] } } },
        { $unset: ['providerId'] },
      ],
    });
  });

  it('to apply receipts out of order without leaving delivered', () => {
    expect(receiptUpdate('SM-a', 'sent', NOW).filter).toEqual({ providerId: 'SM-a', state: { $in: ['sending', 'sent'] } });
    expect(receiptUpdate('SM-a', 'delivered', NOW).filter.state.$in).toEqual(['sending', 'sent', 'undelivered']);
    expect(receiptUpdate('SM-a', 'undelivered', NOW, '30003 unreachable handset')).toEqual({
      filter: { providerId: 'SM-a', state: { $in: ['sending', 'sent'] } },
      update: { $set: { state: 'undelivered', updatedAt: NOW.toISOString(), lastError: '30003 unreachable handset' } },
    });
  });

  it("to make one account's held replies due, and to list by state, ticket and thread", () => {
    expect(releaseOutboxUpdate('facebook', '104', NOW)).toEqual({
      filter: { state: 'pending', nextAttemptAt: { $gt: NOW.toISOString() }, lastError: { $regex: '^HeldSendError:' }, channel: 'facebook', accountId: '104' },
      update: { $set: { nextAttemptAt: NOW.toISOString(), updatedAt: NOW.toISOString() } },
    });
    expect(outboxListFilter({ state: 'dead', ticketNo: 'PMC100001', limit: 5 })).toEqual({ state: 'dead', ticketNo: 'PMC100001' });
    expect(outboxListFilter({})).toEqual({});
  });
});

describe('tickets ask MongoDB', () => {
  it('for the next number from the first one, moving up (never down) when the configured first is higher', () => {
    expect(ticketNumberUpdate(100001)).toEqual([{ $set: { seq: { $max: [{ $add: [{ $ifNull: ['$seq', 100000] }, 1] }, 100001] } } }]);
  });

  it('to add a source the ticket lacks, its photos with it (another ticket’s source is refused by the unique index)', () => {
    const source = { channel: 'sms' as const, accountId: '+912025501000', externalId: 'SM-photo' };
    const photo = { kind: 'image' as const, mime: 'image/png', url: 'https://api.twilio.com/media/ME2' };
    expect(addSourceUpdate(100001, source, NOW.toISOString(), [photo])).toEqual({
      filter: { _id: 100001, sourceKeys: { $ne: sourceKey(source) } },
      update: { $push: { sources: source, sourceKeys: sourceKey(source), attachments: { $each: [photo] } }, $set: { updatedAt: NOW.toISOString() } },
    });
    expect(addSourceUpdate(100001, source, NOW.toISOString()).update.$push).not.toHaveProperty('attachments');
  });

  it('for a ticket with its history and live contact, in one aggregation, paged', () => {
    expect(ticketReadPipeline({ ticketNo: 'PMC100001' })).toEqual([
      { $match: { ticketNo: 'PMC100001' } },
      { $sort: { _id: -1 } },
      { $lookup: { from: 'ticket_history', localField: '_id', foreignField: 'ticket', as: 'history' } },
      { $lookup: { from: 'contacts', localField: 'contactId', foreignField: '_id', as: 'contact' } },
    ]);
    expect(ticketReadPipeline({}, { order: 'asc', offset: 1, limit: 1 }).slice(1, 4)).toEqual([{ $sort: { _id: 1 } }, { $skip: 1 }, { $limit: 1 }]);
  });

  it('re-reads by the very key the unique index refused: the second filing of a source finds the first', async () => {
    // createTicket runs in atomically(): an E11000 re-runs the whole unit, whose first step is the look-up by source
    let runs = 0;
    const filed = await rerunOnDuplicate(async () => {
      runs += 1;
      if (runs === 1) throw Object.assign(new Error('E11000 duplicate key error collection: tickets index: tickets_source'), { code: 11000 });
      return 'PMC100001';
    });
    expect([filed, runs]).toEqual(['PMC100001', 2]);
    let other = 0;
    await expect(rerunOnDuplicate(async () => (other++, Promise.reject(new Error('WriteConflict'))))).rejects.toThrow('WriteConflict');
    expect(other).toBe(1);
    let always = 0;
    await expect(rerunOnDuplicate(async () => (always++, Promise.reject(Object.assign(new Error('E11000'), { code: 11000 }))))).rejects.toThrow('E11000');
    expect(always).toBe(3);
  });
});

describe('a ticket query becomes a MongoDB filter', () => {
  it('is empty for no conditions, and one $and element per condition', () => {
    expect(ticketFilter({})).toEqual({});
    expect(ticketFilter({ status: 'forwarded', statuses: ['forwarded', 'in_progress'], ward: 'kothrud', department: 'solid-waste', contactId: 'c-1' })).toEqual({
      $and: [{ status: 'forwarded' }, { status: { $in: ['forwarded', 'in_progress'] } }, { contactId: 'c-1' }, { ward: 'kothrud' }, { department: 'solid-waste' }],
    });
  });

  it('matches nothing for an empty list of statuses, or an officer with no reach', () => {
    expect(ticketFilter({ statuses: [] })).toEqual({ $and: [{ _id: { $in: [] } }] });
    expect(ticketFilter({ reach: { wards: [], departments: [] } })).toEqual({ $and: [{ _id: { $in: [] } }] });
    expect(ticketFilter({ reach: { wards: ['aundh-baner'], departments: ['WATER'] } })).toEqual({ $and: [{ $or: [{ ward: { $in: ['aundh-baner'] } }, { department: { $in: ['WATER'] } }] }] });
  });

  it('finds whom to ask for a rating, and whom to remind in a window', () => {
    expect(ticketFilter({ awaitingRating: true })).toEqual({ $and: [{ status: 'resolved', feedback: { $exists: false }, ratingRequestedAt: { $exists: false } }] });
    expect(ticketFilter({ ratingUnanswered: { askedFrom: NOW, askedBefore: LATER } })).toEqual({
      $and: [{ status: 'resolved', feedback: { $exists: false }, ratingRequestedAt: { $gte: NOW.toISOString(), $lt: LATER.toISOString() }, ratingRemindedAt: { $exists: false } }],
    });
  });

  it('finds open overdue tickets, those due since, and the unrouted', () => {
    expect(ticketFilter({ overdueAt: LATER, dueFrom: NOW, unrouted: true })).toEqual({
      $and: [{ 'routing.unrouted': true }, { status: { $nin: ['resolved', 'closed', 'rejected'] }, slaDueAt: { $lt: LATER.toISOString() } }, { slaDueAt: { $gte: NOW.toISOString() } }],
    });
  });

  it('searches a ticket number, bare digits, or words as written (Marathi, Hindi, English)', () => {
    expect(ticketFilter({ search: ' pmc100042 ' })).toEqual({ $and: [{ ticketNo: 'PMC100042' }] });
    expect(ticketFilter({ search: '411038' })).toEqual({ $and: [{ $or: [{ _id: 411038 }, { 'description.original': { $regex: '411038' } }] }] });
    expect(ticketFilter({ search: 'कचरा' })).toEqual({ $and: [{ 'description.original': { $regex: 'कचरा', $options: 'i' } }] });
    expect(ticketFilter({ search: 'पानी (नहीं)?' })).toEqual({ $and: [{ 'description.original': { $regex: 'पानी \\(नहीं\\)\\?', $options: 'i' } }] });
    expect(new RegExp(escapeRegex('50% off.*'), 'i').test('Streetlight 50% OFF.* near Kothrud')).toBe(true);
  });
});

describe('contacts, conversations and staff changes ask MongoDB', () => {
  it('adds a channel identity only to a contact that lacks it', () => {
    expect(addIdentityUpdate('c-1', 'facebook', 'psid-77', NOW.toISOString())).toEqual({
      filter: { _id: 'c-1', identityKeys: { $ne: identityKey('facebook', 'psid-77') } },
      update: { $push: { identities: { channel: 'facebook', id: 'psid-77' }, identityKeys: identityKey('facebook', 'psid-77') }, $set: { updatedAt: NOW.toISOString() } },
    });
  });

  it('overwrites a conversation with no eTag or *, and otherwise writes only over the eTag it read (no upsert)', () => {
    const data = { dialogStack: [{ id: 'intake', state: { text: TEXTS.mr } }] };
    expect(conversationWrite('sms/+919876543210', data, 'e2')).toEqual({ filter: { _id: 'sms/+919876543210' }, update: { $set: { data: JSON.stringify(data), etag: 'e2' } }, upsert: true });
    expect(conversationWrite('k', data, 'e2', '*').upsert).toBe(true);
    expect(conversationWrite('k', data, 'e2', 'e1')).toEqual({ filter: { _id: 'k', etag: 'e1' }, update: { $set: { data: JSON.stringify(data), etag: 'e2' } }, upsert: false });
  });

  it('plans a forward: status, place, routing by staff, and the audit’s before and after', () => {
    const row = { status: 'received' as const, department: 'SWM', ward: 'kothrud', routing: { mappingId: 'm', department: { by: 'mapping' as const }, sla: { hours: 72 }, unrouted: true } };
    const plan = planTicketChange('PMC100001', row, { department: 'WATER', ward: 'aundh-baner', note: 'पाणीपुरवठा विभागाकडे', by: 'user:ravi', at: NOW });
    expect(plan.to).toBe('forwarded');
    expect(plan.update).toEqual({
      $set: { status: 'forwarded', updatedAt: NOW.toISOString(), department: 'WATER', ward: 'aundh-baner', routing: { mappingId: 'm', department: { by: 'staff' }, sla: { hours: 72 }, ward: { by: 'staff' } } },
    });
    expect(plan.place).toEqual({ department: 'WATER', ward: 'aundh-baner' });
    expect(planTicketChange('PMC100001', row, { ward: null, by: 'user:ravi', at: NOW }).update).toMatchObject({ $unset: { ward: 1 } });
    expect(() => planTicketChange('PMC100001', { ...row, status: 'in_progress' }, { status: 'forwarded', by: 'user:sunita', at: NOW })).toThrow(InvalidTransitionError);
    expect(() => planTicketChange('PMC100001', { ...row, status: 'resolved' }, { status: 'in_progress', by: 'user:sunita', at: NOW })).toThrow(/resolved to in_progress/);
  });

  it('refuses a server that cannot run transactions (a standalone mongod)', () => {
    expect(transactionsPossible({ setName: 'rs0' })).toBe(true);
    expect(transactionsPossible({ msg: 'isdbgrid' })).toBe(true);
    expect(transactionsPossible({})).toBe(false);
  });
});
