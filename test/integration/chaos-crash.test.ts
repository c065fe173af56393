import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { StoreStats } from '../../src/store/store.ts';
import { freePort, startBridge, type BridgeProcess } from '../support/bridge-process.ts';
import {
  callCentreMessage, CALLCENTRE_TEST_KEY, facebookMessage, lokshahiMessage, LOKSHAHI_TEST_SECRET, isThreadSource, messageKey, smsMessage, webChatMessage,
  pushChannelsEnv, startPushFakes, xDmMessage, xMentionMessage, type PushFakes, type PushMessage,
} from '../support/push-channels.ts';
import { copyShippedConfig } from '../support/shipped-config.ts';
import { until } from '../support/wait.ts';
import { TEST_WEBCHAT_SECRET } from '../support/webchat-bridge.ts';

// how many of the 1,000 go to each channel; X stays under the fake's 15-minute windows (100 posts, 200 DMs)
const MIX = { sms: 300, facebook: 250, webchat: 150, xMention: 50, xDm: 50, lokshahi: 80, callCentre: 120 };
const KILL_AFTER = 333; // answered requests, about a third of the way
const SENDERS = 12;

// retries in milliseconds (a crash leaves sends in doubt, retried after restart), no catch-up poll of comments,
// and room for a burst of new web chats from one address
const LOCAL_YAML = `
pipeline: { retry: { maxAttempts: 8, baseDelayMs: 20, maxDelayMs: 500, keepTryingMs: 0 }, sweepIntervalMs: 100 }
channels:
  facebook: { commentsPollSeconds: 86400 }
  webchat: { sessionsPerMinute: 100000 }
`;

// The bridge as an operator runs it, every push channel on, SIGKILLed in the middle of a stream of webhooks: what
// it acknowledged must come out as exactly one ticket and one reply, and nothing it did not may come out twice.
describe('chaos: SIGKILL during 1,000 webhooks on every push channel', () => {
  let dir: string;
  let fakes: PushFakes;
  let env: Record<string, string>;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pmc-chaos-crash-'));
    const configDir = join(dir, 'config');
    copyShippedConfig(configDir);
    writeFileSync(join(configDir, 'local.yaml'), LOCAL_YAML);
    fakes = await startPushFakes();
    port = await freePort();
    env = {
      ...pushChannelsEnv(dir, configDir, fakes),
      WEBCHAT_TOKEN_SECRET: TEST_WEBCHAT_SECRET,
      LOKSHAHI_SECRET: LOKSHAHI_TEST_SECRET,
      CALLCENTRE_API_KEY: CALLCENTRE_TEST_KEY,
      // everything the bridge says, to be searched for personal data and secrets at the end
      LOG_LEVEL: 'info',
    };
  });
  afterAll(async () => {
    await Promise.all([fakes?.twilio.close(), fakes?.graph.close(), fakes?.x.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  /** the 1,000, the channels interleaved so that every channel is in flight at the kill */
  function theMessages(base: string): { all: PushMessage[]; chats: ReturnType<typeof webChatMessage>[] } {
    const chats = Array.from({ length: MIX.webchat }, (_, i) => webChatMessage(base, i));
    const lanes: PushMessage[][] = [
      Array.from({ length: MIX.sms }, (_, i) => smsMessage(fakes, i)),
      Array.from({ length: MIX.facebook }, (_, i) => facebookMessage(fakes, i)),
      chats,
      Array.from({ length: MIX.xMention }, (_, i) => xMentionMessage(fakes, i)),
      Array.from({ length: MIX.xDm }, (_, i) => xDmMessage(fakes, 1000 + i)),
      Array.from({ length: MIX.lokshahi }, (_, i) => lokshahiMessage(fakes, i)),
      Array.from({ length: MIX.callCentre }, (_, i) => callCentreMessage(fakes, i)),
    ];
    // each lane spread evenly over the stream: message k of a lane of n at position (k + 0.5) / n
    const all = lanes.flatMap((lane) => lane.map((m, k) => ({ m, at: (k + 0.5) / lane.length }))).sort((a, b) => a.at - b.at).map((x) => x.m);
    return { all, chats };
  }

  it('every acknowledged message is exactly one ticket with exactly one reply; none is duplicated', async () => {
    let bridge: BridgeProcess = await startBridge(env, port);
    const { all, chats } = theMessages(bridge.url);
    // the chats are open before the stream, as a citizen's page is before they type
    for (let k = 0; k < chats.length; k += SENDERS) await Promise.all(chats.slice(k, k + SENDERS).map((c) => c.open()));

    const logs: string[] = [];
    const answered = new Map<PushMessage, number | 'error'>();
    let down = false;
    let restarted: Promise<void> | undefined;
    let atKill: StoreStats | undefined;
    const queue = [...all];
    const sender = async (): Promise<void> => {
      for (let m = queue.shift(); m; m = queue.shift()) {
        const sentWhileDown = down;
        answered.set(m, await m.send(bridge.url));
        if (!restarted && answered.size >= KILL_AFTER) {
          down = true;
          bridge.proc.kill('SIGKILL');
          restarted = (async () => {
            await bridge.exited;
            logs.push(bridge.output());
            const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
            atKill = await store.stats().finally(() => store.close());
            bridge = await startBridge(env, port);
            down = false;
          })();
        }
        // one request refused while it is down, then each sender waits for the restart
        if (sentWhileDown) await restarted;
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));
    await restarted;
    const ok = (s: number | 'error' | undefined) => typeof s === 'number' && s >= 200 && s < 300;
    const firstTry = all.filter((m) => !ok(answered.get(m)));
    // the kill cut the stream (some in flight, some refused while it was down), and nothing was answered 5xx
    expect(answered.size).toBe(all.length);
    expect(firstTry.length).toBeGreaterThan(0);
    expect(firstTry.filter((m) => answered.get(m) !== 'error').map((m) => `${m.label}: ${answered.get(m)}`)).toEqual([]);
    // and it left work half done: messages not yet processed, or replies not yet sent
    expect(atKill!.inbound.pending + atKill!.outbox.pending + atKill!.outbox.sending).toBeGreaterThan(0);
    // the providers post again what got no answer, and web chat citizens press Retry
    for (const m of firstTry.filter((x) => x.redelivered)) answered.set(m, await m.send(bridge.url));
    expect(firstTry.filter((m) => m.redelivered && !ok(answered.get(m))).map((m) => `${m.label}: ${answered.get(m)}`)).toEqual([]);

    const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
    try {
      const acked = all.filter((m) => ok(answered.get(m)));
      let last: StoreStats | undefined;
      await until('every acknowledged message processed and every reply sent', async () => {
        last = await store.stats();
        return last.inbound.done >= acked.length && last.inbound.pending === 0 && last.outbox.pending === 0 && last.outbox.sending === 0;
      }, 30_000).catch((e: Error) => {
        throw new Error(`${e.message}: ${JSON.stringify(last)}\n${bridge.output().slice(-5000)}`);
      });
      expect(last!.inbound.dead + last!.outbox.dead, 'dead letters').toBe(0);

      const byMessage = new Map<string, string[]>();
      const problems: string[] = [];
      for (const t of await store.listTickets()) {
        // each citizen sent one message: a ticket of two would be two citizens' complaints in one
        const messages = t.sources.filter((src) => !isThreadSource(src));
        if (messages.length !== 1) problems.push(`${t.ticketNo}: sources ${JSON.stringify(t.sources)}`);
        const key = messageKey(messages[0]!);
        byMessage.set(key, [...(byMessage.get(key) ?? []), t.ticketNo]);
      }
      const known = new Set(all.map((m) => m.key));
      expect([...byMessage.keys()].filter((k) => !known.has(k)), 'tickets from no message of ours').toEqual([]);
      for (const m of all) {
        const filed = byMessage.get(m.key) ?? [];
        const how = ok(answered.get(m)) ? 'acknowledged' : 'not acknowledged';
        if (ok(answered.get(m)) ? filed.length !== 1 : filed.length > 1) problems.push(`${m.label} (${how}): tickets ${JSON.stringify(filed)}`);
      }
      expect(problems).toEqual([]);

      // one reply each, with its number, at its channel's fake or in its web chat. A web chat whose message was
      // being archived at the kill shows what follows it only once that reservation is stale (30 s, by design)
      const replyProblem = async (m: PushMessage): Promise<string | undefined> => {
        const ticketNo = byMessage.get(m.key)?.[0];
        const replies = await m.replies();
        if (ticketNo ? replies.length === 1 && replies[0]!.includes(ticketNo) : replies.length === 0) return undefined;
        return `${m.label} (${ok(answered.get(m)) ? 'acknowledged' : 'not acknowledged'}) ${ticketNo ?? 'no ticket'}: replies ${JSON.stringify(replies)}`;
      };
      let left = all;
      await until('one reply per ticket', async () => {
        const found = await Promise.all(left.map(async (m) => [m, await replyProblem(m)] as const));
        left = found.filter(([, p]) => p !== undefined).map(([m]) => m);
        return left.length === 0;
      }, 40_000).catch(() => undefined); // what is still wrong is said below
      // and once more for all, now that nothing is left to send: nothing came twice meanwhile
      expect((await Promise.all(all.map(replyProblem))).filter((p) => p !== undefined)).toEqual([]);

      // a thousand citizens on seven channels, logged at info through a crash: not one phone number, address,
      // applicant's name or secret in what the bridge wrote
      const said = [...logs, bridge.output()].join('\n');
      expect(said).toContain('"msg"'); // it did log, as JSON
      const leaks = [
        ...[...said.matchAll(/(?<![\d.])(?:\+?91)?[6-9]\d{9}(?!\d)/gu)].map((m) => `phone ${m[0]}`),
        ...[...said.matchAll(/[\w.+-]+@[\w-]+\.[\w.]+/gu)].map((m) => `email ${m[0]}`),
        ...[...said.matchAll(/अर्जदार \d+|Caller \d+|सदाशिव पेठ/gu)].map((m) => `name or address ${m[0]}`),
        ...Object.entries(env)
          .filter(([k, v]) => /SECRET|TOKEN|KEY/u.test(k) && v.length >= 12 && said.includes(v))
          .map(([k]) => `secret ${k}`),
      ];
      expect([...new Set(leaks)].slice(0, 20)).toEqual([]);
    } finally {
      await store.close();
      bridge.proc.kill('SIGTERM');
      await bridge.exited;
    }
  }, 90_000);
});
