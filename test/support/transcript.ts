import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BotOptions } from '../../src/bots/bot-options.ts';
import type { BotReply } from '../../src/bots/bridge-adapter.ts';
import { ComplaintBot } from '../../src/bots/complaint-bot.ts';
import { TurnStorage } from '../../src/bots/turn-storage.ts';
import { ChannelMapping, type Attachment, type InboundMessage, type Ticket } from '../../src/model/index.ts';
import type { ComplaintFacts } from '../../src/router/routing-facts.ts';
import { categoryRules } from '../../src/router/category-rules.ts';
import { compileRouting, routeComplaint } from '../../src/router/route.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { shippedBotOptions, SHIPPED } from './bot-parts.ts';
import { citizenSms, OUR_NUMBER } from './pipeline-parts.ts';

export const messages = SHIPPED.messages;
const normalize = SHIPPED.normalize;

export const SMS_MAPPING = ChannelMapping.parse({
  id: 'sms-main',
  channel: 'sms',
  accountId: OUR_NUMBER,
  department: 'call-centre',
  defaultLanguage: 'mr',
  replyPolicy: 'conversational',
  slaHours: 72,
});

/** a channel that carries photos and pins (WhatsApp, Messenger), and one that carries text only (SMS in India) */
export const PHOTOS_AND_PINS = { photos: true, location: true };
export const TEXT_ONLY = { photos: false, location: false };

/** the shipped categories' rules, as a new store starts with them */
const ROUTING = compileRouting({ rules: categoryRules(SHIPPED.gazetteer.categories), slas: [] });

export const PHOTO: Attachment = { kind: 'image', mime: 'image/jpeg', url: 'https://media.example.org/photo.jpg' };

export const ticketIn = (reply: string | undefined) => /PMC\d+/.exec(reply ?? '')?.[0];

/**
 * Conversations as citizens have them, through the real bot, botbuilder, the intent layer trained from
 * config/intents and a SQLite store; each turn committed the way the pipeline commits it (Store.completeTurn, its
 * wake-up too), so state survives between turns only through the store. A clock the test moves.
 */
export function transcriptWorld() {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-transcript-'));
  const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
  const clock = { now: new Date('2026-12-01T05:30:00.000Z') };
  const botOptions = (over: Partial<BotOptions> = {}) => shippedBotOptions(store, { now: () => clock.now, ...over });
  let seq = 0;

  async function commit(storage: TurnStorage, outcome: { wakeAt?: Date | null }, conversation: string, inboundId?: number) {
    await store.completeTurn({
      ...(inboundId !== undefined ? { inboundId } : {}),
      state: storage.held(),
      replies: [],
      ...(outcome.wakeAt !== undefined ? { wake: { conversation, at: outcome.wakeAt, ...(inboundId !== undefined ? { inboundId } : {}) } } : {}),
      now: clock.now,
    });
  }

  function citizen(phone: string, opts: { carries?: { photos: boolean; location: boolean } } = {}) {
    const carries = opts.carries ?? TEXT_ONLY;
    const conversation = `sms:${phone}`;
    let first: InboundMessage | undefined;
    const inputFor = async (message: InboundMessage) => {
      const contact = await store.upsertContact({ channel: 'sms', channelUserId: phone, phone });
      return { message, normalized: normalize(message), contact, mapping: SMS_MAPPING, route: (facts: ComplaintFacts) => routeComplaint(ROUTING, SMS_MAPPING, { ...facts, channel: 'sms', accountId: message.accountId, receivedAt: new Date(message.receivedAt) }), carries };
    };
    const self = {
      bot: new ComplaintBot(botOptions()),
      /** one turn: the bot's replies */
      async turn(text: string, over: Partial<InboundMessage> = {}): Promise<BotReply[]> {
        const message = citizenSms(text, { threadKey: phone, sender: { id: phone, phone }, externalId: `SM-${phone}-${++seq}`, receivedAt: clock.now.toISOString(), ...over });
        first ??= message;
        const [archived] = await store.archiveInbound([message]);
        const storage = new TurnStorage(store);
        const outcome = await self.bot.turn(await inputFor(message), storage);
        await commit(storage, outcome, conversation, archived!.id);
        return outcome.replies;
      },
      /** one turn: the texts of the bot's replies */
      async says(text: string, over: Partial<InboundMessage> = {}): Promise<string[]> {
        return (await self.turn(text, over)).map((r) => r.text);
      },
      async sendsPhoto(text = ''): Promise<string[]> {
        return self.says(text, { attachments: [PHOTO] });
      },
      /** the bridge's own turn on this conversation, when its wake-up is due (the pipeline's sweep) */
      async wakeIfDue(): Promise<string[] | undefined> {
        const due = (await store.listDueWakeups(clock.now, 100)).find((w) => w.conversation === conversation);
        if (!due) return undefined;
        const message = (await store.getInbound(due.inboundId))!.message;
        const storage = new TurnStorage(store);
        const outcome = await self.bot.wake(await inputFor(message), storage);
        await commit(storage, { wakeAt: outcome.wakeAt ?? null }, conversation);
        return outcome.replies.map((r) => r.text);
      },
      /** the notifier's turn for a resolved ticket, committed as the pipeline commits it: the texts */
      async askedToRate(ticketNo: string): Promise<string[] | undefined> {
        return (await self.askedToRateReplies(ticketNo))?.map((r) => r.text);
      },
      /** the same turn: the replies as the bot said them, buttons included */
      async askedToRateReplies(ticketNo: string): Promise<BotReply[] | undefined> {
        const message = first ?? citizenSms('', { threadKey: phone, sender: { id: phone, phone } });
        const language = (await store.getTicket(ticketNo))?.language ?? 'mr';
        const storage = new TurnStorage(store);
        const asked = await self.bot.askForRating(await inputFor(message), { ticketNo, language }, storage);
        if (asked) await store.completeTurn({ state: storage.held(), replies: [], ratingRequested: ticketNo, now: clock.now });
        return asked?.replies;
      },
    };
    return self;
  }

  return {
    store,
    clock,
    botOptions,
    citizen,
    /** every ticket filed so far */
    tickets: (): Promise<Ticket[]> => store.listTickets({ limit: 1000 }),
    /** an officer settles the ticket */
    resolve: async (ticketNo: string) => {
      await store.updateTicketStatus(ticketNo, 'in_progress', 'officer');
      await store.updateTicketStatus(ticketNo, 'resolved', 'officer');
    },
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type TranscriptWorld = ReturnType<typeof transcriptWorld>;

/** the text of a message key with its placeholders filled */
export function text(lang: 'mr' | 'hi' | 'en', key: keyof (typeof messages)['mr'], values: Record<string, string> = {}): string {
  return (messages[lang][key] as string).replace(/\{(\w+)\}/g, (_a, k: string) => values[k] ?? `{${k}}`);
}
