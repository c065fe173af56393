import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import type { InboundMessage } from '../../src/model/index.ts';
import { CampaignService } from '../../src/notify/campaign-service.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { freePort, startBridge } from '../support/bridge-process.ts';
import { startFakeTwilioApi } from '../support/fake-twilio-api.ts';
import { copyShippedConfig } from '../support/shipped-config.ts';
import { smsBridgeEnv, TEST_FROM } from '../support/sms-webhooks.ts';
import { until } from '../support/wait.ts';

type Fake = Awaited<ReturnType<typeof startFakeTwilioApi>>;

const N = 10_000;
const PER_SECOND = 500;
const TEXT = 'पावसाळ्यापूर्वी नालेसफाई सुरू आहे. तुंबलेल्या नाल्याची तक्रार 1800 1030 222 वर नोंदवा. — पुणे महानगरपालिका';
const LOCAL_YAML = `
channels:
  sms:
    dlt:
      principalEntityId: '1101234567890123456'
      templates: { ack: null, status: null, rating: null, campaign: '1107000000000000004' }
notify:
  quietHours: null
campaigns:
  perSecond: ${PER_SECOND}
pipeline:
  sweepIntervalMs: 200
`;
/** the states of the campaign's outbox entries whose recipient the provider never got, and a few of their errors */
async function whereMissing(store: SqliteStore, reached: Set<string>): Promise<string> {
  const missing = (await store.listOutbox({ limit: 100_000 })).filter((e) => e.message.kind === 'campaign' && !reached.has(e.message.to));
  const states = new Map<string, number>();
  for (const e of missing) states.set(e.state, (states.get(e.state) ?? 0) + 1);
  return `missing ${missing.length}: ${JSON.stringify(Object.fromEntries(states))}; e.g. ${JSON.stringify(missing.slice(0, 3).map((e) => ({ id: e.id, state: e.state, attempts: e.attempts, error: e.lastError, providerId: e.providerId })))}`;
}

const phoneOf = (i: number) => `+9197${String(10_000_000 + i).slice(-8)}`;

/** N citizens who sent START (as an import of the opted-in list would leave them), written straight to the store */
async function seedOptedIn(store: SqliteStore): Promise<void> {
  const at = new Date();
  const messages: InboundMessage[] = Array.from({ length: N }, (_, i) => ({
    channel: 'sms',
    accountId: TEST_FROM,
    externalId: `SM${(0xa0000 + i).toString(16).padStart(32, '0')}`,
    threadKey: phoneOf(i),
    sender: { id: phoneOf(i), phone: phoneOf(i) },
    receivedAt: at.toISOString(),
    text: 'START',
    attachments: [],
    raw: {},
  }));
  const archived = await store.archiveInbound(messages);
  for (let i = 0; i < N; i++) {
    const who = phoneOf(i);
    await store.campaigns.recordOpt({ inboundId: archived[i]!.id, sighting: { channel: 'sms', channelUserId: who, phone: who }, choice: 'in', via: { channel: 'sms', accountId: TEST_FROM, threadKey: who, to: who, at: at.toISOString() }, language: 'mr', now: at });
  }
}

describe('a campaign to 10,000 contacts (the bridge as a child process)', () => {
  let dir: string;
  let fake: Fake;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pmc-campaign-crash-'));
    const configDir = join(dir, 'config');
    copyShippedConfig(configDir);
    writeFileSync(join(configDir, 'local.yaml'), LOCAL_YAML);
    fake = await startFakeTwilioApi();
    env = { ...smsBridgeEnv(join(dir, 'bridge.db'), fake.url), PMC_CONFIG_DIR: configDir };
  });
  afterAll(async () => {
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('respects the rate and, SIGKILLed mid-campaign and restarted, sends each contact exactly one message', async () => {
    const file = join(dir, 'bridge.db');
    const store = SqliteStore.open(file, { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
    let id: string;
    try {
      await seedOptedIn(store);
      const { config } = loadConfig({ env, dir: join(dir, 'config') });
      const service = new CampaignService({ store, config });
      const caller = { role: 'admin' as const, ref: 'cli:test' };
      id = (await service.create(caller, { name: 'नालेसफाई', texts: { mr: TEXT } })).id;
      expect((await service.preview(caller, id)).total).toMatchObject({ contacts: N, bySms: N });
      await service.schedule(caller, id);
    } finally {
      await store.close();
    }
    const campaignSent = () => fake.sent.filter((m) => m.Body === TEXT);

    const port = await freePort();
    const started = Date.now();
    let bridge = await startBridge(env, port);
    // killed with sends in flight: a third of the way through
    await until('a third of the campaign sent', () => campaignSent().length >= N / 3, 60_000);
    bridge.proc.kill('SIGKILL');
    await bridge.exited;
    const beforeKill = campaignSent().length;
    expect(beforeKill).toBeLessThan(N);

    bridge = await startBridge(env, port);
    const check = SqliteStore.open(file, { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
    try {
      await until(
        'the campaign done and its outbox drained',
        async () => {
          // the campaign first: 'done' is committed with its last batch's entries, so counts read after it include
          // them (read the other way round, a drained outbox just before the last batch passed for the end)
          const done = (await check.campaigns.get(id))?.state === 'done';
          const s = await check.stats();
          return done && s.outbox.pending === 0 && s.outbox.sending === 0;
        },
        90_000,
      );
      const elapsedS = (Date.now() - started) / 1000;
      expect(await check.campaigns.get(id)).toMatchObject({ counts: { queued: N, skipped: 0 } });
      // each contact exactly one message at the provider
      const perRecipient = new Map<string, number>();
      for (const m of campaignSent()) perRecipient.set(m.To!, (perRecipient.get(m.To!) ?? 0) + 1);
      // when some are missing, say where their outbox entries ended
      const why = perRecipient.size === N ? '' : await whereMissing(check, new Set(perRecipient.keys()));
      expect(perRecipient.size, why).toBe(N);
      expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
      // the rate: at most one second's worth at each start beyond perSecond a second (a lower bound only)
      expect(elapsedS).toBeGreaterThanOrEqual(N / PER_SECOND - 2);
      process.stdout.write(`campaign: ${N} messages in ${elapsedS.toFixed(1)} s with a SIGKILL after ${beforeKill} (${PER_SECOND}/s configured)\n`);
    } finally {
      await check.close();
      bridge.proc.kill('SIGTERM');
      await bridge.exited;
    }
  }, 150_000);
});
