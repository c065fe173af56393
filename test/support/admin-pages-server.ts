import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { mountAdmin } from '../../src/admin/index.ts';
import { loadMessages } from '../../src/bots/messages.ts';
import { registerBodyParsers } from '../../src/http/form-body.ts';
import { createLogger } from '../../src/http/logger.ts';
import { ChannelHealth } from '../../src/pipeline/channel-health.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { ROOT } from './bridge-process.ts';

export const PAGE_CATEGORIES = ['garbage', 'water-supply', 'roads'];

export interface AdminPagesServer {
  base: string;
  store: SqliteStore;
  /** how many times a dead letter's retry asked for a sweep */
  retries: number;
  /** the accounts' health the channels page shows: a test reports an account failing or refused here */
  health: ChannelHealth;
  close(): Promise<void>;
}

/**
 * The admin (sign-in, API, pages) on a bare fastify over a temp SQLite store, with a few departments and ward
 * offices: what the page tests need, without a whole bridge.
 */
export async function startAdminPagesServer(): Promise<AdminPagesServer> {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-admin-pages-'));
  const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
  const named = [
    { kind: 'department' as const, id: 'SWM', data: { id: 'SWM', name: { en: 'Solid Waste Management', mr: 'घनकचरा व्यवस्थापन विभाग' }, enabled: true } },
    { kind: 'department' as const, id: 'WATER', data: { id: 'WATER', name: { en: 'Water Supply', mr: 'पाणीपुरवठा विभाग' }, enabled: true } },
    { kind: 'ward' as const, id: 'kothrud-bavdhan', data: { id: 'kothrud-bavdhan', name: { en: 'Kothrud-Bavdhan', mr: 'कोथरूड-बावधन' }, enabled: true } },
    { kind: 'ward' as const, id: 'hadapsar-mundhwa', data: { id: 'hadapsar-mundhwa', name: { en: 'Hadapsar-Mundhwa', mr: 'हडपसर-मुंढवा' }, enabled: true } },
  ];
  await store.admin.saveRecords(named.map((r) => ({ ...r, action: 'seed' })), 'config', new Date());
  const server: FastifyInstance = Fastify();
  let retries = 0;
  const health = new ChannelHealth(store);
  registerBodyParsers(server);
  mountAdmin(server, {
    store,
    categories: PAGE_CATEGORIES,
    channels: () => [{ channel: 'sms', on: true, reason: 'Twilio +912066000000' }],
    health: () => health.list(),
    changed: async () => undefined,
    retried: () => void retries++,
    messages: loadMessages(join(ROOT, 'config', 'messages')),
    logger: createLogger('silent'),
  });
  const base = await server.listen({ port: 0, host: '127.0.0.1' });
  return {
    base,
    store,
    health,
    get retries() {
      return retries;
    },
    close: async () => {
      await server.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
