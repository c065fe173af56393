import type { Language } from '../model/index.ts';
import type { NormalizedMessage } from '../normalizer/index.ts';
import { UNSURE, type Intent } from './understand/index.ts';
import type { CompletedTurn } from '../store/store.ts';
import type { BotOptions } from './bot-options.ts';
import type { BotReply } from './bridge-adapter.ts';
import { ComplaintBot, type RatingRequest } from './complaint-bot.ts';
import type { TurnInput } from './turn-input.ts';
import { TurnStorage } from './turn-storage.ts';

export type { BotReply } from './bridge-adapter.ts';
export type { TurnInput } from './turn-input.ts';
export type { BotOptions } from './bot-options.ts';
export type { RatingRequest } from './complaint-bot.ts';

/** One turn's outcome, ready for Store.completeTurn: what to say, in which language, and the state to commit. */
export interface ConversationTurn {
  replies: BotReply[];
  language: Language;
  state: CompletedTurn['state'];
  /** undefined: no change; null: the conversation no longer wants a turn of its own; a date: wake it then */
  wakeAt?: Date | null;
}

/** The seam the pipeline talks to: no botbuilder type crosses it. */
export interface Conversations {
  turn(input: TurnInput): Promise<ConversationTurn>;
  /**
   * a turn the bridge starts: asks the citizen to rate a resolved ticket (`reminder`: once more, a day on, with
   * the reminder's words). `input.message` is the message the ticket came from (it names the conversation).
   * Undefined while the citizen is busy in another dialog: try again later.
   */
  askForRating(input: TurnInput, ticket: RatingRequest): Promise<ConversationTurn | undefined>;
  /** a turn the bridge starts when a conversation asked to be woken (`ConversationTurn.wakeAt`) and the time came */
  wake(input: TurnInput): Promise<ConversationTurn>;
  /**
   * What a public post (a mention, a page comment) asks of us, read by the intent layer: a complaint to file, a
   * greeting or question to answer with an invitation to write privately, or nothing to say in public (thanks,
   * abuse, chatter): a public thank-you filed as a ticket is a junk ticket.
   */
  readPublicPost(n: NormalizedMessage): PublicPost;
}

export type PublicPost = 'file' | 'invite' | 'ignore';

// what a post is, by what it means: a place alone or an urge about one is a complaint too
const FILE: ReadonlySet<Intent> = new Set(['complaint', 'place', 'outside_area', 'photo_promise']);
const INVITE: ReadonlySet<Intent> = new Set(['greeting', 'wish_to_complain', 'question', 'status', 'language']);
const IGNORE: ReadonlySet<Intent> = new Set(['thanks', 'abuse', 'off_topic', 'rating', 'cancel', 'no_photo']);

export function createConversations(options: BotOptions): Conversations {
  const bot = new ComplaintBot(options);
  const run = async (go: (storage: TurnStorage) => Promise<Omit<ConversationTurn, 'state'> | undefined>) => {
    const storage = new TurnStorage(options.store);
    const outcome = await go(storage);
    return outcome && { ...outcome, state: storage.held() };
  };
  return {
    turn: async (input) => (await run((storage) => bot.turn(input, storage)))!,
    askForRating: (input, ticket) => run((storage) => bot.askForRating(input, ticket, storage)),
    wake: async (input) => (await run((storage) => bot.wake(input, storage)))!,
    readPublicPost: (n) => {
      const { intent, confidence } = options.understander.read(n, 'none');
      if (FILE.has(intent)) return 'file';
      // thanks for a problem set right names the problem and is still thanks (a rule of the intent layer, sure)
      if (intent === 'thanks' && confidence === 1) return 'ignore';
      // a problem word the normalizer knows (पाणी, कचरा, pothole) files it, whatever else the post says
      if (n.entities.categories.length > 0) return 'file';
      if (IGNORE.has(intent) && confidence >= UNSURE) return 'ignore';
      // a guess is not enough to stay silent: an unsure reading gets the invitation
      if (INVITE.has(intent) || confidence < UNSURE) return 'invite';
      return 'ignore';
    },
  };
}
