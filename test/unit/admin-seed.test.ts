// What config gives a store: each record once; what staff deleted stays deleted; what the files add later arrives.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seedAdminRecords, type SeedSource } from '../../src/admin/seed.ts';
import { ChannelMapping } from '../../src/model/index.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { SHIPPED } from '../support/bot-parts.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function store(): SqliteStore {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-seed-'));
  dirs.push(dir);
  return SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
}
const sms = ChannelMapping.parse({ id: 'sms-default', channel: 'sms', accountId: '*', department: 'call-centre', defaultLanguage: 'mr', replyPolicy: 'conversational' });
const source = (over: Partial<SeedSource> = {}): SeedSource => ({
  mappings: [sms],
  categories: SHIPPED.gazetteer.categories,
  rules: [],
  sla: [{ id: 'default', category: '*', hours: 72, enabled: true }],
  messages: SHIPPED.messages,
  wards: SHIPPED.gazetteer.wards,
  defaultDepartment: 'call-centre',
  ...over,
});

describe('seeding the store from config', () => {
  it('gives each record once, keeps what staff deleted deleted, and brings what the files add later, with its department', async () => {
    const s = store();
    try {
      const at = new Date('2026-12-01T04:30:00Z');
      await seedAdminRecords(s, source(), at);
      expect((await s.admin.listRecords('rule')).map((r) => r.id)).toContain('category-garbage');
      await s.admin.saveRecords([{ kind: 'rule', id: 'category-garbage', data: null, action: 'delete' }], 'user:asha', at);
      const solar = ChannelMapping.parse({ id: 'sms-solar', channel: 'sms', accountId: '+912066007777', department: 'SOLAR', defaultLanguage: 'hi', replyPolicy: 'one-shot' });
      const trees = { id: 'tree-cutting', department: 'GARDEN', name: { en: 'Tree cutting', mr: 'वृक्षतोड', hi: 'पेड़ कटाई' }, keywords: { en: ['tree cutting'] } };
      await seedAdminRecords(s, source({ mappings: [sms, solar], categories: [...SHIPPED.gazetteer.categories, trees as never] }), at);
      expect(await s.admin.getRecord('rule', 'category-garbage')).toBeUndefined();
      expect(await s.admin.getRecord('mapping', 'sms-solar')).toBeDefined();
      expect(await s.admin.getRecord('department', 'SOLAR')).toMatchObject({ data: { id: 'SOLAR', name: { en: 'SOLAR' } } });
      expect(await s.admin.getRecord('rule', 'category-tree-cutting')).toMatchObject({ data: { then: { department: 'GARDEN' } } });
      const audit = await s.admin.listAudit({ kind: 'mapping', recordId: 'sms-solar', limit: 5 });
      expect(audit[0]).toMatchObject({ actor: 'config', action: 'seed' });
    } finally {
      await s.close();
    }
  });
});
