import type { TurnContext } from 'botbuilder';
import type { ChannelMapping, Contact, InboundMessage, Language } from '../model/index.ts';
import type { NormalizedMessage } from '../normalizer/index.ts';
import type { RouteFor } from '../router/route.ts';
import type { Understanding } from './understand/index.ts';

/** What the pipeline knows before a turn: the message as normalised, the citizen, and where it is routed. */
export interface TurnInput {
  message: InboundMessage;
  normalized: NormalizedMessage;
  contact: Contact;
  mapping: ChannelMapping;
  /** where the complaint goes, given what the conversation found out (routed when it is filed) */
  route: RouteFor;
  /** what the citizen can send on this channel: the bot asks for a photo or a pin only where they can */
  carries?: { photos: boolean; location: boolean };
}

/** The input plus what the turn makes of it. */
export interface Turn extends TurnInput {
  language: Language;
  /** what the message means, read once at the start of the turn (absent on a turn the bridge starts itself) */
  understanding?: Understanding;
  /** a turn the bridge starts because a dialog asked to be woken (a promised photo that never came) */
  waking?: boolean;
  /** set by a dialog that wants a turn of its own at this time; null: it no longer does */
  wakeAt?: Date | null;
  now: Date;
}

const TURN = Symbol('pmc.turn');

export function setTurn(context: TurnContext, turn: Turn): void {
  context.turnState.set(TURN, turn);
}

export function turnOf(context: TurnContext): Turn {
  const turn = context.turnState.get(TURN) as Turn | undefined;
  if (!turn) throw new Error('no turn input: run the bot through ComplaintBot.turn');
  return turn;
}
