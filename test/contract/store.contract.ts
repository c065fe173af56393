import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../../src/store/store.ts';
import { inboundContract } from './inbound.contract.ts';
import { contactContract, ticketContract } from './tickets.contract.ts';
import { outboxContract } from './outbox.contract.ts';
import { stateContract } from './state.contract.ts';
import { completionContract } from './completion.contract.ts';
import { followUpContract } from './follow-up.contract.ts';
import { feedbackContract } from './feedback.contract.ts';
import { turnContract } from './turn.contract.ts';
import { chatContract } from './chat.contract.ts';
import { channelStateContract } from './channel-state.contract.ts';
import { adminContract } from './admin.contract.ts';

export { CONTRACT_FIRST_TICKET_NUMBER, CONTRACT_TICKET_PREFIX } from './store-fixtures.ts';

export interface StoreHarness {
  /** a fresh, empty store opened with CONTRACT_TICKET_PREFIX and CONTRACT_FIRST_TICKET_NUMBER */
  store: Store;
  /** opens the same data again; the suite closes the previous store first */
  reopen?: () => Promise<Store>;
  /** closes every store the harness opened and removes its data */
  cleanup: () => Promise<void>;
}

/** What each section of the suite sees: the current store, and a way to close and reopen it. */
export interface ContractContext {
  store(): Store;
  /** undefined when the implementation under test cannot reopen */
  canReopen(): boolean;
  reopen(): Promise<Store>;
}

/**
 * The suite every Store implementation must pass. Each test gets a fresh store from `makeStore`.
 * Stores must be opened with CONTRACT_TICKET_PREFIX and CONTRACT_FIRST_TICKET_NUMBER.
 */
export function describeStoreContract(name: string, makeStore: () => Promise<StoreHarness>): void {
  describe(`Store contract: ${name}`, () => {
    let harness: StoreHarness;
    let current: Store;

    beforeEach(async () => {
      harness = await makeStore();
      current = harness.store;
    });
    afterEach(async () => {
      await harness.cleanup();
    });

    const ctx: ContractContext = {
      store: () => current,
      canReopen: () => harness.reopen !== undefined,
      async reopen() {
        if (!harness.reopen) throw new Error(`${name} does not support reopen`);
        await current.close();
        current = await harness.reopen();
        return current;
      },
    };

    inboundContract(ctx);
    contactContract(ctx);
    ticketContract(ctx);
    outboxContract(ctx);
    stateContract(ctx);
    completionContract(ctx);
    followUpContract(ctx);
    feedbackContract(ctx);
    turnContract(ctx);
    chatContract(ctx);
    adminContract(ctx);
    channelStateContract(ctx);
  });
}
