import type { InboundMessage } from '../model/index.ts';
import { cleanText } from './text.ts';
import { detectLanguage, type LanguageGuess } from './language.ts';

export interface NormalizedMessage {
  text: string;
  language: LanguageGuess;
  /** nothing a person could act on: no words, no media, no location */
  empty: boolean;
}

/** Pure: everything the pipeline needs to know about a message's text. */
export function normalize(message: InboundMessage): NormalizedMessage {
  const text = cleanText(message.text);
  return {
    text,
    language: detectLanguage(text),
    empty: text.length === 0 && message.attachments.length === 0 && !message.location,
  };
}
