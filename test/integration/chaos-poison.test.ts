import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.ts';
import type { DeadLetter } from '../../src/store/store.ts';
import { runCli } from '../support/bridge-process.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { FAST_PIPELINE_YAML, localBridgeEnv, SMS_HOOK_PUBLIC } from '../support/in-process-bridge.ts';
import { copyShippedConfig } from '../support/shipped-config.ts';
import { postSigned, smsParams, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_FROM } from '../support/sms-webhooks.ts';
import { until } from '../support/wait.ts';

// A poison message is one no stage can ever handle. None can be made through a webhook (the connectors check
// every field), so these are what an older version's archive or a damaged disk leaves in the real SQLite file,
// written there while the bridge is stopped, as a restore or a disk repair would leave them.

/** the citizen whose stored rows are damaged, and who writes again */
const POISONED = smsParams(7000).From!;

function insertInbound(file: string, externalId: string, json: string): void {
  const db = new Database(file);
  const now = new Date().toISOString();
  db.prepare(`INSERT INTO inbound (channel, account_id, external_id, message, next_attempt_at, archived_at, updated_at) VALUES ('sms', ?, ?, ?, ?, ?, ?)`)
    .run(TEST_FROM, externalId, json, now, now, now);
  db.close();
}

/** a sound message of POISONED, torn in the middle of a Devanagari character: what a lost page of the file leaves */
function tornMessage(): string {
  const whole = JSON.stringify({
    channel: 'sms', accountId: TEST_FROM, externalId: 'SMtorn', threadKey: POISONED, sender: { id: POISONED, phone: POISONED },
    receivedAt: new Date().toISOString(), text: 'कोथरूड मध्ये कचरा उचलला नाही', attachments: [], raw: {},
  });
  return whole.slice(0, whole.indexOf('कोथरूड') + 2);
}

/** valid JSON of another shape: the body under another name, no thread, no sender */
const olderShape = () => JSON.stringify({ channel: 'sms', accountId: TEST_FROM, externalId: 'SMolder', from: POISONED, body: 'हडपसर में पानी नहीं', receivedAt: new Date().toISOString() });

// one citizen each, in Marathi, Hindi and English; the first is POISONED writing again
const SOUND = [
  smsParams(7100, { From: POISONED, Body: 'वारजे पुलाजवळ आठवडाभर पथदिवे बंद आहेत' }),
  smsParams(7101, { Body: 'हडपसर में हमारी गली में दो दिन से पानी नहीं आ रहा है' }),
  smsParams(7102, { Body: 'Streetlight not working near Karve Road bus stop for a week' }),
  smsParams(7103, { Body: 'कोथरूड येथे रस्त्यावर मोठा खड्डा आहे, अपघात होऊ शकतो' }),
];

describe('poison messages (the whole bridge in this process, a real SQLite file)', () => {
  let fake: FakeTwilioApi;
  let dir: string;
  let env: Record<string, string>;
  let app: App | undefined;

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** a bridge on a file of its own, with retries in milliseconds and a sweep every 100 ms, and a Twilio of its own */
  const fresh = async () => {
    fake = await startFakeTwilioApi({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN });
    dir = mkdtempSync(join(tmpdir(), 'pmc-poison-'));
    copyShippedConfig(dir);
    writeFileSync(join(dir, 'local.yaml'), FAST_PIPELINE_YAML);
    env = { ...(await localBridgeEnv(dir)), TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID, TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, TWILIO_FROM: TEST_FROM, TWILIO_API_BASE: fake.url };
  };
  const start = async () => (app = await startApp({ configDir: dir, env }));
  const stop = async () => {
    await app!.stop();
    app = undefined;
  };
  // once more on a fresh connection: after a restart on the same port, fetch's pool may hold a socket the old server closed
  const post = async (p: Record<string, string>) => {
    const send = async () => (await postSigned(`${app!.url}/webhooks/sms/twilio`, SMS_HOOK_PUBLIC, p)).status;
    return send().catch(send);
  };
  /** what an operator lists: `pmc-bridge dead-letters --json` */
  const listedByCli = async () => {
    const out = await runCli(['dead-letters', '--json'], { STORE_URL: env.STORE_URL!, PMC_CONFIG_DIR: dir });
    expect(out.code, out.stderr).toBe(0);
    return JSON.parse(out.stdout) as DeadLetter[];
  };

  /** every sound message is one ticket, answered once, to the citizen who wrote it */
  const expectFiledAndAnswered = async (messages: Record<string, string>[]) => {
    const tickets = await until('a ticket and a sent reply for every sound message', async () => {
      const found = await Promise.all(messages.map((p) => app!.store.findTicketBySource({ channel: 'sms', accountId: TEST_FROM, externalId: p.MessageSid! })));
      if (found.some((t) => !t)) return undefined;
      const numbers = found.map((t) => t!.ticketNo);
      return numbers.every((no) => fake.sent.some((m) => m.Body?.includes(no))) ? numbers : undefined;
    }, 20_000);
    expect(new Set(tickets).size).toBe(messages.length);
    const repliesTo = tickets.map((no) => fake.sent.filter((m) => /PMC\d+/u.exec(m.Body ?? '')?.[0] === no).map((m) => m.To));
    expect(repliesTo).toEqual(messages.map((p) => [p.From]));
  };

  it('a torn or unreadable message in the archive: the bridge starts, each is a dead letter with its reason, tried no more, and the rest flow on', async () => {
    await fresh();
    await start(); // the file and its schema, as the bridge makes them
    await stop();
    const file = join(dir, 'bridge.db');
    insertInbound(file, 'SMtorn', tornMessage());
    insertInbound(file, 'SMolder', olderShape());

    await start();
    for (const p of SOUND) expect(await post(p)).toBe(200);
    await expectFiledAndAnswered(SOUND);

    const dead = await until('both damaged messages in the dead letters', async () => {
      const list = await app!.store.listDeadLetters();
      return list.length >= 2 ? list : undefined;
    });
    expect(dead.map((d) => [d.kind, d.summary]).sort()).toEqual([
      ['inbound', `sms/${TEST_FROM}/SMolder`],
      ['inbound', `sms/${TEST_FROM}/SMtorn`],
    ]);
    const reason = (id: string) => dead.find((d) => d.summary.endsWith(id))!.error;
    expect(reason('SMtorn')).toMatch(/JSON/);
    expect(reason('SMolder')).toMatch(/not one this version reads \(threadKey is missing, text is missing, sender\.id is missing\)/);

    // sweeps pick up every due message: a dead letter is not one, and no sweep fails on it
    for (let k = 0; k < 3; k++) await app!.pipeline.sweep();
    expect(await app!.store.listDeadLetters()).toEqual(dead);
    await stop();
    expect(await listedByCli()).toEqual(dead);
    expect(fake.sent).toHaveLength(SOUND.length);
  }, 60_000);

  it('a citizen whose conversation state is torn: their next message is still filed and answered', async () => {
    await fresh();
    await start();
    const first = smsParams(7000, { Body: 'कोथरूड मध्ये तीन दिवसांपासून कचरा उचलला गेला नाही' });
    expect(await post(first)).toBe(200);
    await expectFiledAndAnswered([first]);
    await stop();
    const db = new Database(join(dir, 'bridge.db'));
    const torn = db.prepare(`UPDATE conversations SET data = substr(data, 1, length(data) / 2) WHERE key LIKE ?`).run(`%${POISONED}%`);
    db.close();
    expect(torn.changes).toBe(1);

    await start();
    for (const p of SOUND) expect(await post(p)).toBe(200);
    await expectFiledAndAnswered([first, ...SOUND]);
    expect(await app!.store.listDeadLetters()).toEqual([]);
  }, 60_000);
});
