import type { FastifyInstance } from 'fastify';
import { loadGazetteer } from './config/gazetteer.ts';
import { ConfigError, loadConfig } from './config/load.ts';
import { join, resolve } from 'node:path';
import { buildConversations } from './bots/build-bot.ts';
import { missingContacts } from './bots/messages.ts';
import { loadMessages } from './bots/messages.ts';
import { createNormalizer } from './normalizer/index.ts';
import type { Config } from './config/schema.ts';
import type { ChannelStatus, Connector } from './connectors/connector.ts';
import { CONNECTORS, type ConnectorDeps } from './connectors/registry.ts';
import type { AttachmentStore } from './attachments/attachment-store.ts';
import { FileAttachmentStore } from './attachments/file-attachment-store.ts';
import { createLogger, type Logger } from './http/logger.ts';
import { buildServer } from './http/server.ts';
import { Channel } from './model/index.ts';
import { InProcessQueue } from './pipeline/in-process-queue.ts';
import { IngestActivity } from './pipeline/ingest-activity.ts';
import { redactUrl } from './config/redact-url.ts';
import { Pipeline } from './pipeline/pipeline.ts';
import { ChannelHealth } from './pipeline/channel-health.ts';
import { PollScheduler } from './pipeline/poll-channels.ts';
import type { Queue } from './pipeline/queue.ts';
import { openConfiguredStore } from './store/open-store.ts';
import { mountAdmin } from './admin/index.ts';
import { textOverlay } from './admin/apply-texts.ts';
import { ensureBootstrapAdmin } from './admin/auth/bootstrap.ts';
import { seedAdminRecords, seedSourceOf } from './admin/seed.ts';
import { RoutingTable } from './router/routing-table.ts';
import { notifyTasks } from './notify/tasks.ts';
import type { Store } from './store/store.ts';

export interface App {
  config: Readonly<Config>;
  logger: Logger;
  store: Store;
  /** the files citizens sent (photos), kept by content */
  attachments: AttachmentStore;
  pipeline: Pipeline;
  server: FastifyInstance;
  channels: ChannelStatus[];
  /** each account of each channel: working, failing, or waiting for a person (/readyz, the start banner) */
  health: ChannelHealth;
  /** the pull channels' pollers (X, Facebook's catch-up); they run where webhooks are taken (roles all and web) */
  polls: PollScheduler;
  /** what the normalizer knows of the city: ward offices and categories read, and whether the bot talks */
  gazetteer: string[];
  /** the web admin as it stands: users, rules and SLA policies, or how to make the first user */
  admin: string;
  /** where the server listens, e.g. http://127.0.0.1:3978 (a worker does not listen) */
  url: string;
  stop(): Promise<void>;
}

async function openQueue(config: Readonly<Config>, logger: Logger, ingest: IngestActivity): Promise<Queue> {
  const onError = (topic: string, id: number, err: unknown) => logger.error({ topic, id, err }, 'job failed');
  const url = config.queue.url;
  if (url === 'memory:') {
    const b = config.pipeline.burst;
    return new InProcessQueue(onError, config.pipeline.jobsPerTurn, b.maxDelayMs > 0 ? b : undefined, ingest);
  }
  if (/^rediss?:\/\//.test(url)) {
    // BullMQ and ioredis are loaded only for a bridge that uses them: the in-process default stays lighter
    const { BullMqQueue, checkRedis } = await import('./pipeline/bullmq-queue.ts');
    // refuses an unreachable Redis or one that evicts keys, before any job is queued
    await checkRedis(url);
    return new BullMqQueue(url, { onError, onRedisError: (err) => logger.warn({ err }, 'Redis connection trouble'), lockMs: config.queue.lockSeconds * 1000 });
  }
  throw new ConfigError(`QUEUE_URL=${redactUrl(url)}: use memory: (the default) or redis://…`);
}


/** The composition root: picks the store, queue and connectors from config and wires them. */
export async function startApp(opts: { env?: NodeJS.ProcessEnv; configDir?: string; logger?: Logger } = {}): Promise<App> {
  const { config, dir, fromShipped } = loadConfig({ ...(opts.env ? { env: opts.env } : {}), ...(opts.configDir ? { dir: opts.configDir } : {}) });
  const logger = opts.logger ?? createLogger(config.log.level);
  if (fromShipped.length > 0)
    logger.warn({ file: join(dir, 'default.yaml'), keys: fromShipped }, 'config: keys this default.yaml lacks are taken from the shipped one; copy them in to change them');
  const gazetteer = loadGazetteer(dir);
  const ownAddresses = (config.channels.email.secrets?.mailboxes ?? []).map((m) => m.id);
  const normalize = createNormalizer({ ...gazetteer, ticketPrefix: config.tickets.prefix, ownAddresses });
  // what citizens read (config/messages), read and checked before anything starts
  const messages = loadMessages(join(dir, 'messages'));
  const store = await openConfiguredStore(config);
  // what config/ says of mappings, rules, SLA, departments and wards, written once; staff edit it from then on
  await seedAdminRecords(store, seedSourceOf(config, dir, gazetteer, messages), new Date());
  const bootstrap = await ensureBootstrapAdmin(store.admin, (opts.env ?? process.env).ADMIN_BOOTSTRAP_TOKEN || undefined, new Date());
  const routing = new RoutingTable({ store, defaults: config.defaults, categories: gazetteer.categories, calendarPath: join(dir, 'holidays.yaml'), logger });
  const overlay = textOverlay(messages);
  routing.onReload = async (records) => overlay(await records('text'), await records('department'));

  const connectors: Connector[] = [];
  const channels: ChannelStatus[] = [];
  // the store's own (GridFS, shared by every process) when it has one, else a folder on this machine
  const attachments = store.files ?? new FileAttachmentStore(resolve(config.attachments.dir));
  const health = new ChannelHealth(store, undefined, (err) => logger.warn({ err }, 'could not keep channel health in the store'));
  const connectorDeps: ConnectorDeps = {
    store,
    attachments,
    health,
    logger,
    // read when used, not copied: a text staff edit in the admin applies to the next chat and the next mail
    webChatGreeting: {
      get text() {
        return messages.mr.greeting;
      },
      choices: ['मराठी', 'हिंदी', 'English'],
    },
    emailSubjects: {
      get mr() {
        return messages.mr.emailSubject;
      },
      get hi() {
        return messages.hi.emailSubject;
      },
      get en() {
        return messages.en.emailSubject;
      },
    },
    categories: gazetteer.categories,
  };
  for (const channel of Channel.options) {
    const built = await CONNECTORS[channel](config, connectorDeps);
    if ('off' in built) channels.push({ channel, on: false, reason: built.off });
    else {
      connectors.push(built.connector);
      channels.push({ channel, on: true, reason: built.reason });
    }
  }

  // what an earlier run knew of each account, given the credentials each uses now
  await health.load((channel, accountId) => {
    const pollers = connectors.find((c) => c.channel === channel)?.pollers ?? [];
    return new Set(['account', ...pollers.filter((p) => p.accountId === accountId).map((p) => p.credential ?? 'account')]);
  });

  const ingest = new IngestActivity(undefined, undefined, config.pipeline.burst.webhooksAtOnce);
  const queue = await openQueue(config, logger, ingest);
  const role = config.pipeline.role;
  // a worker on the in-process queue hears of a web process's messages only through the store, so it looks
  // often; on a shared queue the web process queues them itself
  const sweepIntervalMs = role === 'worker' && !queue.shared ? config.pipeline.workerPollMs : config.pipeline.sweepIntervalMs;
  // one bot for the citizens' turns and the bridge's own (the rating reminders)
  const conversations = config.bot.enabled ? buildConversations({ store, messages, normalize, configDir: dir, gazetteer, config }) : undefined;
  const pipeline = new Pipeline({
    store,
    queue,
    connectors,
    logger,
    defaults: config.defaults,
    messages,
    normalize,
    categories: gazetteer.categories,
    routing,
    ticketPrefix: config.tickets.prefix,
    ...(conversations ? { conversations } : {}),
    retry: config.pipeline.retry,
    concurrency: config.pipeline.concurrency,
    ingest,
    sendPerMinute: config.pipeline.sendPerMinute,
    sweepIntervalMs,
    process: role !== 'web',
    deliver: role !== 'web',
    // the news of the resolution is queued once it settles; the question waits a sweep longer, to come after it
    ratings: { quietHours: config.notify.quietHours, afterResolvedMs: config.notify.settleSeconds * 1000 + sweepIntervalMs },
    tasks: notifyTasks({ store, messages, config, routing, connectors, logger, now: () => new Date(), ...(conversations ? { bot: { conversations, normalize } } : {}) }),
  });
  let accepting = true;
  const server = await buildServer({
    logger,
    bodyLimitBytes: config.server.bodyLimitBytes,
    requestTimeoutMs: config.server.requestTimeoutMs,
    behindProxy: config.server.behindProxy,
    clientLimits: config.server.clientLimits,
    connectors,
    channels,
    ctx: { intake: pipeline, store },
    accepting: () => accepting,
    archiveHealth: () => pipeline.archiveHealth(),
    queueHealth: () => pipeline.queueHealth(),
    health: () => health.list(),
  });
  if (role !== 'worker')
    mountAdmin(server, {
      store,
      categories: gazetteer.categories.map((c) => c.id),
      categoryNames: new Map(gazetteer.categories.map((c) => [c.id, c.name])),
      channels: () => channels,
      health: () => health.list(),
      changed: () => routing.refresh(),
      retried: () => void pipeline.sweep({ ratings: false }).catch((err: unknown) => logger.error({ err }, 'sweep after a retry failed')),
      publicBaseUrl: config.server.publicBaseUrl,
      behindProxy: config.server.behindProxy,
      // the same objects the overlay changes: /admin/texts shows what citizens are sent
      messages,
      campaigns: config,
      logger,
    });
  if (bootstrap === 'created')
    logger.warn('ADMIN_BOOTSTRAP_TOKEN made the first admin ("admin"): use it as an API token to create your users, then revoke it (POST /admin/api/tokens/<id>/disable) and unset the variable');
  else if (bootstrap === 'users-exist')
    logger.warn('ADMIN_BOOTSTRAP_TOKEN is set but the store has users: it makes no one now; unset it, and revoke its token if it still works');
  health.onRecovered = (channel, accountId) => {
    logger.info({ channel, accountId }, 'account works again: sending the replies it held');
    void store
      .releaseOutbox(channel, accountId, new Date())
      .then(() => pipeline.sweep({ ratings: false }))
      .catch((err: unknown) => logger.error({ err }, 'could not release held replies; they go at their next try'));
  };
  await pipeline.start();
  const polls = new PollScheduler({ connectors, intake: pipeline, store, health, logger, ticks: queue.ticks });
  if (role !== 'worker') await polls.start();
  // a worker takes no webhooks: the web process on the same store does
  const url = role === 'worker' ? '(worker: no HTTP server)' : await server.listen({ port: config.server.port, host: config.server.host });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      accepting = false;
      await server.close(); // waits for requests in flight: what they acknowledged is archived
      await polls.stop(); // a poll in flight archives what it read before the pipeline stops taking messages
      await pipeline.stop(); // lets running jobs finish
      for (const c of connectors) await c.close?.();
      await store.close();
    })());

  const bot = config.bot.enabled ? ['the bot (config/messages, config/intents) for conversational channels', ...missingContacts(messages, config.publicContacts).map((m) => `  ${m}: that answer gives the helpline`)] : ['no bot: messages are filed and acknowledged (bot.enabled: false)'];
  const count = async (kind: 'user' | 'rule' | 'sla') => (await store.admin.listRecords(kind)).length;
  const users = await count('user');
  const admin =
    role === 'worker'
      ? 'served by the web process'
      : `${url}/admin: ${users === 0 ? 'no staff users yet: set ADMIN_BOOTSTRAP_TOKEN (24+ random characters) or run  pmc-bridge users add' : `${users} staff users`}; ${await count('rule')} routing rules, ${await count('sla')} SLA policies`;
  const years = routing.calendar()?.years ?? [];
  const soon = new Date(Date.now() + 60 * 86_400_000).getUTCFullYear();
  const calendar = years.length === 0
    ? ['no holiday calendar (config/holidays.yaml): due dates in working days count clock days']
    : [`holidays of ${years.join(', ')} (config/holidays.yaml)${Math.max(...years) < soon ? `: add ${soon}'s before it starts, or its holidays are not skipped` : ''}`];
  return { config, logger, store, attachments, pipeline, server, channels, health, polls, gazetteer: [...gazetteer.summary, ...calendar, ...bot], admin, url, stop };
}
