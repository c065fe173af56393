import type { BotReply } from '../bots/bridge-adapter.ts';
import { say, type Messages } from '../bots/messages.ts';
import { toMarkdown } from './markdown-text.ts';
import { shapeReply } from './shape-text.ts';
import type { ChannelLimits } from '../connectors/connector.ts';
import type { Channel, Language } from '../model/index.ts';

/** A reply as one channel carries it. */
export interface RenderedReply {
  text: string;
  /** email: the ticket number first, so the citizen (and their mail search) finds it */
  subject?: string;
  /** buttons where the channel has them: Messenger quick replies, X DM quick replies, web chat suggested actions */
  choices?: string[];
}

export interface RenderContext {
  channel: Channel;
  limits: ChannelLimits;
  language: Language;
  messages: Messages;
  /** the ticket number the reply carries: kept when the text must be shortened, and put in an email subject */
  ticketNo?: string | undefined;
  /** the subject of the citizen's email, answered as "Re: …" */
  subject?: string | undefined;
  /** a tweet or page comment: no buttons on a public reply */
  public?: boolean | undefined;
}

/**
 * Fits what the bot said to the channel it goes out on, by what its connector declares (ChannelLimits): the length
 * rule (SMS segments, X's weighted 280, Messenger's 2000), buttons where there are any (Messenger 13 quick replies of
 * ≤ 20 characters, X DMs 20 of ≤ 36; on SMS the question itself says what to answer), and a subject with the ticket
 * number where replies have one (email).
 */
export function renderReply(reply: BotReply, ctx: RenderContext): RenderedReply {
  const shaped = shapeReply(reply.text, ctx.limits, ctx.ticketNo);
  const text = ctx.limits.markdown ? toMarkdown(shaped) : shaped;
  const buttons = ctx.limits.buttons;
  const choices = buttons && !ctx.public ? fitChoices(reply.choices ?? [], buttons) : [];
  return {
    text,
    ...(ctx.limits.subject ? { subject: emailSubject(ctx) } : {}),
    ...(choices.length > 0 ? { choices } : {}),
  };
}

function fitChoices(choices: readonly string[], { most, longest }: { most: number; longest: number }): string[] {
  return choices.slice(0, most).map((c) => ([...c].length > longest ? [...c].slice(0, longest - 1).join('') + '…' : c));
}

/** "[PMC10001] Re: पाणी येत नाही": the number first; the citizen's own subject keeps the thread recognisable */
function emailSubject(ctx: RenderContext): string {
  // a number in brackets that is not this ticket's ("[PMC99999]", quoted from elsewhere) would stand beside ours:
  // one number in a subject, the one that is true
  const others = /\[\s*[A-Z]{1,8}\s?-?\d{3,12}\s*\]\s*/giu;
  const untagged = ctx.ticketNo ? ctx.subject?.replace(others, (tag) => (tag.toUpperCase().replace(/[^A-Z0-9]/g, '') === ctx.ticketNo ? tag : '')) : ctx.subject;
  const original = untagged?.replace(/^(\s*(re|fwd?|aw|उत्तर)\s*:\s*)+/iu, '').trim();
  const base = original ? `Re: ${original}` : say(ctx.messages, ctx.language, 'emailSubject');
  return ctx.ticketNo && !base.includes(ctx.ticketNo) ? `[${ctx.ticketNo}] ${base}` : base;
}
