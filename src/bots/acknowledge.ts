import type { ChannelLimits } from '../connectors/connector.ts';
import type { ReplyTexts } from '../config/schema.ts';
import type { Language } from '../model/index.ts';
import { shapeReply } from './shape-reply.ts';

export type TextsByLanguage = Readonly<Record<Language, ReplyTexts>>;

/** The acknowledgement a citizen gets until the conversational bot lands: the ticket number in their language. */
export function acknowledgement(texts: TextsByLanguage, lang: Language, ticketNo: string, limits: ChannelLimits): string {
  return shapeReply(texts[lang].ack.replaceAll('{ticketNo}', ticketNo), limits, ticketNo);
}

/** A message with nothing in it: ask what and where. */
export function askForComplaint(texts: TextsByLanguage, lang: Language, limits: ChannelLimits): string {
  return shapeReply(texts[lang].empty, limits);
}
