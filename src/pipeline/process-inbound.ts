import type { Connector } from '../connectors/connector.ts';
import type { ChannelMapping, OutboundMessage } from '../model/index.ts';
import { normalize } from '../normalizer/index.ts';
import { resolveMapping, type RoutingDefaults } from '../router/resolve-mapping.ts';
import { routeComplaint } from '../router/route.ts';
import { acknowledgement, askForComplaint, type TextsByLanguage } from '../bots/acknowledge.ts';
import type { ArchivedInbound, Store } from '../store/store.ts';

export interface InboundDeps {
  store: Store;
  connectors: ReadonlyMap<string, Connector>;
  mappings: () => readonly ChannelMapping[];
  defaults: RoutingDefaults;
  texts: TextsByLanguage;
  now: () => Date;
}

/**
 * Steps 3–6 for one archived message: normalise, find the citizen, route, file the ticket, put the reply in the
 * outbox. Every write is idempotent on the message, so running this twice after a crash changes nothing.
 * Returns the outbox ids to deliver.
 */
export async function processInbound(archived: ArchivedInbound, deps: InboundDeps): Promise<number[]> {
  const msg = archived.message;
  const normalized = normalize(msg);
  const contact = await deps.store.upsertContact({
    channel: msg.channel,
    channelUserId: msg.sender.id,
    ...(msg.sender.name ? { name: msg.sender.name } : {}),
    ...(msg.sender.phone ? { phone: msg.sender.phone } : {}),
    ...(msg.sender.email ? { email: msg.sender.email.toLowerCase() } : {}),
  });
  const mapping = resolveMapping(deps.mappings(), msg.channel, msg.accountId, deps.defaults);
  const detected = normalized.language.lang;
  const language = contact.preferredLanguage ?? (detected === 'und' ? mapping.defaultLanguage : detected);
  const limits = deps.connectors.get(msg.channel)?.limits ?? {};
  const source = { channel: msg.channel, accountId: msg.accountId, externalId: msg.externalId };

  if (mapping.replyPolicy === 'silent' && normalized.empty) return [];
  let reply: Pick<OutboundMessage, 'text' | 'kind' | 'ticketNo'>;
  if (normalized.empty) {
    reply = { text: askForComplaint(deps.texts, language, limits), kind: 'reply' };
  } else {
    const route = routeComplaint(mapping, new Date(msg.receivedAt));
    const { ticket } = await deps.store.createTicket({
      source,
      contact,
      language,
      description: { original: msg.text, normalized: normalized.text },
      department: route.department,
      ...(route.ward ? { ward: route.ward } : {}),
      ...(msg.location ? { location: msg.location } : {}),
      attachments: msg.attachments,
      slaDueAt: route.slaDueAt,
      by: `${msg.channel}:${mapping.id}`,
    });
    reply = { text: acknowledgement(deps.texts, language, ticket.ticketNo, limits), kind: 'ack', ticketNo: ticket.ticketNo };
  }
  if (mapping.replyPolicy === 'silent') return [];
  const results = await deps.store.enqueueOutbound(
    [
      {
        channel: msg.channel,
        accountId: msg.accountId,
        threadKey: msg.threadKey,
        to: msg.sender.id,
        language,
        inReplyTo: msg.externalId,
        idempotencyKey: `${reply.kind}:${msg.channel}:${msg.accountId}:${msg.externalId}`,
        ...reply,
      },
    ],
    deps.now(),
  );
  return results.map((r) => r.id);
}
