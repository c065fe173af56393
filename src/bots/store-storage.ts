import type { Storage, StoreItems } from 'botbuilder';
import type { Store } from '../store/store.ts';

/**
 * botbuilder's Storage on our Store, so turn and dialog state live with the tickets: any process can continue any
 * conversation, and a restart loses nothing. eTags are the store's: an item written with the eTag it was read
 * with fails (EtagConflictError) if someone wrote in between; '*' or no eTag overwrites — which is what BotState
 * does, so turns of one conversation must not run side by side (the pipeline serialises them).
 */
export class StoreStorage implements Storage {
  constructor(private readonly store: Store) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const { key, data, etag } of await this.store.readConversations(keys)) {
      items[key] = { ...(data as Record<string, unknown>), eTag: etag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...data } = (item ?? {}) as Record<string, unknown>;
      await this.store.writeConversation(key, data, typeof eTag === 'string' ? eTag : undefined);
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) await this.store.deleteConversation(key);
  }
}
