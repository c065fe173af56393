import type { Channel } from '../model/index.ts';

/** What routing looks at in a complaint: where it came in, what it says, what category and place were found. */
export interface ComplaintFacts {
  /** the complaint's text, all its turns (normalised) */
  text: string;
  /** a category id (config/categories.yaml): the source's own, or what the words suggest */
  category?: string;
  /** the ward office the citizen named (the text, the bot's question) */
  ward?: string;
  pinCodes?: readonly string[];
  location?: { lat: number; lon: number };
  /** when the complaint began, if not at the message routing is asked for (a conversation's first message) */
  receivedAt?: Date;
}

export interface RoutingFacts extends ComplaintFacts {
  channel: Channel;
  accountId: string;
  receivedAt: Date;
}
