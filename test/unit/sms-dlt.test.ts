import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import type { OutboundMessage } from '../../src/model/index.ts';
import { openConfiguredStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import { ROOT } from '../support/bridge-process.ts';

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function storeWithDltIds(): Promise<Store> {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-dlt-'));
  dirs.push(dir);
  const { config } = loadConfig({ env: { STORE_URL: `sqlite:${join(dir, 'bridge.db')}` }, dir: join(ROOT, 'config') });
  // the DLT ids as an operator sets them in config/local.yaml
  const withIds = { ...config, channels: { ...config.channels, sms: { ...config.channels.sms, dlt: { principalEntityId: '1101000000000000001', templates: { ack: '1107000000000000001', status: '1107000000000000002', rating: '1107000000000000003', campaign: '1107000000000000004' } } } } };
  const store = await openConfiguredStore(withIds);
  stores.push(store);
  return store;
}

const sms = (kind: OutboundMessage['kind'], key: string): OutboundMessage => ({
  channel: 'sms', accountId: '+912066000000', threadKey: '+919822000001', to: '+919822000001', text: 'तक्रार क्रमांक PMC10001 नोंदवली आहे.', language: 'mr', kind, idempotencyKey: key,
});

describe('DLT ids on SMS outbox entries', () => {
  it('every SMS kind carries its template and the principal entity, whoever queues it; other channels and kinds do not', async () => {
    const store = await storeWithDltIds();
    await store.enqueueOutbound([sms('ack', 'a'), sms('status', 's'), sms('feedback_request', 'r'), sms('reply', 'x'), { ...sms('ack', 'e'), channel: 'email', to: 'a@example.org', threadKey: 'to:a@example.org' }]);
    const byKey = new Map((await store.listOutbox()).map((e) => [e.message.idempotencyKey, e.message.dlt]));
    expect(byKey.get('a')).toEqual({ entityId: '1101000000000000001', templateId: '1107000000000000001' });
    expect(byKey.get('s')).toEqual({ entityId: '1101000000000000001', templateId: '1107000000000000002' });
    expect(byKey.get('r')).toEqual({ entityId: '1101000000000000001', templateId: '1107000000000000003' });
    // a reply inside a conversation has no template kind of its own; an email is no SMS
    expect(byKey.get('x')).toBeUndefined();
    expect(byKey.get('e')).toBeUndefined();
  });
});
