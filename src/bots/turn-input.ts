import type { TurnContext } from 'botbuilder';
import type { ChannelMapping, Contact, InboundMessage, Language } from '../model/index.ts';
import type { NormalizedMessage } from '../normalizer/index.ts';
import type { Route } from '../router/route.ts';

/** What the pipeline knows before a turn: the message as normalised, the citizen, and where it is routed. */
export interface TurnInput {
  message: InboundMessage;
  normalized: NormalizedMessage;
  contact: Contact;
  mapping: ChannelMapping;
  route: Route;
}

/** The input plus the language this turn answers in. */
export interface Turn extends TurnInput {
  language: Language;
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
