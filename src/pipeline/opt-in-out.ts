import { say } from '../bots/messages.ts';
import type { Channel } from '../model/index.ts';
import type { NormalizedMessage } from '../normalizer/index.ts';
import { optKeyword, type OptKeyword } from '../normalizer/opt-keywords.ts';
import { renderReply } from '../render/render-reply.ts';
import type { OptChange } from '../store/campaign-store.ts';
import type { ArchivedInbound } from '../store/store.ts';
import { replyTo, sightingOf, type InboundDeps } from './process-inbound.ts';

/** A STOP or START: no ticket, no bot; the choice written, confirmed once, the message done (CampaignStore.recordOpt). */
export interface OptInbound {
  inboundId: number;
  opt: OptChange;
}

// where a citizen writes to us themselves: an agent's call, another system's envelope or a Lokshahi form saying
// "STOP" is not the citizen asking
const OWN_WORDS: ReadonlySet<Channel> = new Set(['sms', 'facebook', 'twitter', 'email', 'webchat']);

/**
 * Twilio answers STOP and START itself on SMS (its Advanced Opt-Out) and still posts the message to us, with
 * `OptOutType`: we record the choice but do not confirm it a second time (and a confirmation to a number that
 * just sent STOP would only be refused by Twilio, error 21610).
 */
function twilioOptOut(archived: ArchivedInbound): OptKeyword | undefined {
  if (archived.message.channel !== 'sms') return undefined;
  const raw = archived.message.raw as Record<string, unknown> | null;
  const type = raw && typeof raw === 'object' ? raw.OptOutType : undefined;
  const value = Array.isArray(type) ? (type[0] as unknown) : type;
  if (value === 'STOP') return { choice: 'out' };
  if (value === 'START') return { choice: 'in' };
  return undefined;
}

/** The message, if it is only STOP / बंद / START / सुरू …, as an announcement choice; else undefined (it goes on as usual). */
export function prepareOpt(archived: ArchivedInbound, normalized: NormalizedMessage, deps: InboundDeps): OptInbound | undefined {
  const msg = archived.message;
  if (msg.public || msg.filedBy || !OWN_WORDS.has(msg.channel)) return undefined;
  // our own reading decides: Twilio also takes "cancel", "end" or "yes" for STOP or START, which in a conversation
  // with the bot cancel a complaint or answer a question (Twilio's flag then only spares the second confirmation)
  const keyword = optKeyword(normalized.text);
  if (!keyword) return undefined;
  const byTwilio = twilioOptOut(archived)?.choice === keyword.choice;
  const mapping = deps.routing.mappingFor(msg.channel, msg.accountId);
  const limits = deps.connectors.get(msg.channel)?.limits ?? {};
  const confirm: OptChange['confirm'] = (_contact, language) => {
    const text = say(deps.messages, language, keyword.choice === 'out' ? 'optedOut' : 'optedIn', {});
    const rendered = renderReply({ text }, { channel: msg.channel, limits, language, messages: deps.messages, subject: msg.subject });
    return replyTo(msg, { ...rendered, kind: 'info', language, key: `opt-${keyword.choice}:${msg.channel}:${msg.accountId}:${msg.externalId}` });
  };
  return {
    inboundId: archived.id,
    opt: {
      inboundId: archived.id,
      sighting: sightingOf(msg),
      choice: keyword.choice,
      via: { channel: msg.channel, accountId: msg.accountId, threadKey: msg.threadKey, to: msg.sender.id, at: msg.receivedAt },
      ...(byTwilio ? {} : { confirm }),
      language: keyword.language ?? mapping.defaultLanguage,
      now: deps.now(),
    },
  };
}
