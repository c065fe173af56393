import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/load.ts';
import { openStoreAsync } from '../../src/store/open-store.ts';
import { advanceUpdate, dueCampaignsFilter, latestTicketsPipeline, optedInPage, transitionUpdate } from '../../src/store/mongo/campaigns.ts';
import { inboundLetter, newestFirst, outboundLetter } from '../../src/store/mongo/dead-letters.ts';
import { comparison } from '../../src/store/feedback-rules.ts';
import { averagesPipeline } from '../../src/store/mongo/feedback.ts';
import { dayCountsPipeline, FOLLOW_UP_FILTER, nextToldFilter } from '../../src/store/mongo/history.ts';
import { inboundModel } from '../../src/store/mongo/inbound.ts';
import { offlineConnection } from '../../src/store/mongo/offline-connection.ts';
import { outboxDoc } from '../../src/store/mongo/outbox.ts';
import { freshDatabaseName, withDatabase } from '../support/mongo-database.ts';
import { outbound } from '../contract/store-fixtures.ts';

const NOW = new Date('2026-11-27T10:00:00.000Z');
const DAY_END = new Date('2026-11-28T00:00:00.000Z');

describe('ratings ask MongoDB', () => {
  it('for the other rated tickets’ averages: all, the department’s, the ward office’s in it; names taken literally', () => {
    const [match, group] = averagesPipeline(100007, '$SWM', 'kothrud');
    expect(match).toEqual({ $match: { _id: { $ne: 100007 }, 'feedback.rating': { $type: 'number' } } });
    const dep = { $eq: ['$department', { $literal: '$SWM' }] };
    expect(group).toEqual({
      $group: {
        _id: null,
        overall: { $avg: '$feedback.rating' },
        overallN: { $sum: 1 },
        department: { $avg: { $cond: [dep, '$feedback.rating', null] } },
        departmentN: { $sum: { $cond: [dep, 1, 0] } },
        ward: { $avg: { $cond: [{ $and: [dep, { $eq: ['$ward', { $literal: 'kothrud' }] }] }, '$feedback.rating', null] } },
        wardN: { $sum: { $cond: [{ $and: [dep, { $eq: ['$ward', { $literal: 'kothrud' }] }] }, 1, 0] } },
      },
    });
    // a ticket with no ward office compares with no ward office's average
    expect((averagesPipeline(1, 'SWM', undefined)[1] as { $group: { wardN: unknown } }).$group.wardN).toEqual({ $sum: { $cond: [false, 1, 0] } });
  });

  it('compares with the narrowest average that has 5 ratings behind it', () => {
    const a = { overall: 3.5, overallN: 8, department: 2.2, departmentN: 5, ward: 3.6, wardN: 4 };
    expect(comparison(a)).toEqual({ scope: 'department', ratings: 5, average: 2.2 });
    expect(comparison({ ...a, wardN: 5 })).toEqual({ scope: 'ward', ratings: 5, average: 3.6 });
    expect(comparison({ ...a, departmentN: 4, wardN: 0 })).toEqual({ scope: 'overall', ratings: 8, average: 3.5 });
    expect(comparison(undefined)).toBeUndefined();
  });
});

describe('the history asks MongoDB', () => {
  it('for the next told change of the tickets read: a stage or a forward, not the citizen’s own move', () => {
    expect(nextToldFilter([100001, 100002], 40)).toEqual({
      ticket: { $in: [100001, 100002] },
      _id: { $gt: 40 },
      to: { $in: ['forwarded', 'in_progress', 'resolved', 'rejected', 'reopened'] },
      by: { $ne: 'citizen' },
      $or: [{ $expr: { $ne: [{ $ifNull: ['$from', null] }, '$to'] } }, { place: { $type: 'object' } }],
    });
  });

  it('for a day per ward office: each ticket once per kind of change, at the office it is at now', () => {
    const p = dayCountsPipeline(NOW, DAY_END);
    expect(p[0]).toEqual({ $match: { at: { $gte: NOW.toISOString(), $lt: DAY_END.toISOString() } } });
    expect(p[1]).toEqual({
      $group: {
        _id: '$ticket',
        received: { $max: { $cond: [{ $eq: [{ $ifNull: ['$from', null] }, null] }, 1, 0] } },
        forwarded: { $max: { $cond: [{ $eq: ['$to', 'forwarded'] }, 1, 0] } },
        resolved: { $max: { $cond: [{ $eq: ['$to', 'resolved'] }, 1, 0] } },
      },
    });
    expect(p.at(-1)).toEqual({ $group: { _id: { $ifNull: ['$t.ward', null] }, received: { $sum: '$received' }, forwarded: { $sum: '$forwarded' }, resolved: { $sum: '$resolved' } } });
    expect(FOLLOW_UP_FILTER).toEqual({ status: { $nin: ['closed', 'rejected'] }, followUp: true });
  });
});

describe('campaigns ask MongoDB', () => {
  it('to move a campaign on only from the states given, keeping the first start time', () => {
    const at = new Date('2026-12-01T04:30:00.000Z');
    expect(transitionUpdate('C1', ['scheduled', 'sending'], 'sending', NOW)).toEqual({
      filter: { _id: 'C1', state: { $in: ['scheduled', 'sending'] } },
      update: [{ $set: { state: { $literal: 'sending' }, updatedAt: { $literal: NOW.toISOString() }, startedAt: { $ifNull: ['$startedAt', { $literal: NOW.toISOString() }] } } }],
    });
    expect(transitionUpdate('C1', ['draft'], 'scheduled', NOW, at).update[0]!.$set).toEqual({ state: { $literal: 'scheduled' }, updatedAt: { $literal: NOW.toISOString() }, scheduledAt: { $literal: at.toISOString() } });
    expect(transitionUpdate('C1', ['draft', 'scheduled'], 'cancelled', NOW).update[0]!.$set).toHaveProperty('finishedAt', { $literal: NOW.toISOString() });
    expect(dueCampaignsFilter(NOW)).toEqual({ $or: [{ state: 'scheduled', scheduledAt: { $lte: NOW.toISOString() } }, { state: 'sending' }] });
  });

  it('to move the cursor with a batch only from where it was read, finishing the campaign on the last one', () => {
    const batch = { from: undefined, to: 'c-0042', messages: [], skipped: 2, done: true };
    expect(advanceUpdate('C1', batch, 40, NOW.toISOString())).toEqual({
      filter: { _id: 'C1', state: 'sending', cursor: null },
      update: { $set: { cursor: 'c-0042', updatedAt: NOW.toISOString(), state: 'done', finishedAt: NOW.toISOString() }, $inc: { queued: 40, skipped: 2 } },
    });
    expect(advanceUpdate('C1', { ...batch, from: 'c-0042', done: false }, 0, NOW.toISOString()).filter.cursor).toBe('c-0042');
  });

  it('for the opted-in after a cursor, and each one’s latest complaint', () => {
    expect(optedInPage('c-0042')).toEqual({ announcements: 'in', _id: { $gt: 'c-0042' } });
    expect(latestTicketsPipeline(['c-1', 'c-2'])).toEqual([
      { $match: { contactId: { $in: ['c-1', 'c-2'] } } },
      { $sort: { contactId: 1, _id: -1 } },
      { $group: { _id: '$contactId', language: { $first: '$language' }, ward: { $first: '$ward' } } },
    ]);
  });
});

describe('dead letters, casting, and opening', () => {
  it('labels dead letters as SQLite does and lists the newest first', () => {
    const i = inboundLetter({ _id: 4, channel: 'email', accountId: 'complaints@pmc', externalId: '<abc@mail>', lastError: 'unparseable', attempts: 3, updatedAt: '2026-11-27T10:00:00.000Z' });
    const o = outboundLetter({ ...outboxDoc(9, outbound({ kind: 'feedback_request', ticketNo: 'PMC100001', text: 'कृपया 1 ते 5 गुण द्या' }), '2026-11-27T10:00:01.000Z'), lastError: 'invalid number', attempts: 1 });
    expect(i).toEqual({ kind: 'inbound', id: 4, error: 'unparseable', attempts: 3, at: '2026-11-27T10:00:00.000Z', summary: 'email/complaints@pmc/<abc@mail>' });
    expect(o.summary).toBe('sms → feedback_request PMC100001');
    expect([i, o].sort(newestFirst).map((d) => d.kind)).toEqual(['outbound', 'inbound']);
    expect([{ ...i, at: o.at }, o].sort(newestFirst).map((d) => d.id)).toEqual([9, 4]);
  });

  it('casts a filter to the schema’s types before it is sent (mongoose’s own cast, no server)', () => {
    // text where numbers belong, as a query string gives them: the types say no, mongoose's cast says yes
    const q = inboundModel(offlineConnection()).find({ _id: '42', attempts: { $gte: '2' } } as never);
    expect(q.cast()).toEqual({ _id: 42, attempts: { $gte: 2 } });
  });

  it('points a test at a database of its own, whatever the URI looks like', () => {
    expect(withDatabase('mongodb://127.0.0.1:27017/?replicaSet=rs0', 'pmc_t1')).toBe('mongodb://127.0.0.1:27017/pmc_t1?replicaSet=rs0');
    expect(withDatabase('mongodb://u:p@h1:27017,h2:27018/old', 'pmc_t1')).toBe('mongodb://u:p@h1:27017,h2:27018/pmc_t1');
    expect(withDatabase('mongodb+srv://cluster.example.net', 'pmc_t1')).toBe('mongodb+srv://cluster.example.net/pmc_t1');
    expect(freshDatabaseName()).toMatch(/^pmc_contract_\d+_[a-z0-9]+_\d+$/);
    expect(freshDatabaseName().length).toBeLessThan(64);
  });

  it('an unreachable MongoDB at start is a ConfigError naming STORE_URL, its password hidden, and what to check', async () => {
    // port 1 on loopback: refused at once, a real failure of the real driver
    const err = await openStoreAsync('mongodb://ravi:s3cret@127.0.0.1:1/pmc?replicaSet=rs0', { ticketPrefix: 'PMC', firstTicketNumber: 1, connectTimeoutMs: 500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).toMatch(/^STORE_URL=mongodb:\/\/ravi:\*\*\*@127\.0\.0\.1:1\/pmc\?replicaSet=rs0: cannot open the MongoDB store: .*ECONNREFUSED/);
    expect(message).toContain('replica set');
    expect(message).not.toContain('s3cret');
  });
});
