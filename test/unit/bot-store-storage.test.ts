import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationState, TestAdapter, type TurnContext } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreStorage } from '../../src/bots/store-storage.ts';
import { EtagConflictError } from '../../src/store/errors.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function openStore(file?: string): { store: SqliteStore; file: string } {
  const path = file ?? join((dirs[dirs.push(mkdtempSync(join(tmpdir(), 'pmc-bot-state-'))) - 1])!, 'bridge.db');
  const store = SqliteStore.open(path, { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
  stores.push(store);
  return { store, file: path };
}

/** A bot whose conversation state remembers what the citizen said, in order. */
function rememberingBot(storage: StoreStorage) {
  const state = new ConversationState(storage);
  const said = state.createProperty<string[]>('said');
  return async (context: TurnContext) => {
    const list = await said.get(context, []);
    list.push(context.activity.text);
    await said.set(context, list);
    await context.sendActivity(list.join(' | '));
    await state.saveChanges(context);
  };
}

describe('StoreStorage (botbuilder state in our store)', () => {
  it('keeps a conversation’s state across turns and across a restart of the store', async () => {
    const first = openStore();
    await new TestAdapter(rememberingBot(new StoreStorage(first.store)))
      .send('कचरा उचलला नाही')
      .assertReply('कचरा उचलला नाही')
      .send('कोथरूड')
      .assertReply('कचरा उचलला नाही | कोथरूड');
    await first.store.close();
    stores.splice(stores.indexOf(first.store), 1);

    // another process, the same file: the conversation goes on where it was
    const again = openStore(first.file);
    await new TestAdapter(rememberingBot(new StoreStorage(again.store)))
      .send('photo')
      .assertReply('कचरा उचलला नाही | कोथरूड | photo');
  });

  it('refuses a write made with a stale eTag, and lets "*" overwrite', async () => {
    const storage = new StoreStorage(openStore().store);
    await storage.write({ 'sms/+919876543210': { step: 'ask-ward' } });
    const { 'sms/+919876543210': read } = await storage.read(['sms/+919876543210']);
    expect(read).toMatchObject({ step: 'ask-ward', eTag: expect.any(String) });

    await storage.write({ 'sms/+919876543210': { ...read, step: 'confirm' } });
    await expect(storage.write({ 'sms/+919876543210': { ...read, step: 'stale' } })).rejects.toBeInstanceOf(EtagConflictError);
    await storage.write({ 'sms/+919876543210': { step: 'reset', eTag: '*' } });
    const after = await storage.read(['sms/+919876543210']);
    expect(after['sms/+919876543210']).toMatchObject({ step: 'reset' });
  });

  it('reads only keys that exist, and deletes', async () => {
    const storage = new StoreStorage(openStore().store);
    await storage.write({ a: { v: 'अ' }, b: { v: 'b' } });
    expect(Object.keys(await storage.read(['a', 'missing', 'b'])).sort()).toEqual(['a', 'b']);
    await storage.delete(['a', 'never-there']);
    expect(Object.keys(await storage.read(['a', 'b']))).toEqual(['b']);
  });
});
