import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { buildConversations } from '../src/bots/build-bot.ts';
import { loadMessages } from '../src/bots/messages.ts';
import { loadGazetteer } from '../src/config/gazetteer.ts';
import { loadConfig } from '../src/config/load.ts';
import type { Connector } from '../src/connectors/connector.ts';
import type { InboundMessage } from '../src/model/index.ts';
import { createNormalizer } from '../src/normalizer/index.ts';
import { InProcessQueue } from '../src/pipeline/in-process-queue.ts';
import { IngestActivity } from '../src/pipeline/ingest-activity.ts';
import { Pipeline } from '../src/pipeline/pipeline.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';

const TEXTS = [
  'माझ्या भागात तीन दिवसांपासून कचरा उचलला गेला नाही, कोथरूड',
  'हडपसर में हमारी गली में दो दिन से पानी नहीं आ रहा है',
  'Streetlight not working near Karve Road bus stop for a week',
  'रस्त्यावर मोठा खड्डा आहे, अपघात होऊ शकतो. लवकर दुरुस्त करा. प्रभाग क्र. १२, शिवाजीनगर',
];

/** A synthetic SMS, ~160 characters of realistic text; the numbers are made up. */
export function benchMessage(i: number): InboundMessage {
  const from = `+9198${String(10_000_000 + (i % 50_000)).slice(-8)}`;
  return {
    channel: 'sms',
    accountId: '+912066000000',
    externalId: `SMbench${i}`,
    threadKey: from,
    sender: { id: from, phone: from },
    receivedAt: new Date().toISOString(),
    text: `${TEXTS[i % TEXTS.length]} #${i}`,
    attachments: [],
    raw: { MessageSid: `SMbench${i}`, From: from, Body: TEXTS[i % TEXTS.length] },
  };
}

/** The real pipeline on a SQLite temp file; replies stop in the outbox (the channel's send is a no-op). */
export async function pipelineHarness(onProcessed: (id: number, message: InboundMessage) => void, opts: { deliver?: boolean; bot?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-bench-'));
  const { config, dir: configDir } = loadConfig({ env: {} });
  // the normalizer as the bridge builds it, with the shipped ward offices and categories
  const gazetteer = loadGazetteer(configDir);
  const normalize = createNormalizer({ ...gazetteer, ticketPrefix: config.tickets.prefix });
  const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001, archiveSync: (process.env.BENCH_SYNC as 'FULL' | 'NORMAL') ?? 'FULL' });
  const sms: Connector = { channel: 'sms', accountIds: ['+912066000000'], limits: { maxSegments: 2 }, send: async (_m, o) => ({ providerId: `SMsent${o.outboxId}` }), resend: { kind: 'idempotent', how: 'sends nothing' } };
  const messages = loadMessages(join(configDir, 'messages'));
  const ingest = new IngestActivity(undefined, undefined, config.pipeline.burst.webhooksAtOnce);
  const pipeline = new Pipeline({
    store,
    // as the bridge builds it (app.ts): while accepted messages queue up it yields to the event loop every
    // jobsPerTurn jobs, and during a burst of them (a backlog past pipeline.burst.backlog) starts few
    queue: new InProcessQueue(undefined, config.pipeline.jobsPerTurn, config.pipeline.burst.maxDelayMs > 0 ? config.pipeline.burst : undefined, ingest),
    ingest,
    connectors: [sms],
    logger: pino({ level: 'silent' }),
    defaults: config.defaults,
    messages,
    // the bot, as conversational SMS runs by default: every text above says what and where, so it files at once
    ...(opts.bot ? { conversations: buildConversations({ store, messages, normalize, configDir, gazetteer, config }) } : {}),
    ticketPrefix: config.tickets.prefix,
    normalize,
    categories: gazetteer.categories,
    retry: config.pipeline.retry,
    concurrency: config.pipeline.concurrency,
    sweepIntervalMs: 60_000,
    onProcessed,
    deliver: opts.deliver ?? true,
  });
  await pipeline.start();
  return {
    pipeline,
    store,
    async close() {
      await pipeline.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
