import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { startBridge, freePort, runCli, type BridgeProcess } from '../support/bridge-process.ts';
import { startFakeTwilioApi } from '../support/fake-twilio-api.ts';
import { postSigned, smsBridgeEnv, smsParams, TEST_FROM } from '../support/sms-webhooks.ts';

type Fake = Awaited<ReturnType<typeof startFakeTwilioApi>>;

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('crash safety (the bridge as a child process)', () => {
  let dir: string;
  let fake: Fake;
  let port: number;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pmc-crash-'));
    fake = await startFakeTwilioApi();
    port = await freePort();
    env = smsBridgeEnv(join(dir, 'bridge.db'), fake.url);
  });
  afterAll(async () => {
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const publicUrl = 'https://bridge.example.test/webhooks/sms/twilio';
  const sendOne = async (b: BridgeProcess, i: number): Promise<number | 'error'> => {
    try {
      const res = await postSigned(`${b.url}/webhooks/sms/twilio`, publicUrl, smsParams(i));
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 'error';
    }
  };

  it('every webhook answered 2xx before a SIGKILL becomes exactly one ticket and one reply', async () => {
    const N = 240;
    let bridge = await startBridge(env, port);
    const status = new Map<number, number | 'error'>();
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < N) {
        const i = next++;
        status.set(i, await sendOne(bridge, i));
        // kill in the middle of the stream, with webhooks, ticket filing and sends all in flight
        if (!killed && status.size === 90) {
          killed = true;
          bridge.proc.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 12 }, worker));
    await bridge.exited;
    const acknowledged = [...status].filter(([, s]) => s === 200).map(([i]) => i);
    expect(acknowledged.length).toBeGreaterThanOrEqual(90);
    expect(acknowledged.length).toBeLessThan(N); // the kill really cut the stream

    // restart: what was acknowledged is resumed; Twilio would redeliver what was not, so do that too,
    // along with a few that were already acknowledged (duplicates)
    bridge = await startBridge(env, port);
    const redeliver = [...status].filter(([, s]) => s !== 200).map(([i]) => i);
    for (const i of [...redeliver, ...acknowledged.slice(0, 10)]) expect(await sendOne(bridge, i)).toBe(200);

    const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
    try {
      await until('every reply sent', async () => {
        const s = await store.stats();
        return s.tickets === N && s.outbox.pending === 0 && s.outbox.sending === 0 && s.outbox.sent + s.outbox.delivered === N;
      });
    } finally {
      await store.close();
    }
    bridge.proc.kill('SIGTERM');
    expect((await bridge.exited).code).toBe(0);

    const listed = await runCli(['tickets', 'list', '--json'], env);
    expect(listed.code).toBe(0);
    const tickets = JSON.parse(listed.stdout) as { ticketNo: string; sources: { externalId: string }[] }[];
    expect(tickets).toHaveLength(N);
    const sids = tickets.flatMap((t) => t.sources.map((s) => s.externalId));
    expect(new Set(sids).size).toBe(N);
    for (const i of acknowledged) expect(sids).toContain(smsParams(i).MessageSid);

    // exactly one SMS reached the provider per ticket, carrying its number
    const perTicket = new Map<string, number>();
    for (const m of fake.sent) {
      const no = /PMC\d+/u.exec(m.Body ?? '')?.[0];
      if (no) perTicket.set(no, (perTicket.get(no) ?? 0) + 1);
    }
    expect(perTicket.size).toBe(N);
    expect([...perTicket.values()].every((n) => n === 1)).toBe(true);
  }, 120_000);

  it('the same MessageSid delivered three times gives one ticket and one reply', async () => {
    const bridge = await startBridge(env, port);
    const params = smsParams(9000, { Body: 'पाणीपुरवठा बंद आहे, वारजे' });
    for (let k = 0; k < 3; k++) expect((await postSigned(`${bridge.url}/webhooks/sms/twilio`, publicUrl, params)).status).toBe(200);
    const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
    try {
      await until('the reply', async () => (await store.listOutbox({ state: 'sent' })).some((e) => e.message.inReplyTo === params.MessageSid));
      const t = await store.findTicketBySource({ channel: 'sms', accountId: TEST_FROM, externalId: params.MessageSid! });
      expect(t).toBeDefined();
      const mine = (await store.listTickets()).filter((x) => x.sources.some((s) => s.externalId === params.MessageSid));
      expect(mine).toHaveLength(1);
      expect(fake.sent.filter((m) => m.Body?.includes(t!.ticketNo))).toHaveLength(1);
      const archived = await store.getInboundBySource({ channel: 'sms', accountId: TEST_FROM, externalId: params.MessageSid! });
      expect(archived?.duplicates).toBe(2);
    } finally {
      await store.close();
      bridge.proc.kill('SIGTERM');
      await bridge.exited;
    }
  });
});
