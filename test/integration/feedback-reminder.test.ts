import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createConversations } from '../../src/bots/conversations.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { InboundMessage, OutboundMessage } from '../../src/model/index.ts';
import { ratingReminders } from '../../src/notify/rating-reminders.ts';
import { notifyTasks } from '../../src/notify/tasks.ts';
import { InProcessQueue } from '../../src/pipeline/in-process-queue.ts';
import { Pipeline } from '../../src/pipeline/pipeline.ts';
import { RoutingTable } from '../../src/router/routing-table.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { ROOT } from '../support/bridge-process.ts';
import { SHIPPED, shippedBotOptions } from '../support/bot-parts.ts';
import { citizenSms, recordingSmsConnector, sourceOf } from '../support/pipeline-parts.ts';
import { until } from '../support/wait.ts';

// The whole pipeline on a SQLite file, with a clock the test moves: the rating question, the one reminder a day
// later (held by quiet hours, 21:00–08:00 IST), and the citizen's answer to it read as a rating.

const { config } = loadConfig({ env: {}, dir: join(ROOT, 'config') });
const messages = SHIPPED.messages;
const HOUR = 3_600_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function bridge(startAt: string) {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-reminder-'));
  const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
  const clock = { now: new Date(startAt) };
  const now = () => clock.now;
  const logger = pino({ level: 'silent' });
  const sms = recordingSmsConnector();
  const conversations = createConversations(shippedBotOptions(store, { now }));
  const routing = new RoutingTable({ store, defaults: config.defaults, categories: SHIPPED.gazetteer.categories, logger });
  const reminders = ratingReminders({
    store,
    conversations,
    normalize: SHIPPED.normalize,
    connectors: [sms.connector],
    routing,
    messages,
    ticketPrefix: 'PMC',
    logger,
    reminderHours: config.feedback.reminderHours!,
    quietHours: config.notify.quietHours,
  });
  const pipeline = new Pipeline({
    store,
    queue: new InProcessQueue(),
    connectors: [sms.connector],
    logger,
    defaults: config.defaults,
    messages,
    normalize: SHIPPED.normalize,
    routing,
    conversations,
    ticketPrefix: 'PMC',
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, keepTryingMs: 0 },
    concurrency: 2,
    sweepIntervalMs: 3_600_000, // the test sweeps by hand, at the clock's time
    now,
    tasks: [reminders],
  });
  await pipeline.start();
  cleanups.push(async () => {
    await pipeline.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ratingTexts = () => sms.sent.filter((m) => m.kind === 'feedback_request').map((m) => m.text);
  const later = async (hours: number) => {
    clock.now = new Date(clock.now.getTime() + hours * HOUR);
    await pipeline.sweep();
  };
  /** a citizen's message at the clock's time, through the pipeline, and what the bridge answered to it */
  const says = async (text: string, first?: InboundMessage): Promise<string[]> => {
    const m = citizenSms(text, { receivedAt: clock.now.toISOString(), ...(first ? { threadKey: first.threadKey, sender: first.sender } : {}) });
    await pipeline.accept([m]);
    await until(`${m.externalId} done`, async () => (await store.getInboundBySource(sourceOf(m)))?.state === 'done');
    const replies = await until('its replies sent', async () => {
      const sent = sms.sent.filter((o: OutboundMessage) => o.inReplyTo === m.externalId);
      return sent.length > 0 && sent;
    });
    return replies.filter((r) => r.kind !== 'info').map((r) => r.text);
  };
  /** a complaint filed by the citizen, resolved by an officer, and the rating question sent by the next sweep */
  const fileResolveAndAsk = async (complaint: string) => {
    const first = citizenSms(complaint, { receivedAt: clock.now.toISOString() });
    await pipeline.accept([first]);
    await until('the complaint filed', async () => (await store.getInboundBySource(sourceOf(first)))?.state === 'done');
    const ticket = (await store.findTicketBySource(sourceOf(first)))!;
    await store.updateTicketStatus(ticket.ticketNo, 'in_progress', 'officer');
    await store.updateTicketStatus(ticket.ticketNo, 'resolved', 'officer');
    await pipeline.sweep();
    await until('the rating question sent', () => ratingTexts().length === 1);
    return { first, ticketNo: ticket.ticketNo };
  };
  return { store, clock, sms, pipeline, later, says, fileResolveAndAsk, ratingTexts };
}

describe('the rating reminder', () => {
  it('asks once more a day later, held from 23:00 to 08:00 IST, never a third time, and reads the answer as a rating', async () => {
    // 17:30 IST: the question goes out; a day later it is 17:30 again, and the reminder is due
    const b = await bridge('2026-12-01T12:00:00.000Z');
    const { first, ticketNo } = await b.fileResolveAndAsk('कोथरूड डेपोजवळ तीन दिवसांपासून कचरा उचलला नाही');
    expect(b.ratingTexts()).toEqual([messages.mr.askRating.replace('{ticketNo}', ticketNo)]);

    await b.later(23); // 16:30 IST the next day: not yet a day
    expect(b.ratingTexts()).toHaveLength(1);
    expect((await b.store.getTicket(ticketNo))?.ratingRemindedAt).toBeUndefined();

    await b.later(6.5); // 23:00 IST: due, but quiet hours hold it
    expect(b.ratingTexts()).toHaveLength(1);
    expect((await b.store.listOutbox({ ticketNo })).filter((e) => e.message.idempotencyKey.startsWith('rating-reminder:'))).toEqual([]);
    expect((await b.store.getTicket(ticketNo))?.ratingRemindedAt).toBeUndefined();
    await b.later(2); // 01:00 IST
    expect(b.ratingTexts()).toHaveLength(1);

    await b.later(7); // 08:00 IST
    await until('the reminder sent', () => b.ratingTexts().length === 2);
    expect(b.ratingTexts()[1]).toBe(messages.mr.ratingReminder.replace('{ticketNo}', ticketNo));
    expect(b.sms.sent.at(-1)).toMatchObject({ to: first.sender.id, kind: 'feedback_request', ticketNo });
    expect((await b.store.getTicket(ticketNo))?.ratingRemindedAt).toBe('2026-12-03T02:30:00.000Z');
    await b.later(0.5);
    expect(b.ratingTexts()).toHaveLength(2);

    // answered at 09:00 IST: read as the rating, as after the first question, then "why?" once
    await b.later(0.5);
    expect(await b.says('४', first)).toEqual([messages.mr.askComment]);
    expect(await b.says('नाही', first)).toEqual([messages.mr.thanks]);
    const feedback = (await b.store.getTicket(ticketNo))?.feedback;
    expect(feedback?.rating).toBe(4);
    expect(feedback?.comment).toBeUndefined();

    // days on: no third question
    for (const hours of [24, 24, 24]) await b.later(hours);
    expect(b.ratingTexts()).toHaveLength(2);
  });

  it('is never a third question, left unanswered for days', async () => {
    const b = await bridge('2026-12-01T05:00:00.000Z'); // 10:30 IST
    const { ticketNo } = await b.fileResolveAndAsk('कोथरूड डेपोजवळ तीन दिवसांपासून कचरा उचलला नाही');
    for (const hours of [24.5, 0.1, 24, 24, 24]) await b.later(hours);
    await until('the reminder sent', () => b.ratingTexts().length >= 2);
    expect(b.ratingTexts()).toEqual([messages.mr.askRating.replace('{ticketNo}', ticketNo), messages.mr.ratingReminder.replace('{ticketNo}', ticketNo)]);
    expect((await b.store.listOutbox({ ticketNo })).filter((e) => e.message.kind === 'feedback_request')).toHaveLength(2);
  });

  it('is sent at once in the day, in the ticket’s language, and takes a rating that says why without asking (Hindi)', async () => {
    const b = await bridge('2026-12-01T05:00:00.000Z'); // 10:30 IST
    const { first, ticketNo } = await b.fileResolveAndAsk('हडपसर में हमारी गली में दो दिन से पानी नहीं आ रहा है');
    await b.later(24.5);
    await until('the reminder sent', () => b.ratingTexts().length === 2);
    expect(b.ratingTexts()[1]).toBe(messages.hi.ratingReminder.replace('{ticketNo}', ticketNo));
    expect(await b.says('दो, पानी अब भी बहुत कम दबाव से आता है', first)).toEqual([messages.hi.reopened.replace('{ticketNo}', ticketNo)]);
    expect(await b.store.getTicket(ticketNo)).toMatchObject({ status: 'reopened', followUp: true, feedback: { rating: 2, comment: 'पानी अब भी बहुत कम दबाव से आता है' } });
  });

  it('is not sent for a ticket rated within the day, nor after the rating was asked long before (English)', async () => {
    const b = await bridge('2026-12-01T05:00:00.000Z');
    const rated = await b.fileResolveAndAsk('Streetlight not working near Karve Road bus stop for a week');
    expect(await b.says('5', rated.first)).toEqual([messages.en.askComment]);
    expect(await b.says('The crew came the next morning', rated.first)).toEqual([messages.en.thanksComment]);
    // resolved in the days before reminders were switched on: its question was asked five days ago
    const old = citizenSms('Garbage not collected near Kothrud depot for three days', { receivedAt: b.clock.now.toISOString() });
    await b.pipeline.accept([old]);
    await until('the old complaint filed', async () => (await b.store.getInboundBySource(sourceOf(old)))?.state === 'done');
    const oldNo = (await b.store.findTicketBySource(sourceOf(old)))!.ticketNo;
    await b.store.updateTicketStatus(oldNo, 'in_progress', 'officer');
    await b.store.updateTicketStatus(oldNo, 'resolved', 'officer');
    await b.store.markRatingRequested(oldNo, new Date(b.clock.now.getTime() - 5 * 24 * HOUR));

    await b.later(25);
    await b.later(1);
    expect(b.ratingTexts()).toHaveLength(1);
    expect((await b.store.getTicket(rated.ticketNo))?.feedback).toMatchObject({ rating: 5, comment: 'The crew came the next morning' });
    expect((await b.store.getTicket(oldNo))?.ratingRemindedAt).toBeUndefined();
  });
});

describe('the feedback task in the bridge’s scheduled work', () => {
  it('runs where the bot talks and reminderHours is set, and not otherwise', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmc-reminder-tasks-'));
    const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
    cleanups.push(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const logger = pino({ level: 'silent' });
    const routing = new RoutingTable({ store, defaults: config.defaults, logger });
    const deps = { store, messages, config, routing, connectors: [], logger, now: () => new Date() };
    const bot = { conversations: createConversations(shippedBotOptions(store)), normalize: SHIPPED.normalize };
    const names = (over: object) => notifyTasks({ ...deps, ...over }).map((t) => t.name);
    expect(names({ bot })).toContain('rating reminders');
    expect(names({})).not.toContain('rating reminders');
    expect(names({ bot, config: { ...config, feedback: { ...config.feedback, reminderHours: null } } })).not.toContain('rating reminders');
  });
});
