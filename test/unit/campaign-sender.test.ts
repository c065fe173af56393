import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminError } from '../../src/admin/admin-error.ts';
import { loadMessages } from '../../src/bots/messages.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import type { Connector } from '../../src/connectors/connector.ts';
import type { Channel, OutboxEntry } from '../../src/model/index.ts';
import { campaignSender } from '../../src/notify/campaign-sender.ts';
import { CampaignService } from '../../src/notify/campaign-service.ts';
import { deliverOutbound } from '../../src/pipeline/deliver-outbound.ts';
import { RoutingTable } from '../../src/router/routing-table.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { ROOT } from '../support/bridge-process.ts';
import { OUR_NUMBER, recordingSmsConnector } from '../support/pipeline-parts.ts';
import { inbound } from '../contract/store-fixtures.ts';

const { config: SHIPPED } = loadConfig({ env: {}, dir: join(ROOT, 'config') });
const MESSAGES = loadMessages(join(ROOT, 'config', 'messages'));
const logger = pino({ level: 'silent' });
const DLT = { principalEntityId: '1101234567890123456', templates: { ack: '1107000000000000001', status: '1107000000000000002', rating: '1107000000000000003', campaign: '1107000000000000004' } };
// 11:00 IST
const MORNING = new Date('2026-12-02T05:30:00Z');
const later = (ms: number) => new Date(MORNING.getTime() + ms);
const CLI = { role: 'admin' as const, ref: 'cli:test' };

function configWith(over: { perSecond?: number; dlt?: typeof DLT | null; quiet?: boolean } = {}): Config {
  const dlt = over.dlt === null ? { principalEntityId: null, templates: { ack: null, status: null, rating: null, campaign: null } } : (over.dlt ?? DLT);
  return {
    ...SHIPPED,
    campaigns: { perSecond: over.perSecond ?? 20, smsSegmentCost: 0.13 },
    notify: { ...SHIPPED.notify, quietHours: over.quiet === false ? null : { from: '21:00', to: '08:00' } },
    channels: { ...SHIPPED.channels, sms: { ...SHIPPED.channels.sms, dlt } },
  };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function fakeConnector(channel: Channel, canReach?: (threadKey: string) => boolean): Connector {
  return { channel, accountIds: [`${channel}-account`], limits: {}, send: async () => ({ providerId: 'x' }), resend: { kind: 'idempotent', how: 'test' }, ...(canReach ? { canReach } : {}) };
}

async function setUp(config: Config) {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-campaign-send-'));
  const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => store.close());
  const sms = recordingSmsConnector();
  const connectors = [sms.connector, fakeConnector('facebook'), fakeConnector('webchat', () => false), fakeConnector('twitter')];
  const routing = new RoutingTable({ store, defaults: config.defaults, logger });
  const deps = { store, messages: MESSAGES, config, routing, connectors, logger, now: () => MORNING };
  let seq = 0;
  /** a citizen who sent START on `channel` at `at` */
  const optIn = async (channel: Channel = 'sms', at = MORNING) => {
    seq++;
    const who = channel === 'sms' ? `+9198765${String(seq).padStart(5, '0')}` : `${channel}-user-${seq}`;
    const [a] = await store.archiveInbound([inbound({ channel, accountId: `${channel}-account`, threadKey: who, sender: { id: who, ...(channel === 'sms' ? { phone: who } : {}) }, text: 'START' })]);
    const r = await store.campaigns.recordOpt({
      inboundId: a!.id,
      sighting: { channel, channelUserId: who, ...(channel === 'sms' ? { phone: who } : {}) },
      choice: 'in',
      via: { channel, accountId: `${channel}-account`, threadKey: who, to: who, at: at.toISOString() },
      language: 'mr',
      now: at,
    });
    return { contact: r.contact, who };
  };
  const service = new CampaignService({ store, config, now: () => MORNING });
  return { store, deps, sms, optIn, service };
}

const campaignEntries = async (store: SqliteStore, id: string): Promise<OutboxEntry[]> => (await store.listOutbox({ limit: 100_000 })).filter((e) => e.message.campaignId === id);

describe('the campaign sender', () => {
  it('queues at campaigns.perSecond, one message per contact, and a restart goes on from the cursor without a second one', async () => {
    const { store, deps, optIn, service } = await setUp(configWith({ perSecond: 20 }));
    for (let i = 0; i < 60; i++) await optIn();
    const text = 'पावसाळ्यापूर्वी नालेसफाई सुरू आहे. आपल्या भागातील तुंबलेल्या नाल्याची तक्रार 1800 1030 222 वर किंवा या क्रमांकावर SMS करून नोंदवा. — पुणे महानगरपालिका';
    const c = await service.create(CLI, { name: 'नालेसफाई', texts: { mr: text } });
    await service.schedule(CLI, c.id, MORNING);

    let sender = campaignSender(deps);
    expect(await sender.run(MORNING)).toHaveLength(20); // the first run: one second's worth
    expect(await sender.run(later(500))).toHaveLength(10);
    // a SIGKILL: the process's memory is gone, the store keeps the cursor
    sender = campaignSender(deps);
    expect(await sender.run(later(600))).toHaveLength(20);
    expect(await sender.run(later(1100))).toHaveLength(10);
    expect(await sender.run(later(60_000))).toHaveLength(0); // the audience is exhausted
    const done = await store.campaigns.get(c.id);
    expect(done).toMatchObject({ state: 'done', counts: { queued: 60, skipped: 0 } });

    const entries = await campaignEntries(store, c.id);
    expect(entries).toHaveLength(60);
    expect(new Set(entries.map((e) => e.message.to)).size).toBe(60);
    const one = entries[0]!.message;
    // as written (three SMS segments: the DLT template must match), with the campaign template's ids
    expect(one).toMatchObject({ channel: 'sms', accountId: OUR_NUMBER, kind: 'campaign', campaignId: c.id, text, language: 'mr', dlt: { entityId: DLT.principalEntityId, templateId: DLT.templates.campaign } });
    expect(one.idempotencyKey).toMatch(new RegExp(`^campaign:${c.id}:`));
  });

  it('reaches a contact without a phone where they last wrote, if that channel can carry it; others are skipped and counted', async () => {
    const { store, deps, optIn, service } = await setUp(configWith({ perSecond: 100 }));
    const fresh = await optIn('facebook', later(-3_600_000)); // wrote an hour ago: the Messenger window is open
    await optIn('facebook', later(-2 * 86_400_000)); // two days ago: closed
    await optIn('webchat'); // the chat has ended
    await optIn('twitter'); // an X DM to many is not allowed
    const c = await service.create(CLI, { name: 'Dengue', texts: { en: 'Dengue: empty standing water around your home every week.' }, audience: { languages: ['mr'] } }).catch((e: unknown) => e);
    expect(c).toBeInstanceOf(AdminError); // the audience is Marathi, the text is English only
    const ok = await service.create(CLI, { name: 'डेंग्यू', texts: { mr: 'डेंग्यू टाळण्यासाठी घराभोवती साचलेले पाणी दर आठवड्याला काढा.' } });
    await service.schedule(CLI, ok.id);
    const ids = await campaignSender(deps).run(MORNING);
    expect(ids).toHaveLength(1);
    expect((await store.getOutbox(ids[0]!))?.message).toMatchObject({ channel: 'facebook', to: fresh.who, threadKey: fresh.who, kind: 'campaign' });
    expect(await store.campaigns.get(ok.id)).toMatchObject({ state: 'done', counts: { queued: 1, skipped: 3 } });
  });

  it('queues nothing in quiet hours, and starts in the morning', async () => {
    const { store, deps, optIn, service } = await setUp(configWith());
    await optIn();
    const c = await service.create(CLI, { name: 'Water cut', texts: { mr: 'गुरुवारी कोथरूडमध्ये पाणीपुरवठा बंद राहील.', en: 'Water supply off on Thursday in Kothrud.' } });
    const night = new Date('2026-12-02T17:30:00Z'); // 23:00 IST
    await service.schedule(CLI, c.id, night);
    const sender = campaignSender(deps);
    expect(await sender.run(night)).toEqual([]);
    expect((await store.campaigns.get(c.id))?.state).toBe('scheduled');
    expect(await sender.run(new Date('2026-12-03T02:31:00Z'))).toHaveLength(1); // 08:01 IST
  });

  it('without the campaign template id a campaign cannot be scheduled, nor sent when the id goes missing later', async () => {
    const bare = await setUp(configWith({ dlt: null }));
    const c = await bare.service.create(CLI, { name: 'Tax', texts: { en: 'Property tax rebate until 31 May.' } });
    await expect(bare.service.schedule(CLI, c.id)).rejects.toMatchObject({ status: 409, message: expect.stringContaining('channels.sms.dlt.templates.campaign') });
    expect((await bare.service.preview(CLI, c.id)).problem).toContain('templates.campaign');

    // scheduled while the id was set; the bridge restarted with it removed
    const { store, deps, optIn, service } = await setUp(configWith());
    await optIn();
    const d = await service.create(CLI, { name: 'Tax', texts: { mr: 'मिळकत कर सवलत 31 मेपर्यंत.', en: 'Property tax rebate until 31 May.' } });
    await service.schedule(CLI, d.id);
    expect(await campaignSender({ ...deps, config: configWith({ dlt: null }) }).run(MORNING)).toEqual([]);
    expect((await store.campaigns.get(d.id))?.state).toBe('scheduled');
    // and goes once the id is back
    expect(await campaignSender(deps).run(MORNING)).toHaveLength(1);
  });
});

describe('a campaign message at its send', () => {
  it('is not sent to a contact who opted out since it was queued; their status update still is', async () => {
    const { store, deps, optIn, service, sms } = await setUp(configWith());
    const { contact, who } = await optIn();
    const c = await service.create(CLI, { name: 'Swachh', texts: { mr: 'कचरा ओला-सुका वेगळा करून द्या.' } });
    await service.schedule(CLI, c.id);
    const [queued] = await campaignSender(deps).run(MORNING);
    // the citizen sends STOP before the send
    const [a] = await store.archiveInbound([inbound({ threadKey: who, sender: { id: who, phone: who }, text: 'STOP' })]);
    await store.campaigns.recordOpt({ inboundId: a!.id, sighting: { channel: 'sms', channelUserId: who, phone: who }, choice: 'out', via: { channel: 'sms', accountId: OUR_NUMBER, threadKey: who, to: who, at: MORNING.toISOString() }, language: 'mr', now: MORNING });
    const [status] = await store.enqueueOutbound([{ channel: 'sms', accountId: OUR_NUMBER, threadKey: who, to: who, text: 'तक्रार क्रमांक PMC10001 वर काम सुरू झाले आहे.', language: 'mr', kind: 'status', ticketNo: 'PMC10001', idempotencyKey: 'status:PMC10001:1' }], MORNING);
    const deliver = { store, connectors: new Map([['sms', sms.connector]]), limiters: new Map(), retry: SHIPPED.pipeline.retry, now: () => MORNING };
    expect(await deliverOutbound((await store.getOutbox(queued!))!, deliver)).toMatchObject({ kind: 'dead', error: expect.stringMatching(/^opted out/) });
    expect(await deliverOutbound((await store.getOutbox(status!.id))!, deliver)).toMatchObject({ kind: 'sent' });
    expect(sms.sent.map((m) => m.kind)).toEqual(['status']);
    expect(contact.phone).toBe(who);

    // a campaign cancelled: what it had queued is not sent either
    for (let i = 0; i < 30; i++) await optIn();
    const d = await service.create(CLI, { name: 'Swachh 2', texts: { mr: 'कचरा रस्त्यावर टाकू नका.' } });
    await service.schedule(CLI, d.id);
    const [second] = await campaignSender(deps).run(later(5000));
    expect((await store.campaigns.get(d.id))?.state).toBe('sending'); // 20 of 30 queued
    await service.cancel(CLI, d.id);
    expect(await deliverOutbound((await store.getOutbox(second!))!, deliver)).toMatchObject({ kind: 'dead', error: expect.stringMatching(/^cancelled/) });
    expect(await campaignSender(deps).run(later(6000))).toEqual([]);
    expect(sms.sent.map((m) => m.kind)).toEqual(['status']);
  });
});
