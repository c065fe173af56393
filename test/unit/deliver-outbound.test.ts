import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { HeldSendError, ReachElsewhereError, RetryableSendError, type Connector, type ResendGuard } from '../../src/connectors/connector.ts';
import type { OutboundMessage } from '../../src/model/index.ts';
import { backoffDelay, retriesExhausted, type RetryPolicy } from '../../src/pipeline/backoff.ts';
import { deliverOutbound } from '../../src/pipeline/deliver-outbound.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { ROOT } from '../support/bridge-process.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function openStore(): SqliteStore {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-deliver-'));
  const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
  cleanups.push(() => {
    void store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

const reply = (text: string, lang: OutboundMessage['language']): OutboundMessage => ({
  channel: 'sms',
  accountId: '+912066000000',
  threadKey: '+919800000001',
  to: '+919800000001',
  text,
  language: lang,
  kind: 'ack',
  idempotencyKey: `ack:${text}`,
});

/**
 * A provider as the network shows it: `lose` makes an attempt reach the provider (it keeps the message) and then
 * lose the answer. The lookup is what the provider has, as Twilio's list would show it.
 */
function provider(kind: ResendGuard['kind'], lose: (attempt: number) => boolean) {
  const has: { outboxId: number; text: string; id: string }[] = [];
  const calls = { send: 0, lookup: 0 };
  const connector: Connector = {
    channel: 'sms',
    accountIds: ['+912066000000'],
    limits: {},
    async send(message, { outboxId }) {
      calls.send++;
      // an idempotent provider keeps one message per key however often it is asked
      const kept = kind === 'idempotent' ? has.find((m) => m.outboxId === outboxId) : undefined;
      const id = kept?.id ?? `SM${has.length + 1}`;
      if (!kept) has.push({ outboxId, text: message.text, id });
      if (lose(calls.send)) throw new RetryableSendError('ECONNRESET', undefined, true);
      return { providerId: id };
    },
    resend:
      kind === 'lookup'
        ? {
            kind,
            findSent: async (message) => {
              calls.lookup++;
              const m = has.find((x) => x.text === message.text);
              return m && { providerId: m.id };
            },
          }
        : { kind, how: 'the provider keeps one message per outbox id' },
  };
  return { connector, has, calls };
}

const POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100, keepTryingMs: 0 };

async function deliverUntilDone(store: SqliteStore, id: number, connector: Connector, policy = POLICY, now = () => new Date()) {
  const outcomes = [];
  for (let i = 0; i < 10; i++) {
    const entry = (await store.getOutbox(id))!;
    const outcome = await deliverOutbound(entry, { store, connectors: new Map([['sms', connector]]), limiters: new Map(), retry: policy, now });
    outcomes.push(outcome.kind);
    if (outcome.kind !== 'retry') break;
  }
  return outcomes;
}

describe('deliverOutbound after an attempt of unknown outcome', () => {
  it.each([
    ['मराठी', 'आपली तक्रार PMC10001 नोंदवली गेली आहे.', 'mr'],
    ['Hindi', 'आपकी शिकायत PMC10002 दर्ज हो गई है।', 'hi'],
    ['English', 'Your complaint PMC10003 has been registered.', 'en'],
  ] as const)('looks the %s reply up at the provider and records it as sent, without sending it again', async (_n, text, lang) => {
    const store = openStore();
    const [r] = await store.enqueueOutbound([reply(text, lang)]);
    const p = provider('lookup', (n) => n === 1);
    expect(await deliverUntilDone(store, r!.id, p.connector)).toEqual(['retry', 'sent']);
    expect(p.calls).toEqual({ send: 1, lookup: 1 });
    expect(p.has).toHaveLength(1);
    expect(await store.getOutbox(r!.id)).toMatchObject({ state: 'sent', providerId: p.has[0]!.id });
  });

  it('keeps looking up on every later attempt, and sends when the provider does not have it', async () => {
    const store = openStore();
    const [r] = await store.enqueueOutbound([reply('आपली तक्रार PMC10004 नोंदवली गेली आहे.', 'mr')]);
    let lookups = 0;
    const connector: Connector = {
      channel: 'sms',
      accountIds: ['+912066000000'],
      limits: {},
      // the request never reached the provider, but the client could not know that
      send: async () => {
        if (lookups === 0) throw new RetryableSendError('socket hang up', undefined, true);
        return { providerId: 'SM-only' };
      },
      resend: {
        kind: 'lookup',
        findSent: async () => {
          lookups++;
          if (lookups === 1) throw new RetryableSendError('lookup: HTTP 503');
          return undefined;
        },
      },
    };
    // 1: the answer is lost; 2: the lookup fails (no send: the earlier one may be there); 3: looked up, sent
    expect(await deliverUntilDone(store, r!.id, connector)).toEqual(['retry', 'retry', 'sent']);
    expect(lookups).toBe(2);
    expect(await store.getOutbox(r!.id)).toMatchObject({ state: 'sent', providerId: 'SM-only' });
  });

  it('sends again to a connector whose provider is idempotent, which keeps one message', async () => {
    const store = openStore();
    const [r] = await store.enqueueOutbound([reply('Your complaint PMC10005 has been registered.', 'en')]);
    const p = provider('idempotent', (n) => n === 1);
    expect(await deliverUntilDone(store, r!.id, p.connector)).toEqual(['retry', 'sent']);
    expect(p.calls.send).toBe(2);
    expect(p.has).toHaveLength(1);
  });

  it('records an unknown outcome on the entry, so a restart of the bridge looks it up too', async () => {
    const store = openStore();
    const [r] = await store.enqueueOutbound([reply('आपकी शिकायत PMC10006 दर्ज हो गई है।', 'hi')]);
    const p = provider('lookup', () => true);
    const entry = (await store.getOutbox(r!.id))!;
    const before = Date.now();
    await deliverOutbound(entry, { store, connectors: new Map([['sms', p.connector]]), limiters: new Map(), retry: POLICY, now: () => new Date() });
    const after = (await store.getOutbox(r!.id))!;
    expect(after.state).toBe('pending');
    expect(Date.parse(after.unsureSince!)).toBeGreaterThanOrEqual(before);
  });
});

describe('the retry budget', () => {
  it('does not dead-letter a reply during a provider outage of half an hour, however many attempts it took', async () => {
    const store = openStore();
    const [r] = await store.enqueueOutbound([reply('आपली तक्रार PMC10007 नोंदवली गेली आहे.', 'mr')]);
    let clock = Date.now();
    const now = () => new Date(clock);
    const down: Connector = {
      channel: 'sms',
      accountIds: ['+912066000000'],
      limits: {},
      send: async () => {
        throw new RetryableSendError('Twilio send failed: HTTP 503');
      },
      resend: { kind: 'idempotent', how: 'a test' },
    };
    const policy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000, keepTryingMs: 3_600_000 };
    for (let i = 0; i < 12; i++) {
      const entry = (await store.getOutbox(r!.id))!;
      const o = await deliverOutbound(entry, { store, connectors: new Map([['sms', down]]), limiters: new Map(), retry: policy, now });
      expect(o.kind, `attempt ${i + 1}`).toBe('retry');
      clock += 150_000; // 2.5 minutes later: 30 minutes in all
    }
    clock = Date.now() + 3_600_001;
    const last = await deliverOutbound((await store.getOutbox(r!.id))!, { store, connectors: new Map([['sms', down]]), limiters: new Map(), retry: policy, now });
    expect(last).toMatchObject({ kind: 'dead', error: expect.stringContaining('gave up after 13 attempts') });
  });

  it('as shipped, keeps trying for at least an hour, in a bounded number of attempts', () => {
    const { config } = loadConfig({ env: {}, dir: join(ROOT, 'config') });
    const policy = config.pipeline.retry;
    // the shortest the jitter can make every wait
    let elapsed = 0;
    let attempt = 1;
    while (!retriesExhausted(attempt, new Date(0), new Date(elapsed), policy)) {
      elapsed += backoffDelay(attempt, policy, () => 0);
      attempt++;
    }
    expect(elapsed).toBeGreaterThanOrEqual(3_600_000);
    expect(attempt).toBeLessThan(40);
  });
});

describe('deliverOutbound when the channel cannot carry the reply', () => {
  const messenger = (err: () => Error): Connector => ({
    channel: 'facebook',
    accountIds: ['104000000000001'],
    limits: {},
    send: async () => {
      throw err();
    },
    resend: { kind: 'idempotent', how: 'test' },
  });
  const sms = provider('lookup', () => false).connector;
  const fbReply = (to: string, text: string, lang: OutboundMessage['language']): OutboundMessage => ({
    channel: 'facebook', accountId: '104000000000001', threadKey: to, to, text, language: lang, kind: 'feedback_request', ticketNo: 'PMC10007', idempotencyKey: `rate:${to}`,
  });
  const run = (store: SqliteStore, id: number, connectors: [string, Connector][], policy = POLICY) =>
    store.getOutbox(id).then((entry) => deliverOutbound(entry!, { store, connectors: new Map(connectors), limiters: new Map(), retry: policy, now: () => new Date() }));

  it('holds a reply of an account that needs a person, costing it no attempt however long it waits', async () => {
    const store = openStore();
    const [r] = await store.enqueueOutbound([fbReply('7100000000000001', 'तक्रार PMC10007 सोडवली गेली आहे. कृपया 1 ते 5 गुण द्या.', 'mr')]);
    const held = messenger(() => new HeldSendError('page 104000000000001 is waiting to be re-authorised', 300_000));
    // one attempt allowed and no time to keep trying: a held reply still never dies
    for (let i = 0; i < 4; i++) {
      const outcome = await run(store, r!.id, [['facebook', held]], { ...POLICY, maxAttempts: 1 });
      expect(outcome).toMatchObject({ kind: 'retry', held: true, delayMs: 300_000 });
      await store.markOutboxRetry(r!.id, 'due again', new Date(0));
    }
    expect(await store.getOutbox(r!.id)).toMatchObject({ state: 'pending', attempts: 0 });
  });

  it('sends it by SMS when the citizen gave a number, shaped for SMS and keeping the ticket number', async () => {
    const store = openStore();
    await store.upsertContact({ channel: 'facebook', channelUserId: '7100000000000002', phone: '+919812300022' });
    const [r] = await store.enqueueOutbound([fbReply('7100000000000002', 'शिकायत PMC10007 का समाधान हो गया है। कृपया 1 से 5 तक रेटिंग दीजिए।', 'hi')]);
    const closed = messenger(() => new ReachElsewhereError("outside Messenger's 24-hour window"));
    const outcome = await run(store, r!.id, [['facebook', closed], ['sms', sms]]);
    expect(outcome.kind).toBe('rerouted');
    const copyId = outcome.kind === 'rerouted' ? outcome.outboxIds[0]! : -1;
    expect(await store.getOutbox(r!.id)).toMatchObject({ state: 'sent', providerId: `sms:outbox-${copyId}` });
    expect((await store.getOutbox(copyId))?.message).toMatchObject({ channel: 'sms', to: '+919812300022', language: 'hi', ticketNo: 'PMC10007', text: expect.stringContaining('PMC10007') });
  });

  it('records it unreachable, saying why, when there is no other way to the citizen', async () => {
    const store = openStore();
    const [r] = await store.enqueueOutbound([fbReply('7100000000000003', 'Complaint PMC10007 has been resolved. Please rate our work from 1 to 5.', 'en')]);
    const closed = messenger(() => new ReachElsewhereError("outside Messenger's 24-hour window"));
    expect(await run(store, r!.id, [['facebook', closed], ['sms', sms]])).toMatchObject({ kind: 'dead' });
    expect((await store.getOutbox(r!.id))?.lastError).toMatch(/24-hour window.*unreachable.*no phone number/);
  });
});
