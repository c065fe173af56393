import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { freePort, runCli, startBridge, type BridgeProcess } from '../support/bridge-process.ts';
import { startFakeTwilioApi } from '../support/fake-twilio-api.ts';
import { copyShippedConfig } from '../support/shipped-config.ts';
import { postSigned, smsBridgeEnv, smsParams } from '../support/sms-webhooks.ts';
import { until } from '../support/wait.ts';

type Fake = Awaited<ReturnType<typeof startFakeTwilioApi>>;

const DLT_YAML = `
channels:
  sms:
    dlt:
      principalEntityId: '1101234567890123456'
      templates: { ack: '1107000000000000001', status: '1107000000000000002', rating: '1107000000000000003', campaign: '1107000000000000004' }
notify:
  quietHours: null
  settleSeconds: 0
campaigns:
  perSecond: 50
pipeline:
  sweepIntervalMs: 200
`;

const CAMPAIGN = {
  mr: 'डेंग्यू टाळण्यासाठी घराभोवती साचलेले पाणी दर आठवड्याला काढा. — पुणे महानगरपालिका',
  hi: 'डेंगू से बचने के लिए घर के आसपास जमा पानी हर हफ़्ते हटाइए। — पुणे महानगरपालिका',
  en: 'Prevent dengue: empty standing water around your home every week. — Pune Municipal Corporation',
};
const isCampaign = (body: string | undefined) => Object.values(CAMPAIGN).includes(body ?? '');

describe('announcements: STOP and START through the running bridge', () => {
  let dir: string;
  let fake: Fake;
  let env: Record<string, string>;
  let bridge: BridgeProcess;
  let seq = 7000;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pmc-campaign-opt-'));
    const configDir = join(dir, 'config');
    copyShippedConfig(configDir);
    writeFileSync(join(configDir, 'local.yaml'), DLT_YAML);
    fake = await startFakeTwilioApi();
    env = { ...smsBridgeEnv(join(dir, 'bridge.db'), fake.url), PMC_CONFIG_DIR: configDir };
    bridge = await startBridge(env, await freePort());
  });
  afterAll(async () => {
    bridge?.proc.kill('SIGKILL');
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sms = async (from: string, body: string, extra: Record<string, string> = {}): Promise<void> => {
    const res = await postSigned(`${bridge.url}/webhooks/sms/twilio`, 'https://bridge.example.test/webhooks/sms/twilio', smsParams(seq++, { From: from, Body: body, ...extra }));
    expect(res.status).toBe(200);
  };
  const to = (phone: string) => fake.sent.filter((m) => m.To === phone);
  const texts = (phone: string) => to(phone).map((m) => m.Body ?? '');

  it('opt-out stops campaign messages on every channel and nothing else; opted-in contacts get the campaign once', async () => {
    const [asha, vikram, sunita, rahul, meera] = ['+919850000101', '+919850000102', '+919850000103', '+919850000104', '+919850000105'];
    for (const who of [asha, vikram, sunita]) await sms(who, 'START');
    await sms(meera, 'सुरू करा');
    await until('four opt-in confirmations', () => [asha, vikram, sunita, meera].every((p) => to(p).length === 1), 20_000);
    // in the language of the keyword: START is English, सुरू Marathi
    expect(texts(asha)[0]).toContain('Send STOP to stop them');
    expect(texts(meera)[0]).toContain('सूचना संदेश पुन्हा मिळतील');

    // Sunita sends STOP, then STOP again: confirmed once
    await sms(sunita, 'STOP');
    await until('the opt-out confirmation', () => to(sunita).length === 2, 20_000);
    await sms(sunita, 'stop!');
    // Meera's STOP reached Twilio, which answered it itself and posts it to us with OptOutType: no second answer
    await sms(meera, 'STOP', { OptOutType: 'STOP' });
    // Twilio counts "cancel" as STOP and says so; to the bot it is "cancel", and Vikram stays opted in
    await sms(vikram, 'CANCEL', { OptOutType: 'STOP' });
    // "the light is off" is a complaint, not an opt-out: Rahul gets an acknowledgement
    await sms(rahul, 'दिवा बंद आहे, कर्वे रस्ता, कोथरूड');
    // Sunita still complains, and is still answered
    await sms(sunita, 'माझ्या भागात तीन दिवसांपासून कचरा उचलला गेला नाही, कोथरूड');
    const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
    try {
      await until('every message handled', async () => (await store.stats()).inbound.pending === 0 && (await store.stats()).tickets === 2, 20_000);
      const sunitaContact = await store.findContactByIdentity('sms', sunita);
      const meeraContact = await store.findContactByIdentity('sms', meera);
      expect((await store.campaigns.optOf(sunitaContact!.id)).state).toBe('out');
      expect((await store.campaigns.optOf(meeraContact!.id)).state).toBe('out');
      expect((await store.campaigns.optOf((await store.findContactByIdentity('sms', vikram))!.id)).state).toBe('in');
      const rahulContact = await store.findContactByIdentity('sms', rahul);
      expect((await store.campaigns.optOf(rahulContact!.id)).state).toBeNull();
    } finally {
      await store.close();
    }
    await until('the complaint replies', () => to(rahul).length === 1 && to(sunita).length === 3, 20_000);
    expect(texts(sunita)[1]).toContain('START'); // the one opt-out confirmation: "…Send START to get announcements again."
    expect(texts(sunita)[2]).toMatch(/PMC\d+/); // the complaint's acknowledgement, after the STOP

    // staff create, preview and schedule a campaign with the CLI
    const added = await runCli(['campaigns', 'add', '--name', 'डेंग्यू प्रतिबंध', '--mr', CAMPAIGN.mr, '--hi', CAMPAIGN.hi, '--en', CAMPAIGN.en], env);
    expect(added.code, added.stderr).toBe(0);
    const id = /^(C\d+) created/.exec(added.stdout)?.[1];
    expect(id).toBeDefined();
    const preview = await runCli(['campaigns', 'preview', id!, '--json'], env);
    expect(preview.code, preview.stderr).toBe(0);
    const p = JSON.parse(preview.stdout) as { total: { contacts: number; bySms: number }; languages: { language: string; segments: number }[] };
    expect(p.total).toMatchObject({ contacts: 2, bySms: 2 }); // Asha and Vikram; Sunita and Meera opted out, Rahul never opted in
    expect(p.languages.find((l) => l.language === 'mr')?.segments).toBe(2);
    const scheduled = await runCli(['campaigns', 'schedule', id!], env);
    expect(scheduled.code, scheduled.stderr).toBe(0);

    await until('the campaign sent', () => [asha, vikram].every((p) => texts(p).some(isCampaign)), 20_000);
    const check = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
    try {
      await until('the campaign done', async () => (await check.campaigns.get(id!))?.state === 'done', 20_000);
      // no campaign entry at all for those who opted out, on any channel
      const entries = (await check.listOutbox({ limit: 10_000 })).filter((e) => e.message.campaignId === id);
      expect(entries.map((e) => e.message.to).sort()).toEqual([asha, vikram]);
      expect(entries.every((e) => e.message.dlt?.templateId === '1107000000000000004')).toBe(true);
    } finally {
      await check.close();
    }
    for (const who of [asha, vikram]) expect(texts(who).filter(isCampaign)).toHaveLength(1);
    for (const who of [sunita, meera, rahul]) expect(texts(who).filter(isCampaign)).toHaveLength(0);
    // Meera got our START confirmation only: Twilio answered her STOP
    expect(to(meera)).toHaveLength(1);

    // and a status update on Sunita's complaint still reaches her
    const ticketNo = /PMC\d+/.exec(texts(sunita)[2]!)![0];
    const moved = await runCli(['tickets', 'status', ticketNo, 'in_progress'], env);
    expect(moved.code, moved.stderr).toBe(0);
    await until('the status update', () => to(sunita).length === 4, 20_000);
    expect(texts(sunita)[3]).toContain(ticketNo);
    expect(texts(sunita).filter(isCampaign)).toHaveLength(0);
  }, 90_000);
});
