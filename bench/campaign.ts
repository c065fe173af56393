// npm run bench -- campaign: an awareness campaign through a real bridge process, the fake Twilio API as provider.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load.ts';
import type { InboundMessage } from '../src/model/index.ts';
import { CampaignService } from '../src/notify/campaign-service.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { freePort, startBridge } from '../test/support/bridge-process.ts';
import { startFakeTwilioApi } from '../test/support/fake-twilio-api.ts';
import { copyShippedConfig } from '../test/support/shipped-config.ts';
import { smsBridgeEnv, TEST_FROM } from '../test/support/sms-webhooks.ts';

const TEXT = 'पाणी जपून वापरा. गळती दिसल्यास 1800 1030 222 वर कळवा. — पुणे महानगरपालिका';
const phoneOf = (i: number) => `+9196${String(10_000_000 + i).slice(-8)}`;

/** the bridge's peak resident set (VmHWM), in MB; Linux only */
function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

export interface CampaignBench {
  contacts: number;
  perSecond: number;
  messagesPerSec: number;
  seconds: number;
  peakRssMb: number;
}

/**
 * `contacts` opted-in SMS citizens, one campaign at `perSecond`: what reached the provider a second, and the bridge's
 * peak RSS. `heapMb` caps V8's old space: the peak then shows what is live, not garbage not yet collected.
 */
export async function benchCampaign(contacts = 20_000, perSecond = 1000, heapMb?: number): Promise<CampaignBench> {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-bench-campaign-'));
  const fake = await startFakeTwilioApi();
  try {
    const configDir = join(dir, 'config');
    copyShippedConfig(configDir);
    writeFileSync(
      join(configDir, 'local.yaml'),
      `channels: { sms: { dlt: { principalEntityId: '1101234567890123456', templates: { ack: null, status: null, rating: null, campaign: '1107000000000000004' } } } }\nnotify: { quietHours: null }\ncampaigns: { perSecond: ${perSecond} }\npipeline: { sweepIntervalMs: 200 }\n`,
    );
    const file = join(dir, 'bridge.db');
    const env = { ...smsBridgeEnv(file, fake.url), PMC_CONFIG_DIR: configDir, ...(heapMb ? { NODE_OPTIONS: `--max-old-space-size=${heapMb}` } : {}) };
    const store = SqliteStore.open(file, { ticketPrefix: 'PMC', firstTicketNumber: 10001, archiveSync: 'NORMAL' });
    try {
      const at = new Date();
      const messages: InboundMessage[] = Array.from({ length: contacts }, (_, i) => ({ channel: 'sms', accountId: TEST_FROM, externalId: `SM${(0xb0000 + i).toString(16).padStart(32, '0')}`, threadKey: phoneOf(i), sender: { id: phoneOf(i), phone: phoneOf(i) }, receivedAt: at.toISOString(), text: 'START', attachments: [], raw: {} }));
      const archived = await store.archiveInbound(messages);
      for (let i = 0; i < contacts; i++) {
        const who = phoneOf(i);
        await store.campaigns.recordOpt({ inboundId: archived[i]!.id, sighting: { channel: 'sms', channelUserId: who, phone: who }, choice: 'in', via: { channel: 'sms', accountId: TEST_FROM, threadKey: who, to: who, at: at.toISOString() }, language: 'mr', now: at });
      }
      const service = new CampaignService({ store, config: loadConfig({ env, dir: configDir }).config });
      const caller = { role: 'admin' as const, ref: 'bench' };
      const { id } = await service.create(caller, { name: 'bench', texts: { mr: TEXT } });
      await service.schedule(caller, id);
    } finally {
      await store.close();
    }
    const bridge = await startBridge(env, await freePort());
    const sent = () => fake.sent.length;
    const deadline = Date.now() + (contacts / perSecond) * 1000 * 3 + 60_000;
    while (sent() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const first = Date.now();
    while (sent() < contacts && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const seconds = (Date.now() - first) / 1000;
    const peak = peakRssMb(bridge.proc.pid!);
    bridge.proc.kill('SIGTERM');
    await bridge.exited;
    return { contacts, perSecond, messagesPerSec: Math.round(sent() / seconds), seconds: Math.round(seconds * 10) / 10, peakRssMb: peak };
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
