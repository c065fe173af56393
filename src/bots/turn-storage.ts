import type { Storage, StoreItems } from 'botbuilder';
import type { CompletedTurn, Store } from '../store/store.ts';

/**
 * botbuilder Storage for exactly one turn: reads come from the store, writes are held back and handed to the
 * pipeline, which commits them with the turn's replies in one step (Store.completeTurn). So a crash mid-turn
 * leaves neither half a state nor replies without it, and a retry runs the turn again from the same state.
 *
 * Each key is written back with the eTag this turn read it with, whatever eTag botbuilder passes (BotState
 * always says '*'): if another turn of the same conversation committed in between, the commit fails and the turn
 * is run again on the fresh state. A key that did not exist when read is simply written.
 */
export class TurnStorage implements Storage {
  private readonly readEtags = new Map<string, string>();
  private readonly pending = new Map<string, unknown>();

  constructor(private readonly store: Store) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    const fromStore = keys.filter((k) => !this.pending.has(k));
    for (const key of keys) if (this.pending.has(key)) items[key] = { ...(this.pending.get(key) as object) };
    for (const { key, data, etag } of await this.store.readConversations(fromStore)) {
      if (!this.readEtags.has(key)) this.readEtags.set(key, etag);
      items[key] = { ...(data as Record<string, unknown>), eTag: etag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      const { eTag: _eTag, ...data } = (item ?? {}) as Record<string, unknown>;
      this.pending.set(key, data);
    }
  }

  /** a cleared state is written as empty: the turn's commit stays one step */
  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.pending.set(key, {});
  }

  /** what the turn wrote, each with the eTag it was read with, for Store.completeTurn */
  held(): CompletedTurn['state'] {
    return [...this.pending].map(([key, data]) => {
      const etag = this.readEtags.get(key);
      return etag === undefined ? { key, data } : { key, data, etag };
    });
  }
}
