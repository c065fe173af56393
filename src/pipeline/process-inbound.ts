import type { Connector } from '../connectors/connector.ts';
import type { ChannelMapping, Contact, OutboundMessage } from '../model/index.ts';
import { normalize } from '../normalizer/index.ts';
import { resolveMapping, type RoutingDefaults } from '../router/resolve-mapping.ts';
import { routeComplaint } from '../router/route.ts';
import { acknowledgement, askForComplaint, type TextsByLanguage } from '../bots/acknowledge.ts';
import type { ArchivedInbound, InboundCompletion, InboundDecision } from '../store/store.ts';

export interface InboundDeps {
  connectors: ReadonlyMap<string, Connector>;
  mappings: () => readonly ChannelMapping[];
  defaults: RoutingDefaults;
  texts: TextsByLanguage;
  now: () => Date;
}

/**
 * Steps 3–5 for one archived message: normalise, route, and decide — once the citizen is known — what to file and
 * what to say. Writing it all (step 6) is one `completeInbound` in the store, batched by the pipeline; every write
 * there is idempotent on the message, so running this twice after a crash changes nothing.
 */
export function prepareInbound(archived: ArchivedInbound, deps: InboundDeps): InboundCompletion {
  const msg = archived.message;
  const normalized = normalize(msg);
  const mapping = resolveMapping(deps.mappings(), msg.channel, msg.accountId, deps.defaults);
  const limits = deps.connectors.get(msg.channel)?.limits ?? {};
  const silent = mapping.replyPolicy === 'silent';
  const route = routeComplaint(mapping, new Date(msg.receivedAt));
  const detected = normalized.language.lang;

  const decide = (contact: Contact): InboundDecision => {
    const language = contact.preferredLanguage ?? (detected === 'und' ? mapping.defaultLanguage : detected);
    const reply = (text: string, kind: OutboundMessage['kind'], ticketNo?: string): OutboundMessage => ({
      channel: msg.channel,
      accountId: msg.accountId,
      threadKey: msg.threadKey,
      to: msg.sender.id,
      language,
      inReplyTo: msg.externalId,
      idempotencyKey: `${kind}:${msg.channel}:${msg.accountId}:${msg.externalId}`,
      text,
      kind,
      ...(ticketNo ? { ticketNo } : {}),
    });
    if (normalized.empty) return { replies: () => (silent ? [] : [reply(askForComplaint(deps.texts, language, limits), 'reply')]) };
    return {
      ticket: {
        source: { channel: msg.channel, accountId: msg.accountId, externalId: msg.externalId },
        contact,
        language,
        description: { original: msg.text, normalized: normalized.text },
        department: route.department,
        ...(route.ward ? { ward: route.ward } : {}),
        ...(msg.location ? { location: msg.location } : {}),
        attachments: msg.attachments,
        slaDueAt: route.slaDueAt,
        by: `${msg.channel}:${mapping.id}`,
      },
      replies: (ticket) =>
        silent || !ticket ? [] : [reply(acknowledgement(deps.texts, language, ticket.ticketNo, limits), 'ack', ticket.ticketNo)],
    };
  };

  return {
    inboundId: archived.id,
    now: deps.now(),
    sighting: {
      channel: msg.channel,
      channelUserId: msg.sender.id,
      ...(msg.sender.name ? { name: msg.sender.name } : {}),
      ...(msg.sender.phone ? { phone: msg.sender.phone } : {}),
      ...(msg.sender.email ? { email: msg.sender.email.toLowerCase() } : {}),
    },
    decide,
  };
}
