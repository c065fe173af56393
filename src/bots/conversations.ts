import type { Language } from '../model/index.ts';
import type { CompletedTurn, Store } from '../store/store.ts';
import type { BotReply } from './bridge-adapter.ts';
import { ComplaintBot } from './complaint-bot.ts';
import type { Messages } from './messages.ts';
import type { TurnInput } from './turn-input.ts';
import { TurnStorage } from './turn-storage.ts';

export type { BotReply } from './bridge-adapter.ts';
export type { TurnInput } from './turn-input.ts';

/** One turn's outcome, ready for Store.completeTurn: what to say, in which language, and the state to commit. */
export interface ConversationTurn {
  replies: BotReply[];
  language: Language;
  state: CompletedTurn['state'];
}

/** The seam the pipeline talks to: no botbuilder type crosses it. */
export interface Conversations {
  turn(input: TurnInput): Promise<ConversationTurn>;
  /**
   * a turn the bridge starts: asks the citizen to rate a resolved ticket. `input.message` is the message the ticket
   * came from (it names the conversation). Undefined while the citizen is busy in another dialog: try again later.
   */
  askForRating(input: TurnInput, ticket: { ticketNo: string; language: Language }): Promise<ConversationTurn | undefined>;
}

export function createConversations(store: Store, messages: Messages, now?: () => Date): Conversations {
  const bot = new ComplaintBot(store, messages, now);
  return {
    async turn(input) {
      const storage = new TurnStorage(store);
      const { replies, language } = await bot.turn(input, storage);
      return { replies, language, state: storage.held() };
    },
    async askForRating(input, ticket) {
      const storage = new TurnStorage(store);
      const asked = await bot.askForRating(input, ticket, storage);
      return asked && { ...asked, state: storage.held() };
    },
  };
}
