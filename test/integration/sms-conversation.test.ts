import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/bridge-process.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { FAST_PIPELINE_YAML, SMS_HOOK_PUBLIC, startInProcessBridge, type InProcessBridge } from '../support/in-process-bridge.ts';
import { postSigned, smsParams, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../support/sms-webhooks.ts';
import { until } from '../support/wait.ts';

const hi = parseYaml(readFileSync(join(ROOT, 'config', 'messages', 'hi.yaml'), 'utf8')) as Record<string, string>;

// The whole bridge with the bot on: signed Twilio webhooks in, the bot's questions and the confirmation out
// through the real twilio SDK to a local fake of the Messages API.
describe('an SMS conversation with the bot on', () => {
  let fake: FakeTwilioApi;
  let bridge: InProcessBridge;
  let n = 5000;

  beforeAll(async () => {
    fake = await startFakeTwilioApi({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN });
    bridge = await startInProcessBridge(fake, `${FAST_PIPELINE_YAML}bot: { enabled: true }\n`);
  });
  afterAll(async () => {
    await bridge?.close();
    await fake?.close();
  });

  async function writes(from: string, body: string): Promise<void> {
    const res = await postSigned(bridge.hook, SMS_HOOK_PUBLIC, smsParams(++n, { From: from, Body: body }));
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  }
  const sentTo = (to: string) => fake.sent.filter((m) => m.To === to).map((m) => m.Body ?? '');
  const nthReply = (to: string, count: number) => until(`${count} SMS to the citizen`, () => (sentTo(to).length >= count ? sentTo(to) : undefined));

  it('asks for the missing place in words (an Indian number carries no photo or pin), then files one ticket (Hindi)', async () => {
    const citizen = '+919812300001';
    await writes(citizen, 'हमारी गली में दो दिन से पानी नहीं आ रहा है');
    expect((await nthReply(citizen, 1))[0]).toBe(hi.askWhereText);
    await writes(citizen, 'हडपसर गाडीतळ के पास');
    const filed = (await nthReply(citizen, 2))[1]!;
    const ticketNo = /PMC\d+/.exec(filed)?.[0];
    expect(filed).toContain(`शिकायत नंबर: ${ticketNo}`);
    const ticket = await bridge.app.store.getTicket(ticketNo!);
    expect(ticket).toMatchObject({ language: 'hi', ward: 'hadapsar-mundhwa', category: 'water-supply', department: 'WATER' });
    expect(ticket?.sources).toHaveLength(2);
  });

  it('files nothing for greetings, thanks, off-topic turns or abuse, and one ticket for the complaint among them (Marathi)', async () => {
    const citizen = '+919812300003';
    const turns = ['हॅलो', '🙏', 'तुम्ही रोबोट आहात का?', 'तक्रार नोंदवायची आहे', 'धनकवडी, बालाजीनगर', 'रस्त्यावर मोठा खड्डा पडला आहे', 'ठीक आहे, धन्यवाद'];
    for (const [i, t] of turns.entries()) {
      await writes(citizen, t);
      await nthReply(citizen, i + 1);
    }
    const tickets = (await bridge.app.store.listTickets({ limit: 1000 })).filter((t) => t.citizen.phone === citizen);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ category: 'roads', ward: 'dhankawadi-sahakarnagar' });
    expect(tickets[0]?.description.original).not.toMatch(/हॅलो|रोबोट|नोंदवायची/);
  });

  it('tells a citizen in Wakad whose area it is, and files nothing (romanised Marathi)', async () => {
    const citizen = '+919812300004';
    await writes(citizen, 'Wakad madhe 3 divas kachra uchalla nahi');
    const [reply] = await nthReply(citizen, 1);
    expect(reply).toContain('पिंपरी चिंचवड महानगरपालिका');
    expect((await bridge.app.store.listTickets({ limit: 1000 })).filter((t) => t.citizen.phone === citizen)).toHaveLength(0);
  });

  it('files at once when the first message says what and where, and answers a status query after (Marathi)', async () => {
    const citizen = '+919812300002';
    await writes(citizen, 'कोथरूड डेपोजवळ तीन दिवसांपासून कचरा उचलला नाही');
    const [filed] = await nthReply(citizen, 1);
    const ticketNo = /PMC\d+/.exec(filed!)![0];
    expect(filed).toContain(`तक्रार क्रमांक: ${ticketNo}`);
    await writes(citizen, 'माझी तक्रार कुठे आहे?');
    expect((await nthReply(citizen, 2))[1]).toMatch(new RegExp(`^तक्रार क्रमांक ${ticketNo}: नोंदवली आहे\\.`));
    // the outbox says what each reply was, for staff reading it
    const kinds = (await bridge.app.store.listOutbox()).filter((e) => e.message.to === citizen).map((e) => e.message.kind);
    expect(kinds.sort()).toEqual(['ack', 'status']);
  });
});
