import type { Config } from '../../config/schema.ts';
import type { OutboundMessage } from '../../model/index.ts';

/**
 * India's DLT rules (TRAI): every commercial SMS names the sender's principal entity and the content template it
 * was registered under. Twilio's Messages API takes neither as a parameter (the SDK's `messages.create` has no such
 * field): Twilio registers the entity and the templates with the sender ID (its India pre-registration form) and
 * the operators match each message's text against the registered templates. So the ids are not sent; they are kept
 * on the outbox entry and checked here, so the audit shows which template each SMS went under and a campaign whose
 * template is not registered is never sent.
 */
export type DltConfig = Readonly<Config['channels']['sms']['dlt']>;
export type DltKind = keyof DltConfig['templates'];

/** which template each outbound kind goes under; replies and notices inside a conversation have none of their own */
const KIND_TEMPLATE: Partial<Record<OutboundMessage['kind'], DltKind>> = {
  ack: 'ack',
  status: 'status',
  feedback_request: 'rating',
  campaign: 'campaign',
};

/** the ids an SMS of this kind carries, when both are configured */
export function dltFor(kind: OutboundMessage['kind'], dlt: DltConfig | undefined): OutboundMessage['dlt'] | undefined {
  const template = KIND_TEMPLATE[kind];
  const templateId = template ? dlt?.templates[template] : undefined;
  const entityId = dlt?.principalEntityId;
  return templateId && entityId ? { entityId, templateId } : undefined;
}

/** the message with the DLT ids of its kind, when it is an SMS without them and they are configured */
export function withDlt(message: OutboundMessage, dlt: DltConfig | undefined): OutboundMessage {
  if (message.channel !== 'sms' || message.dlt) return message;
  const ids = dltFor(message.kind, dlt);
  return ids ? { ...message, dlt: ids } : message;
}

/** the ids missing from config, for the start banner ("principal entity id, campaign template") */
export function missingDlt(dlt: DltConfig | undefined): string[] {
  const missing: string[] = [];
  if (!dlt?.principalEntityId) missing.push('principalEntityId');
  for (const kind of ['ack', 'status', 'rating', 'campaign'] as const) if (!dlt?.templates[kind]) missing.push(`templates.${kind}`);
  return missing;
}

/** why a campaign cannot go by SMS under this config, or undefined when it can */
export function campaignDltProblem(dlt: DltConfig | undefined): string | undefined {
  if (dltFor('campaign', dlt)) return undefined;
  return 'channels.sms.dlt.principalEntityId and channels.sms.dlt.templates.campaign must be set (the ids the DLT portal shows for the registered campaign template) before a campaign can be scheduled or sent';
}

/** the start banner's line: which ids are missing, and what that stops */
export function dltBanner(dlt: DltConfig | undefined): string {
  const missing = missingDlt(dlt);
  if (missing.length === 0) return 'all ids set (principal entity; ack, status, rating and campaign templates)';
  const campaigns = campaignDltProblem(dlt) ? ': campaigns cannot be scheduled or sent' : '';
  return `missing ${missing.map((m) => `channels.sms.dlt.${m}`).join(', ')}${campaigns}`;
}
