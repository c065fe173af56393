import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationState, type TurnContext } from 'botbuilder';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BridgeAdapter } from '../../src/bots/bridge-adapter.ts';
import { TurnStorage } from '../../src/bots/turn-storage.ts';
import type { InboundMessage } from '../../src/model/index.ts';
import { normalize } from '../../src/normalizer/index.ts';
import { EtagConflictError } from '../../src/store/errors.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { citizenSms } from '../support/pipeline-parts.ts';

let dir: string;
let store: SqliteStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pmc-turn-'));
  store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One turn of a bot that remembers what the citizen said; returns the storage holding what it wrote. */
async function turn(message: InboundMessage): Promise<{ storage: TurnStorage; replies: string[] }> {
  const storage = new TurnStorage(store);
  const state = new ConversationState(storage);
  const said = state.createProperty<string[]>('said');
  const replies = await new BridgeAdapter().processMessage(message, normalize(message), async (context: TurnContext) => {
    const list = await said.get(context, []);
    list.push(context.activity.text);
    await said.set(context, list);
    await context.sendActivity(list.join(' | '));
    await state.saveChanges(context);
  });
  return { storage, replies: replies.map((r) => r.text) };
}

async function commit(message: InboundMessage, storage: TurnStorage): Promise<void> {
  const [archived] = await store.archiveInbound([message]);
  await store.completeTurn({ inboundId: archived!.id, state: storage.held(), replies: [], now: new Date() });
}

describe('TurnStorage', () => {
  it('holds a turn’s state until the turn is committed, then the next turn continues from it', async () => {
    const first = citizenSms('कचरा उचलला नाही');
    const one = await turn(first);
    expect(one.replies).toEqual(['कचरा उचलला नाही']);
    expect(await store.readConversations([one.storage.held()[0]!.key])).toEqual([]); // nothing written yet

    await commit(first, one.storage);
    const second = citizenSms('कोथरूड', { threadKey: first.threadKey, sender: first.sender });
    expect((await turn(second)).replies).toEqual(['कचरा उचलला नाही | कोथरूड']);
  });

  it('makes the second of two turns that read the same state fail at commit, so it runs again', async () => {
    const first = citizenSms('पाणी येत नाही');
    await commit(first, (await turn(first)).storage);

    const a = citizenSms('बाणेर', { threadKey: first.threadKey, sender: first.sender });
    const b = citizenSms('फोटो नाही', { threadKey: first.threadKey, sender: first.sender });
    const [ta, tb] = [await turn(a), await turn(b)]; // both read the state after the first turn
    await commit(a, ta.storage);
    await expect(commit(b, tb.storage)).rejects.toBeInstanceOf(EtagConflictError);
    // run again, b sees a's answer: the two messages are taken in order
    expect((await turn(b)).replies).toEqual(['पाणी येत नाही | बाणेर | फोटो नाही']);
  });

  it('reads only the keys that exist, and holds a delete as an emptied state', async () => {
    await store.writeConversation('a', { v: 'अ' });
    const storage = new TurnStorage(store);
    expect(Object.keys(await storage.read(['a', 'missing']))).toEqual(['a']);
    await storage.delete(['a']);
    expect(await storage.read(['a'])).toEqual({ a: {} });
    expect(storage.held()).toEqual([{ key: 'a', data: {}, etag: expect.any(String) }]);
  });
});
