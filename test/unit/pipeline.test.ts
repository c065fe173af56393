import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminService } from '../../src/admin/admin-service.ts';
import { createConversations, type Conversations } from '../../src/bots/conversations.ts';
import { shippedBotOptions } from '../support/bot-parts.ts';
import { loadMessages } from '../../src/bots/messages.ts';
import { loadGazetteer } from '../../src/config/gazetteer.ts';
import { loadConfig } from '../../src/config/load.ts';
import { PermanentSendError, RetryableSendError, type Connector } from '../../src/connectors/connector.ts';
import { segmentCount } from '../../src/render/sms-segments.ts';
import type { ChannelMappingInput, InboundMessage } from '../../src/model/index.ts';
import { ChannelMapping } from '../../src/model/index.ts';
import { createNormalizer } from '../../src/normalizer/index.ts';
import { InProcessQueue } from '../../src/pipeline/in-process-queue.ts';
import { Pipeline, type PipelineOptions } from '../../src/pipeline/pipeline.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { ROOT } from '../support/bridge-process.ts';
import { citizenSms, COMPLAINT, OUR_NUMBER, recordingSmsConnector, sourceOf } from '../support/pipeline-parts.ts';
import { until } from '../support/wait.ts';

const { config } = loadConfig({ env: {}, dir: join(ROOT, 'config') });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function openStore(): SqliteStore {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-pipeline-'));
  const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

const MESSAGES = loadMessages(join(ROOT, 'config', 'messages'));

async function startPipeline(store: Store, connectors: Connector[], over: Partial<PipelineOptions> = {}): Promise<Pipeline> {
  const pipeline = new Pipeline({
    store,
    queue: new InProcessQueue(),
    connectors,
    logger: pino({ level: 'silent' }),
    defaults: config.defaults,
    messages: MESSAGES,
    // a new store routes by the categories' rules, as the bridge seeds them
    categories: loadGazetteer(join(ROOT, 'config')).categories,
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, keepTryingMs: 0 },
    concurrency: 4,
    sweepIntervalMs: 50,
    ...over,
  });
  await pipeline.start();
  cleanups.push(() => pipeline.stop());
  return pipeline;
}

const replyTo = async (store: Store, m: InboundMessage) => (await store.listOutbox()).filter((e) => e.message.inReplyTo === m.externalId);
const replyIn = (store: Store, m: InboundMessage, state: string) =>
  until(`the reply to ${m.externalId} to be ${state}`, async () => (await replyTo(store, m)).find((e) => e.state === state));
const processed = (store: Store, m: InboundMessage, state = 'done') =>
  until(`${m.externalId} to be ${state}`, async () => {
    const row = await store.getInboundBySource(sourceOf(m));
    return row?.state === state ? row : undefined;
  });
/** a citizen's complaint, filed by the pipeline, then moved on to resolved by an officer */
async function fileAndResolve(store: Store, pipeline: Pipeline, text: string) {
  const m = citizenSms(text);
  await pipeline.accept([m]);
  await processed(store, m);
  const ticket = (await store.findTicketBySource(sourceOf(m)))!;
  await store.updateTicketStatus(ticket.ticketNo, 'in_progress', 'officer');
  await store.updateTicketStatus(ticket.ticketNo, 'resolved', 'officer');
  return { m, ticket };
}
const mapping = (m: Partial<ChannelMappingInput> & { id: string; accountId: string }) =>
  ChannelMapping.parse({ channel: 'sms', department: 'call-centre', defaultLanguage: 'mr', replyPolicy: 'conversational', ...m });

describe('Pipeline', () => {
  it('accept() resolves only once the message is archived, and reports a redelivery as a duplicate', async () => {
    const store = openStore();
    const pipeline = await startPipeline(store, [recordingSmsConnector().connector]);
    const m = citizenSms(COMPLAINT.mr);
    expect(await pipeline.accept([m])).toEqual({ accepted: 1, duplicates: 0 });
    const row = await store.getInboundBySource(sourceOf(m));
    expect(row?.message).toMatchObject({ text: COMPLAINT.mr, raw: m.raw });

    expect(await pipeline.accept([m])).toEqual({ accepted: 0, duplicates: 1 });
    expect((await store.getInboundBySource(sourceOf(m)))?.duplicates).toBe(1);
    expect(Object.values((await store.stats()).inbound).reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('files a PMC ticket for each message and acknowledges it in the citizen’s language (mr, hi, en)', async () => {
    const store = openStore();
    const sms1 = recordingSmsConnector();
    const pipeline = await startPipeline(store, [sms1.connector]);
    const cases = [
      [citizenSms(COMPLAINT.mr), 'mr', 'तक्रार क्रमांक:'],
      [citizenSms(COMPLAINT.hi), 'hi', 'शिकायत नंबर:'],
      [citizenSms(COMPLAINT.en), 'en', 'Complaint number:'],
    ] as const;
    await pipeline.accept(cases.map(([m]) => m));
    for (const [m, lang, words] of cases) {
      const entry = await replyIn(store, m, 'sent');
      const ticket = await store.findTicketBySource(sourceOf(m));
      expect(ticket?.ticketNo).toMatch(/^PMC\d+$/);
      expect(ticket!.language).toBe(lang);
      expect(entry.message).toMatchObject({ kind: 'ack', to: m.sender.id, language: lang, ticketNo: ticket!.ticketNo });
      expect(entry.message.text).toContain(`${words} ${ticket!.ticketNo}`);
      expect(sms1.sent.filter((s) => s.to === m.sender.id)).toEqual([entry.message]);
    }
    expect((await store.listTickets()).map((t) => t.ticketNo).sort()).toEqual(['PMC10001', 'PMC10002', 'PMC10003']);
  });

  it('shapes the acknowledgement to the connector’s segment budget and keeps the ticket number', async () => {
    const store = openStore();
    const oneSegment = recordingSmsConnector(undefined, { maxSegments: 1 });
    const pipeline = await startPipeline(store, [oneSegment.connector]);
    const m = citizenSms(COMPLAINT.mr);
    await pipeline.accept([m]);
    const entry = await replyIn(store, m, 'sent');
    const { ticketNo } = (await store.findTicketBySource(sourceOf(m)))!;
    expect(segmentCount(MESSAGES.mr.filed.replace('{ticketNo}', ticketNo))).toBeGreaterThan(1); // it had to be cut
    expect(segmentCount(entry.message.text)).toBe(1);
    expect(entry.message.text).toContain(ticketNo);
    expect(entry.message.text).toMatch(/[\u0900-\u097F]/); // still Marathi
  });

  it('a sweep during a backlog does not read again the messages already in line or running', async () => {
    const store = openStore();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let reads = 0;
    // the real store, with its reads of archived messages counted and the first ticket held until released
    const counted = new Proxy(store, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof value !== 'function') return value;
        if (key === 'getInbound') return (...args: unknown[]) => (reads++, value.apply(target, args));
        if (key === 'createTicket') return async (...args: unknown[]) => (await gate, value.apply(target, args));
        return value.bind(target);
      },
    });
    const sms = recordingSmsConnector();
    const pipeline = await startPipeline(counted, [sms.connector], { concurrency: 1, sweepIntervalMs: 60_000 });
    const burst = [citizenSms(COMPLAINT.mr), citizenSms(COMPLAINT.hi), citizenSms(COMPLAINT.en)];
    await pipeline.accept(burst);
    await until('the first message to be running', async () => reads > 0 || undefined);
    const before = reads;
    expect((await pipeline.sweep()).inbound).toBe(3); // all three are due…
    expect(reads).toBe(before); // …and none was read again to be queued: one runs, two wait
    release();
    for (const m of burst) await processed(store, m);
    expect(await store.listTickets()).toHaveLength(3);
  });

  it('routes by the exact account’s mapping before the * one, and a silent mapping files a ticket without a reply', async () => {
    const store = openStore();
    await store.upsertMapping(mapping({ id: 'sms-any', accountId: '*', department: 'call-centre' }));
    await store.upsertMapping(mapping({ id: 'sms-warje', accountId: '+912066000001', department: 'water-supply', ward: 'warje', defaultLanguage: 'hi' }));
    await store.upsertMapping(mapping({ id: 'sms-quiet', accountId: '+912066000002', department: 'roads', replyPolicy: 'silent' }));
    const sms1 = recordingSmsConnector();
    const pipeline = await startPipeline(store, [sms1.connector]);
    const toWarje = citizenSms(COMPLAINT.hi, { accountId: '+912066000001' });
    const toOther = citizenSms(COMPLAINT.mr, { accountId: '+912066000009' });
    const toQuiet = citizenSms(COMPLAINT.en, { accountId: '+912066000002' });
    await pipeline.accept([toWarje, toOther, toQuiet]);

    await replyIn(store, toWarje, 'sent');
    await replyIn(store, toOther, 'sent');
    await processed(store, toQuiet);
    expect(await store.findTicketBySource(sourceOf(toWarje))).toMatchObject({ department: 'water-supply', ward: 'warje' });
    expect(await store.findTicketBySource(sourceOf(toOther))).toMatchObject({ department: 'call-centre' });
    expect((await store.findTicketBySource(sourceOf(toOther)))?.ward).toBeUndefined();
    expect(await store.findTicketBySource(sourceOf(toQuiet))).toMatchObject({ department: 'roads' });
    expect(await replyTo(store, toQuiet)).toEqual([]);
    expect(sms1.sent.map((s) => s.to).sort()).toEqual([toWarje.sender.id, toOther.sender.id].sort());
  });

  it('skips a mapping staff disabled: the next SMS to its number goes by the * mapping, and with that off too by the defaults', async () => {
    const store = openStore();
    await store.upsertMapping(mapping({ id: 'sms-any', accountId: '*', department: 'roads', defaultLanguage: 'en' }));
    await store.upsertMapping(mapping({ id: 'sms-warje', accountId: '+912066000001', department: 'water-supply', ward: 'warje' }));
    const pipeline = await startPipeline(store, [recordingSmsConnector().connector]);
    // as the bridge wires it: a change saved in this process reloads its routing at once
    const admin = new AdminService({ store, categories: [], changed: () => pipeline.routing.refresh() });
    const operator = { role: 'admin' as const, ref: 'test' };
    const toWarje = async (text: string) => {
      const m = citizenSms(text, { accountId: '+912066000001' });
      await pipeline.accept([m]);
      await processed(store, m);
      return { m, ticket: (await store.findTicketBySource(sourceOf(m)))! };
    };
    expect((await toWarje(COMPLAINT.mr)).ticket).toMatchObject({ department: 'water-supply', ward: 'warje', routing: { mappingId: 'sms-warje' } });

    await admin.disable('mapping', 'sms-warje', operator);
    const byAny = (await toWarje(COMPLAINT.hi)).ticket;
    expect(byAny).toMatchObject({ department: 'roads', routing: { mappingId: 'sms-any', department: { by: 'mapping' } } });
    expect(byAny.ward).toBeUndefined();

    await admin.disable('mapping', 'sms-any', operator);
    // no mapping left for SMS: the city-wide defaults of config/default.yaml, department and SLA hours
    const { m, ticket } = await toWarje(COMPLAINT.en);
    expect(ticket).toMatchObject({ department: config.defaults.department, routing: { mappingId: 'default-sms', sla: { hours: config.defaults.slaHours } } });
    expect(ticket.slaDueAt).toBe(new Date(Date.parse(m.receivedAt) + config.defaults.slaHours * 3_600_000).toISOString());
  });

  it('resumes messages a previous process archived (and acknowledged) but never processed', async () => {
    const store = openStore();
    const left = [citizenSms(COMPLAINT.mr), citizenSms(COMPLAINT.en)];
    await store.archiveInbound(left);
    const sms1 = recordingSmsConnector();
    await startPipeline(store, [sms1.connector], { sweepIntervalMs: 60_000 }); // only the resume at start can find them
    for (const m of left) {
      await replyIn(store, m, 'sent');
      expect(await store.findTicketBySource(sourceOf(m))).toBeDefined();
    }
    expect(sms1.sent).toHaveLength(2);
  });

  it('retries a message whose processing fails, then moves it to the dead letters with the error', async () => {
    const real = openStore();
    let calls = 0;
    const store = new Proxy(real, {
      get(target, prop) {
        // the step that files the ticket and the reply fails every time
        if (prop === 'completeInbound') return async () => ((calls++), Promise.reject(new Error('database disk image is malformed (simulated)')));
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Store;
    const pipeline = await startPipeline(store, [recordingSmsConnector().connector]);
    const m = citizenSms(COMPLAINT.hi);
    await pipeline.accept([m]);

    const dead = await processed(real, m, 'dead');
    expect(calls).toBe(3);
    expect(dead.attempts).toBeGreaterThanOrEqual(2);
    expect(dead.lastError).toContain('database disk image is malformed (simulated)');
    expect(dead.lastError).toContain('gave up after 3 attempts');
    expect(await real.listDeadLetters()).toContainEqual(expect.objectContaining({ kind: 'inbound', id: dead.id, error: dead.lastError }));
    expect(await real.findTicketBySource(sourceOf(m))).toBeUndefined();
    expect(await real.listOutbox()).toEqual([]);
  });

  it('moves a reply the connector refuses permanently to the dead letters without retrying', async () => {
    const store = openStore();
    const refusing = recordingSmsConnector(async () => {
      throw new PermanentSendError('Twilio send failed: HTTP 400 code 21211: invalid To', 21211);
    });
    const pipeline = await startPipeline(store, [refusing.connector]);
    const m = citizenSms(COMPLAINT.en);
    await pipeline.accept([m]);
    const dead = await replyIn(store, m, 'dead');
    expect(dead.lastError).toMatch(/^PermanentSendError: .*21211/);
    expect(dead.attempts).toBe(1);
    await pipeline.sweep(); // a sweep does not pick a dead entry up again
    await pipeline.stop();
    expect(refusing.attempts()).toBe(1);
    expect(await store.listDeadLetters()).toContainEqual(expect.objectContaining({ kind: 'outbound', id: dead.id }));
  });

  it('retries a reply after a RetryableSendError and then sends it', async () => {
    const store = openStore();
    const flaky = recordingSmsConnector(async (_m, attempt) => {
      if (attempt === 1) throw new RetryableSendError('Twilio send failed: HTTP 503 code 20500');
    });
    const pipeline = await startPipeline(store, [flaky.connector]);
    const m = citizenSms(COMPLAINT.mr);
    await pipeline.accept([m]);
    const sent = await replyIn(store, m, 'sent');
    expect(sent).toMatchObject({ attempts: 2, providerId: 'SM-sent-1' });
    expect(flaky.attempts()).toBe(2);
    expect(flaky.sent).toHaveLength(1);
  });

  it('retries a failed send after its backoff delay, without waiting for the next sweep', async () => {
    const store = openStore();
    const flaky = recordingSmsConnector(async (_m, attempt) => {
      if (attempt === 1) throw new RetryableSendError('Twilio send failed: HTTP 503 code 20500');
    });
    // backoff 5–20 ms; the periodic sweep is a minute away, so only the retry the pipeline schedules can send it
    const pipeline = await startPipeline(store, [flaky.connector], { sweepIntervalMs: 60_000 });
    const m = citizenSms(COMPLAINT.hi);
    await pipeline.accept([m]);
    await until('the retry to be sent', () => flaky.sent.length === 1, 2000);
    expect(flaky.attempts()).toBe(2); // the first attempt failed
    const [entry] = await replyTo(store, m);
    expect(entry).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('waits the time a provider asked for, even when a sweep queues the reply again while it is being sent', async () => {
    const store = openStore();
    const times: number[] = [];
    const limited = recordingSmsConnector(async (_m, attempt) => {
      times.push(Date.now());
      // a slow answer, during which the sweep (every 20 ms) finds the entry and queues it a second time
      await new Promise((r) => setTimeout(r, 150));
      if (attempt === 1) throw new RetryableSendError('Twilio send failed: HTTP 429 code 20429', 1_000);
    });
    const pipeline = await startPipeline(store, [limited.connector], { sweepIntervalMs: 20 });
    const m = citizenSms(COMPLAINT.en);
    await pipeline.accept([m]);
    await until('the reply after the wait', () => limited.sent.length === 1, 5000);
    expect(limited.attempts()).toBe(2);
    // the second attempt came after the 1 s the provider asked for (from the first answer), not at once
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(1_000 + 150 - 60);
  });

  it('moves a reply to the dead letters, saying the channel is off, when no connector serves its channel', async () => {
    const store = openStore();
    const pipeline = await startPipeline(store, []);
    const m = citizenSms(COMPLAINT.mr);
    await pipeline.accept([m]);
    const dead = await replyIn(store, m, 'dead');
    expect(dead.lastError).toMatch(/channel sms is off/);
    expect(await store.findTicketBySource(sourceOf(m))).toBeDefined();
    expect((await store.listDeadLetters()).map((d) => `${d.kind}:${d.id}`)).toContain(`outbound:${dead.id}`);
  });

  it('stop() waits for a send in flight to finish and record it', async () => {
    const store = openStore();
    let started = false;
    let finished = false;
    const slow = recordingSmsConnector(async () => {
      started = true;
      await new Promise((r) => setTimeout(r, 100));
      finished = true;
    });
    const pipeline = await startPipeline(store, [slow.connector]);
    const m = citizenSms(COMPLAINT.hi);
    await pipeline.accept([m]);
    await until('the send to start', () => started);
    await pipeline.stop();
    expect(finished).toBe(true);
    expect((await replyTo(store, m)).map((e) => e.state)).toEqual(['sent']);
    await expect(pipeline.accept([citizenSms(COMPLAINT.en)])).rejects.toThrow(/shutting down/);
  });
});

describe('Pipeline with the normalizer and the shipped gazetteer', () => {
  const gazetteer = loadGazetteer(join(ROOT, 'config'));
  const normalize = createNormalizer({ wards: gazetteer.wards, categories: gazetteer.categories, ticketPrefix: 'PMC' });

  it('files the ward office, category and a linked location the citizen wrote, and answers romanised Marathi in Marathi', async () => {
    const store = openStore();
    const sms = recordingSmsConnector();
    const pipeline = await startPipeline(store, [sms.connector], { normalize });
    const m = citizenSms('Kothrud madhe kachra 3 divas uchalla nahi, https://maps.google.com/?q=18.5074,73.8077');
    await pipeline.accept([m]);
    await processed(store, m);
    const [ticket] = await store.listTickets();
    expect(ticket).toMatchObject({ ward: 'kothrud-bavdhan', category: 'garbage', language: 'mr', location: { lat: 18.5074, lon: 73.8077 } });
    const [ack] = await replyTo(store, m);
    expect(ack?.message.language).toBe('mr');
    expect(ack?.message.text).toMatch(/\p{Script=Devanagari}/u);
  });

  it('a mapping’s own ward wins over the ward named in the text', async () => {
    const store = openStore();
    await store.upsertMapping(mapping({ id: 'hadapsar-sms', accountId: OUR_NUMBER, ward: 'hadapsar-mundhwa' }));
    const pipeline = await startPipeline(store, [recordingSmsConnector().connector], { normalize });
    const m = citizenSms('बाणेर रस्त्यावर खड्डे पडले आहेत');
    await pipeline.accept([m]);
    await processed(store, m);
    expect((await store.listTickets())[0]).toMatchObject({ ward: 'hadapsar-mundhwa', category: 'roads' });
  });

  it('files nothing and answers nothing for an auto-reply or a bounce, so no mail loop can start', async () => {
    const store = openStore();
    const pipeline = await startPipeline(store, [recordingSmsConnector().connector], { normalize });
    const mail = (n: number, headers: Record<string, string>, subject: string): InboundMessage => ({
      channel: 'email',
      accountId: 'complaints@pmc.example.org',
      externalId: `<auto-${n}@mail.example.org>`,
      threadKey: `<auto-${n}@mail.example.org>`,
      sender: { id: 'officer@example.org', email: 'officer@example.org' },
      receivedAt: new Date().toISOString(),
      subject,
      text: 'मी सध्या कार्यालयाबाहेर आहे. मी 2 डिसेंबरला परत येईन.',
      headers,
      attachments: [],
      raw: {},
    });
    const autoReply = mail(1, { 'auto-submitted': 'auto-replied' }, 'स्वयंचलित उत्तर: तक्रार PMC10001');
    const bounce = mail(2, { 'content-type': 'multipart/report; report-type=delivery-status' }, 'Undeliverable: PMC10001');
    const citizen = mail(3, {}, 'कचरा उचलला नाही');
    await pipeline.accept([autoReply, bounce, citizen]);
    for (const m of [autoReply, bounce, citizen]) await processed(store, m);
    const tickets = await store.listTickets();
    expect(tickets.flatMap((t) => t.sources.map((s) => s.externalId))).toEqual([citizen.externalId]);
    expect(await replyTo(store, autoReply)).toEqual([]);
    expect(await replyTo(store, bounce)).toEqual([]);
  });
});

describe('Pipeline with the bot on', () => {
  const gazetteer = loadGazetteer(join(ROOT, 'config'));
  const normalize = createNormalizer({ wards: gazetteer.wards, categories: gazetteer.categories, ticketPrefix: 'PMC' });
  const messages = loadMessages(join(ROOT, 'config', 'messages'));

  it('takes two messages of one citizen that arrive together in order, and the bot answers each', async () => {
    const store = openStore();
    const sms = recordingSmsConnector();
    const conversations = createConversations(shippedBotOptions(store));
    const pipeline = await startPipeline(store, [sms.connector], { normalize, conversations, ticketPrefix: 'PMC' });
    const first = citizenSms('आमच्या भागात दोन दिवसांपासून पाणी येत नाही');
    const second = citizenSms('बाणेर गावठाण', { threadKey: first.threadKey, sender: first.sender });
    await pipeline.accept([first, second]);
    await processed(store, second);
    // SMS to an Indian number carries no photo or pin: asked where in words, then filed with both messages
    expect((await replyTo(store, first)).map((e) => e.message.text)).toEqual([messages.mr.askWhereText]);
    const [filed] = await replyTo(store, second);
    expect(filed?.message.kind).toBe('ack');
    const [ticket] = await store.listTickets();
    expect(ticket?.sources.map((x) => x.externalId)).toEqual([first.externalId, second.externalId]);
    expect(filed?.message.ticketNo).toBe(ticket?.ticketNo);
  });

  it('runs a turn again at once when the conversation moved on under it, without counting a failed attempt', async () => {
    const store = openStore();
    const real = createConversations(shippedBotOptions(store));
    let interfered = 0;
    // another process answers the same citizen between this turn's read and its write, once
    const conversations: Conversations = {
      ...real,
      async turn(input) {
        const turn = await real.turn(input);
        if (input.message.text !== 'नमस्ते' && interfered++ === 0) for (const { key } of turn.state) await store.writeConversation(key, { other: 'process' });
        return turn;
      },
    };
    const pipeline = await startPipeline(store, [recordingSmsConnector().connector], { normalize, conversations, ticketPrefix: 'PMC' });
    const hello = citizenSms('नमस्ते'); // the conversation exists, so the next turn reads it with an eTag
    const m = citizenSms('हडपसर में हमारी गली में दो दिन से पानी नहीं आ रहा है', { threadKey: hello.threadKey, sender: hello.sender });
    await pipeline.accept([hello]);
    await processed(store, hello);
    await pipeline.accept([m]);
    const done = await processed(store, m);
    expect(interfered).toBe(2); // the turn ran twice
    expect(done.attempts).toBe(0);
    expect(done.lastError).toBeUndefined();
    expect(await store.listTickets()).toHaveLength(1);
    expect(await replyTo(store, m)).toHaveLength(1);
  });

  it('asks the citizen of a resolved ticket for a rating once, in the ticket\'s language, and records the answer', async () => {
    const store = openStore();
    const sms = recordingSmsConnector();
    const conversations = createConversations(shippedBotOptions(store));
    // a long sweep interval: the test sweeps by hand
    const pipeline = await startPipeline(store, [sms.connector], { normalize, conversations, ticketPrefix: 'PMC', sweepIntervalMs: 60_000 });
    const m = citizenSms('हडपसर में हमारी गली में दो दिन से पानी नहीं आ रहा है');
    await pipeline.accept([m]);
    await processed(store, m);
    const [ticket] = await store.listTickets();
    expect(ticket?.language).toBe('hi');
    expect((await pipeline.sweep()).ratingsAsked).toBe(0); // not resolved yet

    await store.updateTicketStatus(ticket!.ticketNo, 'in_progress', 'officer');
    await store.updateTicketStatus(ticket!.ticketNo, 'resolved', 'officer');
    expect((await pipeline.sweep()).ratingsAsked).toBe(1);
    expect((await pipeline.sweep()).ratingsAsked).toBe(0); // asked once, not at every sweep
    const question = await until('the rating question sent', async () => sms.sent.find((o) => o.kind === 'feedback_request'));
    expect(question).toMatchObject({ to: m.sender.id, language: 'hi', ticketNo: ticket!.ticketNo });
    expect(question.text).toBe(messages.hi.askRating.replace('{ticketNo}', ticket!.ticketNo));
    expect((await store.getTicket(ticket!.ticketNo))?.ratingRequestedAt).toBeDefined();

    const answer = citizenSms('paanch', { threadKey: m.threadKey, sender: m.sender });
    await pipeline.accept([answer]);
    await processed(store, answer);
    expect((await replyTo(store, answer)).map((e) => e.message.text)).toEqual([messages.hi.askComment]);
    expect((await store.getTicket(ticket!.ticketNo))?.feedback?.rating).toBe(5);
  });

  it('does not ask for a rating on a conversation that has ended (a closed web chat), and marks the ticket', async () => {
    const store = openStore();
    const sms = recordingSmsConnector();
    const open = new Set<string>();
    const pipeline = await startPipeline(store, [{ ...sms.connector, canReach: (threadKey) => open.has(threadKey) }], {
      normalize,
      conversations: createConversations(shippedBotOptions(store)),
      ticketPrefix: 'PMC',
      sweepIntervalMs: 60_000,
    });
    const { m, ticket } = await fileAndResolve(store, pipeline, 'Garbage not collected near Kothrud depot');
    expect((await pipeline.sweep()).ratingsAsked).toBe(0);
    expect((await store.getTicket(ticket.ticketNo))?.ratingRequestedAt).toBeDefined();
    open.add(m.threadKey); // too late: it was marked, not left to be retried forever
    expect((await pipeline.sweep()).ratingsAsked).toBe(0);
    expect((await store.listOutbox()).filter((e) => e.message.kind === 'feedback_request')).toEqual([]);
  });

  it('does not ask for a rating on a one-shot channel, and marks the ticket so it is not tried again', async () => {
    const store = openStore();
    await store.upsertMapping(mapping({ id: 'sms-oneshot', accountId: OUR_NUMBER, replyPolicy: 'one-shot' }));
    const sms = recordingSmsConnector();
    const pipeline = await startPipeline(store, [sms.connector], { normalize, conversations: createConversations(shippedBotOptions(store)), ticketPrefix: 'PMC', sweepIntervalMs: 60_000 });
    const { ticket } = await fileAndResolve(store, pipeline, 'Garbage not collected near Kothrud depot');
    expect((await pipeline.sweep()).ratingsAsked).toBe(0);
    expect((await store.getTicket(ticket.ticketNo))?.ratingRequestedAt).toBeDefined();
    expect((await store.listOutbox()).filter((e) => e.message.kind === 'feedback_request')).toEqual([]);
  });

  it('files a one-shot message at once and asks for the missing place in the same reply', async () => {
    const store = openStore();
    await store.upsertMapping(mapping({ id: 'sms-oneshot', accountId: OUR_NUMBER, replyPolicy: 'one-shot', department: 'WATER' }));
    const conversations = createConversations(shippedBotOptions(store));
    const pipeline = await startPipeline(store, [recordingSmsConnector(undefined, {}).connector], { normalize, conversations, ticketPrefix: 'PMC' });
    const noPlace = citizenSms('हमारी गली में पानी नहीं आ रहा है');
    const withPlace = citizenSms('Garbage not collected near Kothrud depot for three days');
    await pipeline.accept([noPlace, withPlace]);
    await processed(store, noPlace);
    await processed(store, withPlace);
    expect(await store.listTickets()).toHaveLength(2);

    const [hi] = await replyTo(store, noPlace);
    const hiTicket = (await store.findTicketBySource(sourceOf(noPlace)))!;
    expect(hi?.message.text).toContain(`शिकायत नंबर: ${hiTicket.ticketNo}`);
    expect(hi?.message.text).toContain(messages.hi.departments.WATER!);
    expect(hi?.message.text).toContain(messages.hi.oneShotAskWhere.slice(0, 20)); // the reply may be cut at its end

    const [en] = await replyTo(store, withPlace);
    // the category's department goes before the mapping's default (WATER), and is named to the citizen
    expect(en?.message.text).toMatch(/^Your complaint has been registered\. Complaint number: PMC\d+\. Action is expected by .*\. Department: Solid Waste Management\.$/u);
    expect((await store.findTicketBySource(sourceOf(withPlace)))?.department).toBe('SWM');
    expect(en?.message.text).not.toContain(messages.en.oneShotAskWhere);
  });

  it('answers a public post once, in public, with the number and no personal detail, even on a conversational mapping', async () => {
    const store = openStore();
    const conversations = createConversations(shippedBotOptions(store));
    const pipeline = await startPipeline(store, [recordingSmsConnector(undefined, {}).connector], { normalize, conversations, ticketPrefix: 'PMC' });
    const post = citizenSms('रस्त्यावर खूप खड्डे आहेत, कोणी लक्ष देईल का?', { public: true, sender: { id: '+919822000777', name: 'सुनीता पाटील', phone: '+919822000777' } });
    const hello = citizenSms('🙏', { public: true });
    await pipeline.accept([post, hello]);
    await processed(store, post);
    await processed(store, hello);
    const ticket = (await store.findTicketBySource(sourceOf(post)))!;
    expect(ticket.ward).toBeUndefined(); // no place, and still no question in public
    const [reply] = await replyTo(store, post);
    expect(reply?.message.text).toBe(messages.mr.publicFiled.replace('{ticketNo}', ticket.ticketNo));
    for (const personal of ['सुनीता', '+919822000777', '9822000777', messages.mr.departments['call-centre']!])
      expect(reply?.message.text).not.toContain(personal);
    // a bare emoji under a public post is not spoken to in public
    expect(await replyTo(store, hello)).toEqual([]);
    expect(await store.findTicketBySource(sourceOf(hello))).toBeUndefined();
  });
});
