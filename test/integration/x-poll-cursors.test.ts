import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineIntake } from '../../src/connectors/connector.ts';
import { createXConnector } from '../../src/connectors/twitter/index.ts';
import { createLogger } from '../../src/http/logger.ts';
import { ChannelHealth } from '../../src/pipeline/channel-health.ts';
import { PollScheduler } from '../../src/pipeline/poll-channels.ts';
import type { Ticks } from '../../src/pipeline/ticks.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { startFakeXApi, type FakeXApi, type RecordedRequest } from '../support/fake-x-api.ts';
import { X_ACCOUNT, X_APP_KEY, X_KEYS } from '../support/social-bridge.ts';

const HANDLE = 'PMCPune';
const TEXTS = ['माझ्या गल्लीत पाणी येत नाही, वारजे', 'हडपसर में कचरा नहीं उठाया गया', 'Streetlight off near Baner road'];
const MENTIONS = `poll:twitter:${X_ACCOUNT}:mentions`;
const DMS = `poll:twitter:${X_ACCOUNT}:dms`;

// ticks as several processes share them on Redis (the wait after a 429 is kept in the store, for all of them to
// honour), that never fire by themselves: the test runs each poll
const sharedTicks: Ticks = { shared: true, every: async () => undefined, nudge: async () => undefined, hold: () => undefined, close: async () => undefined };

// The X pollers (the real twitter-api-v2 against the HTTPS fake) under the pipeline's scheduler, on a real store:
// where the cursors stand after each read, and how long the scheduler waits after a rate limit.
describe('X polls: cursors and rate-limit waits', () => {
  let x: FakeXApi;
  let dir: string;
  let store: SqliteStore;
  let polls: PollScheduler;
  // the scheduler's clock stands still, so its wait is exactly the reset plus its one second of margin
  const clock = Date.now();

  beforeAll(async () => {
    x = await startFakeXApi({ accountId: X_ACCOUNT, username: HANDLE, appKey: X_APP_KEY });
    dir = mkdtempSync(join(tmpdir(), 'pmc-x-polls-'));
    store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
    const health = new ChannelHealth();
    const account = { id: X_ACCOUNT, appKey: X_APP_KEY, appSecret: X_KEYS.X_API_SECRET, accessToken: X_KEYS.X_ACCESS_TOKEN, accessSecret: X_KEYS.X_ACCESS_SECRET, envPrefix: 'X' };
    const connector = createXConnector({ accounts: [account], apiBase: x.url, requestTimeoutMs: 5000, pollMs: 60_000, catchUpHours: 24 }, { store, health });
    // the pipeline's intake, on the store: archived (repeats dropped) before the cursor moves
    const intake: PipelineIntake = {
      async accept(messages) {
        const results = await store.archiveInbound(messages);
        return { accepted: results.filter((r) => !r.duplicate).length, duplicates: results.filter((r) => r.duplicate).length };
      },
      async recordDelivery() {},
    };
    polls = new PollScheduler({ connectors: [connector], intake, store, health, logger: createLogger('silent'), ticks: sharedTicks, now: () => clock });
  });
  afterAll(async () => {
    await polls?.stop();
    await store?.close();
    await x?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const requestsTo = (path: string, from = 0): RecordedRequest[] => x.requests.slice(from).filter((r) => r.path.endsWith(path));
  const archive = async () => {
    const s = await store.stats();
    return { kept: s.inbound.pending + s.inbound.done + s.inbound.dead, repeats: s.duplicatesDropped };
  };
  /** the scheduler's kept wait: not before this time (ms) */
  const waitOf = async (key: string) => Number((await store.getCursor(`wait:${key}`))?.split(':')[1] ?? 0);
  /** the x-rate-limit-reset (unix seconds) of the 429 among these requests, in ms */
  const resetOf = (rs: RecordedRequest[]) => Number(rs.find((r) => r.answer?.status === 429)!.answer!.headers['x-rate-limit-reset']) * 1000;

  it('waits until the x-rate-limit-reset of a 429 that cut a mentions read, then resumes from the old cursor, losing and repeating nothing', async () => {
    const seed = x.addMention({ authorId: '1800000000000003000', username: 's0', text: `@${HANDLE} ${TEXTS[0]}` });
    await polls.runAll();
    expect(await store.getCursor(MENTIONS)).toBe(seed.id);
    const before = await archive();
    const burst = Array.from({ length: 130 }, (_, i) => x.addMention({ authorId: `18000000000031${String(i).padStart(5, '0')}`, username: `m${i}`, text: `@${HANDLE} ${TEXTS[i % 3]} ${i}` }));
    const from = x.requests.length;
    x.limitAfter(1, '/mentions', 30); // the first page comes, the second is refused until the reset
    await polls.runAll();
    const cut = requestsTo('/mentions', from);
    expect(cut.map((r) => r.answer?.status)).toEqual([200, 429]);
    expect(await store.getCursor(MENTIONS)).toBe(seed.id);
    // the scheduler keeps the reset X gave (plus a second), so no process polls before it
    expect(await waitOf(MENTIONS)).toBe(resetOf(cut) + 1000);

    x.clearLimit();
    const again = x.requests.length;
    await polls.runAll();
    const resumed = requestsTo('/mentions', again);
    expect(resumed[0]!.query.since_id).toBe(seed.id);
    expect(await store.getCursor(MENTIONS)).toBe(burst.at(-1)!.id);
    expect(await waitOf(MENTIONS)).toBe(0);
    // every one archived once: the first page read twice, its repeats dropped by the archive
    expect(await archive()).toEqual({ kept: before.kept + 130, repeats: before.repeats + 100 });
    for (const m of [burst[0]!, burst[99]!, burst[129]!]) expect(await store.getInboundBySource({ channel: 'twitter', accountId: X_ACCOUNT, externalId: m.id })).toBeDefined();
  });

  it('keeps the newest DM event id as the cursor and stops reading there; a read cut by a 429 waits for the reset and resumes whole', async () => {
    const seed = [0, 1].map((i) => x.addDm({ senderId: `180000000000004000${i}`, text: TEXTS[i]! }));
    await polls.runAll();
    expect(await store.getCursor(DMS)).toBe(seed[1]!.id);

    const before = await archive();
    const burst = Array.from({ length: 130 }, (_, i) => x.addDm({ senderId: `18000000000041${String(i).padStart(5, '0')}`, text: `${TEXTS[i % 3]} (${i})` }));
    const from = x.requests.length;
    x.limitAfter(1, '/dm_events', 30);
    await polls.runAll();
    const cut = requestsTo('/dm_events', from);
    expect(cut.map((r) => r.answer?.status)).toEqual([200, 429]);
    expect(await store.getCursor(DMS)).toBe(seed[1]!.id);
    expect(await waitOf(DMS)).toBe(resetOf(cut) + 1000);

    x.clearLimit();
    const again = x.requests.length;
    await polls.runAll();
    // newest first: the page read before, then the rest down to the cursor, and no further
    expect(requestsTo('/dm_events', again).map((r) => r.answer?.status)).toEqual([200, 200]);
    expect(await store.getCursor(DMS)).toBe(burst.at(-1)!.id);
    expect(await archive()).toEqual({ kept: before.kept + 130, repeats: before.repeats + 100 });

    // three new ones: the first page reaches the cursor, so it is the only page read, and the cursor moves to them
    const fresh = [0, 1, 2].map((i) => x.addDm({ senderId: `180000000000042000${i}`, text: TEXTS[i]! }));
    const last = x.requests.length;
    await polls.runAll();
    expect(requestsTo('/dm_events', last)).toHaveLength(1);
    expect(await store.getCursor(DMS)).toBe(fresh[2]!.id);
    expect(await archive()).toEqual({ kept: before.kept + 133, repeats: before.repeats + 100 });
  });
});
