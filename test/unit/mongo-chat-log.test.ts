import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.ts';
import {
  cancelEntryFilter,
  chatConversationModel,
  chatEntryModel,
  dropChatsFilter,
  entriesOfFilter,
  entryFilter,
  expiredChatsFilter,
  getChatFilter,
  keepChatUpdate,
  latestChatFilter,
  MongoChatLog,
  newChatDoc,
  putEntryUpdate,
  readableEntries,
  readChatFilter,
  replyEntryDoc,
  reservedEntryDoc,
  STALE_RESERVATION_MS,
  TAKE_SEQ_UPDATE,
} from '../../src/store/mongo/chat-log.ts';

// A connection with no URI never connects: models, casting and validation are all local.
const conn = mongoose.createConnection();
afterAll(() => conn.close());

const now = new Date('2026-03-09T04:30:00.000Z');
const say = (text: string) => ({ type: 'message', text });

async function problems(doc: { validate(): Promise<unknown> }): Promise<Record<string, string> | undefined> {
  try {
    await doc.validate();
    return undefined;
  } catch (err) {
    return Object.fromEntries(Object.entries((err as mongoose.Error.ValidationError).errors).map(([path, e]) => [path, e.kind]));
  }
}

describe('mongo chat log: documents and their validation', () => {
  it('a new conversation starts its log at 1, its time cast to a date; one without its citizen is refused', async () => {
    const Chat = chatConversationModel(conn);
    const doc = newChatDoc({ id: 'wc-1', userId: 'dl_asha', keptUntil: '2026-03-09T10:00:00+05:30' });
    expect(doc).toEqual({ _id: 'wc-1', userId: 'dl_asha', keptUntil: now, nextSeq: 1 });
    expect(await problems(new Chat(doc))).toBeUndefined();
    expect(await problems(new Chat({ _id: 'wc-2', keptUntil: now }))).toEqual({ userId: 'required' });
    expect(await problems(new Chat({ _id: 'wc-3', userId: 'dl_x', keptUntil: 'उद्या' }))).toEqual({ keptUntil: 'date' });
    expect(new Chat({ _id: 'wc-4', userId: 'dl_x', keptUntil: now }).nextSeq).toBe(1);
  });

  it('keeps an activity as the JSON text it was, whatever keys a web client put in it', async () => {
    const Entry = chatEntryModel(conn);
    const activity = { ...say('रस्त्यावर खड्डे आहेत'), channelData: { $where: 'x', 'a.b': 1, empty: {} } };
    const reply = replyEntryDoc('wc-1', 2, 9001, activity);
    expect(JSON.parse(reply.activity!)).toEqual(activity);
    expect(await problems(new Entry(reply))).toBeUndefined();
    const reserved = new Entry(reservedEntryDoc('wc-1', 1, now));
    expect(reserved.activity).toBeNull();
    expect(reserved.reservedAt).toEqual(now);
    expect(await problems(new Entry({ conversationId: 'wc-1', activity: null }))).toEqual({ seq: 'required' });
    expect(await problems(new Entry({ conversationId: 'wc-1', seq: 0 }))).toEqual({ seq: 'min' });
  });

  it('declares one entry per seq of a conversation, one per outbox entry, and no TTL that would orphan a log', () => {
    const entryIndexes = chatEntryModel(conn).schema.indexes();
    expect(entryIndexes).toContainEqual([{ conversationId: 1, seq: 1 }, expect.objectContaining({ unique: true })]);
    expect(entryIndexes).toContainEqual([{ outboxId: 1 }, expect.objectContaining({ unique: true, partialFilterExpression: { outboxId: { $exists: true } } })]);
    const chatIndexes = chatConversationModel(conn).schema.indexes();
    expect(chatIndexes.map(([k]) => k)).toEqual([{ userId: 1, keptUntil: -1 }, { keptUntil: 1 }]);
    expect(chatIndexes.every(([, o]) => o.expireAfterSeconds === undefined)).toBe(true);
    expect([chatConversationModel(conn), chatEntryModel(conn)].map((m) => m.collection.collectionName)).toEqual(['chat_conversations', 'chat_entries']);
    // the Store's web chat methods, signature for signature (checked by tsc), on a connection made twice over
    const log: Pick<Store, 'openChat' | 'getChat' | 'latestChatOf' | 'reserveChatEntry' | 'putChatEntry' | 'cancelChatEntry' | 'appendChatReply' | 'readChat' | 'dropExpiredChats'> = new MongoChatLog(conn);
    expect(() => new MongoChatLog(conn)).not.toThrow();
    expect(typeof log.readChat).toBe('function');
  });
});

describe('mongo chat log: what each call sends', () => {
  it('keeps a conversation longer, never shorter, and never changes whose it is', () => {
    expect(keepChatUpdate('2026-03-09T04:30:00.000Z')).toEqual({ $max: { keptUntil: now } });
    expect(JSON.stringify(keepChatUpdate(now.toISOString()))).not.toContain('userId');
    expect(getChatFilter('wc-1', now)).toEqual({ _id: 'wc-1', keptUntil: { $gt: now } });
    expect(latestChatFilter('dl_asha', now)).toEqual({ userId: 'dl_asha', keptUntil: { $gt: now } });
  });

  it('takes seqs from the conversation, and cancels only what is still reserved', () => {
    expect(TAKE_SEQ_UPDATE).toEqual({ $inc: { nextSeq: 1 } });
    expect(entryFilter('wc-1', 3)).toEqual({ conversationId: 'wc-1', seq: 3 });
    expect(putEntryUpdate(say('कोथरूड'))).toEqual({ $set: { activity: '{"type":"message","text":"कोथरूड"}' } });
    expect(cancelEntryFilter('wc-1', 3)).toEqual({ conversationId: 'wc-1', seq: 3, activity: null });
  });

  it('reads after the watermark in seq order, cast as sent', () => {
    expect(readChatFilter('wc-1', 4)).toEqual({ conversationId: 'wc-1', seq: { $gt: 4 } });
    expect(chatEntryModel(conn).find(readChatFilter('wc-1', 4)).cast()).toEqual({ conversationId: 'wc-1', seq: { $gt: 4 } });
  });

  it('stops before a fresh reservation, so a reply is never read before the message it answers', () => {
    const rows = [
      { seq: 1, activity: JSON.stringify(say('नमस्कार')) },
      { seq: 2, activity: null, reservedAt: new Date(now.getTime() - 1_000) },
      { seq: 3, activity: JSON.stringify(say('ही अडचण नेमकी कुठे आहे?')) },
    ];
    expect(readableEntries(rows, 0, now)).toEqual({ entries: [{ seq: 1, activity: say('नमस्कार') }], through: 1, stale: [] });
    expect(readableEntries(rows.slice(1), 1, now)).toEqual({ entries: [], through: 1, stale: [] });
  });

  it('passes a reservation a crash left behind long ago, and says which to cancel', () => {
    const rows = [
      { seq: 5, activity: null, reservedAt: new Date(now.getTime() - STALE_RESERVATION_MS - 1) },
      { seq: 6, activity: JSON.stringify(say('Your complaint has been registered.')) },
      { seq: 7, activity: null },
      { seq: 8, activity: JSON.stringify(say('शिकायत दर्ज हो गई है')) },
    ];
    expect(readableEntries(rows, 4, now)).toEqual({
      entries: [
        { seq: 6, activity: say('Your complaint has been registered.') },
        { seq: 8, activity: say('शिकायत दर्ज हो गई है') },
      ],
      through: 8,
      stale: [5, 7],
    });
    expect(readableEntries([], 9, now)).toEqual({ entries: [], through: 9, stale: [] });
  });

  it('drops expired conversations with their logs, never one kept again meanwhile', () => {
    expect(expiredChatsFilter(now)).toEqual({ keptUntil: { $lte: now } });
    expect(entriesOfFilter(['wc-1', 'wc-2'])).toEqual({ conversationId: { $in: ['wc-1', 'wc-2'] } });
    expect(dropChatsFilter(['wc-1'], now)).toEqual({ _id: { $in: ['wc-1'] }, keptUntil: { $lte: now } });
  });
});
