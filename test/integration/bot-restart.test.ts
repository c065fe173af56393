import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { freePort, ROOT, startBridge, type BridgeProcess } from '../support/bridge-process.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { postSigned, smsBridgeEnv, smsParams } from '../support/sms-webhooks.ts';
import { until } from '../support/wait.ts';

const mr = parseYaml(readFileSync(join(ROOT, 'config', 'messages', 'mr.yaml'), 'utf8')) as Record<string, string>;
const PUBLIC_HOOK = 'https://bridge.example.test/webhooks/sms/twilio';

// The bot's state lives in the store, not the process: a bridge killed mid-conversation (SIGKILL, no goodbye)
// and started again continues the citizen's complaint where it was.
describe('a conversation across a killed and restarted bridge (child processes, one SQLite file)', () => {
  let dir: string;
  let fake: FakeTwilioApi;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pmc-bot-restart-'));
    fake = await startFakeTwilioApi();
    env = smsBridgeEnv(join(dir, 'bridge.db'), fake.url);
  });
  afterAll(async () => {
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const citizen = '+919812300077';
  let n = 7000;
  const writes = async (bridge: BridgeProcess, body: string) => {
    const res = await postSigned(`${bridge.url}/webhooks/sms/twilio`, PUBLIC_HOOK, smsParams(++n, { From: citizen, Body: body }));
    await res.arrayBuffer();
    expect(res.status).toBe(200);
  };
  const texts = () => fake.sent.filter((m) => m.To === citizen).map((m) => m.Body);
  const nth = (count: number) => until(`${count} SMS to the citizen`, () => (texts().length >= count ? texts() : undefined), 20_000);

  it('asks "where?", is killed, and after the restart takes the answer and files the ticket', async () => {
    let bridge = await startBridge(env, await freePort());
    await writes(bridge, 'आमच्या गल्लीत तीन दिवसांपासून कचरा उचलला नाही');
    expect((await nth(1))[0]).toBe(mr.askWhereText);
    bridge.proc.kill('SIGKILL');
    await bridge.exited;

    bridge = await startBridge(env, await freePort());
    try {
      await writes(bridge, 'कोथरूड, करिश्मा सोसायटी');
      const filed = (await nth(2))[1]!;
      const ticketNo = /PMC\d+/u.exec(filed)?.[0];
      expect(ticketNo, filed).toBeDefined();
      const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
      try {
        const ticket = await store.getTicket(ticketNo!);
        expect(ticket).toMatchObject({ language: 'mr', ward: 'kothrud-bavdhan', category: 'garbage' });
        expect(ticket!.sources).toHaveLength(2); // the message before the kill is part of the complaint
        expect(ticket!.description.original).toContain('कचरा उचलला नाही');
      } finally {
        await store.close();
      }
    } finally {
      bridge.proc.kill('SIGTERM');
      await bridge.exited;
    }
  });
});
