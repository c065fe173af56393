import { MessageFactory, type Activity } from 'botbuilder';
import type { OutboundMessage } from '../model/index.ts';

/** What a reply is, for the outbox (`pmc-bridge outbox list`, dead letters): an acknowledgement, a status, … */
export type ReplyKind = OutboundMessage['kind'];

const KIND = 'pmcReplyKind';

/** a message activity that says what kind of reply it is (the bridge adapter reads it back) */
export function reply(text: string | Partial<Activity>, kind: ReplyKind): Partial<Activity> {
  const activity = typeof text === 'string' ? MessageFactory.text(text) : text;
  return { ...activity, channelData: { ...(activity.channelData as object | undefined), [KIND]: kind } };
}

export function kindOf(activity: Partial<Activity>): ReplyKind | undefined {
  const kind = (activity.channelData as Record<string, unknown> | undefined)?.[KIND];
  return typeof kind === 'string' ? (kind as ReplyKind) : undefined;
}
