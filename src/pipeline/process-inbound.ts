import type { Connector } from '../connectors/connector.ts';
import type { ChannelMapping, Contact, Language, Location, OutboundMessage } from '../model/index.ts';
import type { Entities, Normalize, NormalizedMessage } from '../normalizer/index.ts';
import type { RouteFor } from '../router/route.ts';
import { routeForMessage, type Routing } from '../router/routing-table.ts';
import { offHoursKey, offHoursText } from '../router/office-hours.ts';
import { extractPinCodes } from '../normalizer/pin-code.ts';
import { isMessageKey, say, type MessageKey, type Messages } from '../bots/messages.ts';
import { renderReply, type RenderedReply } from '../render/render-reply.ts';
import { askForComplaint, oneShotReply } from '../bots/one-shot-reply.ts';
import type { PublicPost } from '../bots/conversations.ts';
import type { ArchivedInbound, ContactSighting, InboundCompletion, InboundDecision } from '../store/store.ts';
import { prepareOpt, type OptInbound } from './opt-in-out.ts';
import { assertReadable } from './stored-message.ts';

export interface InboundDeps {
  connectors: ReadonlyMap<string, Connector>;
  /** mappings, rules and SLA policies as staff last saved them */
  routing: Routing;
  messages: Messages;
  normalize: Normalize;
  /** the bot is on: conversational mappings go to it instead of being filed and acknowledged here */
  conversational: boolean;
  /** the complaint categories (config/categories.yaml): a source's own category id → its department */
  categories?: readonly { id: string; department: string }[];
  /** with the bot on: whether a public post is a complaint, wants an invitation to write privately, or nothing */
  readPublicPost?: (n: NormalizedMessage) => PublicPost;
  now: () => Date;
}

/** A message for the bot: what it says, where it is routed; the citizen is looked up next, then the turn runs. */
export interface ConversationalInbound {
  inboundId: number;
  converse: { normalized: NormalizedMessage; mapping: ChannelMapping; route: RouteFor };
}

/** A message that must not become a ticket or be answered: an auto-reply, a bounce, our own mail come back. */
export interface SkippedInbound {
  inboundId: number;
  skip: string;
}

/** The ticket keeps where, not how we learned it (a shared pin or coordinates in the text). */
function placeOnly({ source: _source, ...where }: NonNullable<Entities['location']>): Location {
  return where;
}

/**
 * Steps 3–5 for one archived message: normalise, route, and decide — once the citizen is known — what to file and
 * what to say. Writing it all (step 6) is one `completeInbound` in the store, batched by the pipeline; every write
 * there is idempotent on the message, so running this twice after a crash changes nothing.
 */
export function prepareInbound(
  archived: ArchivedInbound,
  deps: InboundDeps,
): InboundCompletion | SkippedInbound | ConversationalInbound | OptInbound {
  assertReadable(archived);
  const msg = archived.message;
  const normalized = deps.normalize(msg);
  if (normalized.automated) return { inboundId: archived.id, skip: `${normalized.automated.kind}: ${normalized.automated.reason}` };
  // a message that is only STOP / बंद / START: the citizen's announcement choice, before any bot or ticket
  const opt = prepareOpt(archived, normalized, deps);
  if (opt) return opt;
  const { entities } = normalized;
  const mapping = deps.routing.mappingFor(msg.channel, msg.accountId);
  const limits = deps.connectors.get(msg.channel)?.limits ?? {};
  const silent = mapping.replyPolicy === 'silent';
  // a category the source gave (an agent chose it) goes before what the words suggest
  const given = msg.category ? deps.categories?.find((c) => c.id === msg.category) : undefined;
  const category = given?.id ?? entities.categories[0]?.categoryId;
  const location = entities.location && placeOnly(entities.location);
  const routeFor = routeForMessage(deps.routing, mapping, msg);
  // a public post is answered once, in public, whatever the mapping says: no questions where everyone reads them
  if (deps.conversational && mapping.replyPolicy === 'conversational' && !msg.public) {
    return { inboundId: archived.id, converse: { normalized, mapping, route: routeFor } };
  }
  // what the complaint says, as the categories and ward were read: a mail's subject too, never its signature
  const about = msg.subject ? `${msg.subject}\n${normalized.text}` : normalized.text;
  const route = routeFor({
    text: about,
    ...(category ? { category } : {}),
    ...(entities.ward ? { ward: entities.ward.wardId } : {}),
    pinCodes: extractPinCodes(about).map((p) => p.pin),
    ...(location ? { location } : {}),
  });
  // a rule's ward, else the mapping's (one ward's own page or number), else the one the citizen names
  const ward = route.ward;
  const detected = normalized.language.lang;
  const missingWhere = !ward && !location && !entities.place;
  const isPublic = msg.public === true;
  // "🙏" or "??" alone is a greeting or a nudge, not a complaint to file
  const nothingToActOn = normalized.empty || (!/[\p{L}\p{N}]/u.test(normalized.text) && msg.attachments.length === 0 && !location);

  // a public post that is no complaint files nothing: a greeting is invited to write privately, thanks get silence
  const publicly = isPublic && !nothingToActOn ? deps.readPublicPost?.(normalized) ?? 'file' : undefined;

  const decide = (contact: Contact): InboundDecision => {
    // the language an agent heard the caller speak, else the one the citizen chose, else what their words are in
    const language = msg.language ?? contact.preferredLanguage ?? (detected === 'und' ? mapping.defaultLanguage : detected);
    const reply = (text: string, kind: OutboundMessage['kind'], ticketNo?: string): OutboundMessage => {
      // shaped to the channel here, once: the texts above are as written
      const rendered = renderReply({ text }, { channel: msg.channel, limits, language, messages: deps.messages, ticketNo, subject: msg.subject, public: isPublic });
      return replyTo(msg, { ...rendered, kind, language, key: `${kind}:${msg.channel}:${msg.accountId}:${msg.externalId}`, ticketNo });
    };
    // written while the office is closed: said once a day per conversation, beside the acknowledgement
    const offHours = (): OutboundMessage[] => {
      const text = isPublic || silent ? undefined : offHoursText(mapping, new Date(msg.receivedAt), language, deps.routing.calendar());
      if (!text) return [];
      return [{ ...reply(text, 'info'), idempotencyKey: offHoursKey(msg) }];
    };
    // an emoji under the page's post or a bare tag is not spoken to in public
    if (publicly === 'ignore' || (isPublic && nothingToActOn)) return { replies: () => [] };
    if (nothingToActOn || publicly === 'invite') return { replies: () => (silent ? [] : [reply(askForComplaint(deps.messages, language, isPublic), 'reply')]) };
    return {
      ticket: {
        source: { channel: msg.channel, accountId: msg.accountId, externalId: msg.externalId },
        // one citizen's posts in one public thread are one complaint; so are the mails of one email thread
        ...(isPublic || msg.threaded ? { thread: { channel: msg.channel, accountId: msg.accountId, externalId: `thread:${msg.threadKey}` } } : {}),
        ...(msg.ticketRef ? { joinTicketNo: msg.ticketRef } : {}),
        contact,
        language,
        description: { original: msg.text, normalized: normalized.text },
        department: route.department,
        ...(category ? { category } : {}),
        ...(ward ? { ward } : {}),
        ...(location ? { location } : {}),
        attachments: msg.attachments,
        slaDueAt: route.slaDueAt,
        priority: route.priority,
        routing: route.routing,
        by: msg.filedBy ? `${msg.channel}:${mapping.id}:agent:${msg.filedBy}` : `${msg.channel}:${mapping.id}`,
        ...(msg.note ? { note: msg.note } : {}),
        ...(msg.notAdmissible ? { rejectWith: msg.notAdmissible.reason } : {}),
      },
      replies: (ticket) => {
        if (silent || !ticket) return [];
        if (ticket.sources[0]?.externalId !== msg.externalId) {
          // a later post of a public thread joins the ticket filed for it: the thread had its acknowledgement
          if (isPublic) return [];
          // it answers a notice of ours that needs none: joined, and not answered (else two machines loop)
          if (msg.quiet) return [];
          // a mail in the complaint's thread: told it was added, with the number to quote; once a day for one
          // ticket and sender at most (the key), so a robot writing back without saying so cannot loop either
          const day = msg.receivedAt.slice(0, 10);
          const added = reply(say(deps.messages, language, 'addedToComplaint', { ticketNo: ticket.ticketNo }), 'info', ticket.ticketNo);
          return [{ ...added, idempotencyKey: `added:${msg.channel}:${ticket.ticketNo}:${msg.sender.id}:${day}` }];
        }
        // not admissible: told why, politely, and nothing else (no "where?": it will not be worked on)
        if (msg.notAdmissible) return [reply(say(deps.messages, language, notAdmissibleKey(msg.notAdmissible.rule), { ticketNo: ticket.ticketNo }), 'status', ticket.ticketNo)];
        const facts = { missingWhere, departmentFromCategory: route.departmentByRule === true };
        const ack = reply(oneShotReply(deps.messages, language, ticket, { ...facts, public: isPublic }), 'ack', ticket.ticketNo);
        if (!isPublic || !limits.privateReplyToPublic) return [ack, ...offHours()];
        // and once in private (Messenger's private reply to a comment): the whole acknowledgement, and the
        // conversation opens there for what the public reply must not ask
        const text = oneShotReply(deps.messages, language, ticket, { ...facts, public: false });
        const rendered = renderReply({ text }, { channel: msg.channel, limits, language, messages: deps.messages, ticketNo: ticket.ticketNo });
        const { public: _public, ...privately } = replyTo(msg, { ...rendered, kind: 'ack', language, key: `ack-private:${msg.channel}:${msg.accountId}:${msg.externalId}`, ticketNo: ticket.ticketNo });
        return [ack, { ...privately, privateReplyTo: msg.externalId }];
      },
    };
  };

  return {
    inboundId: archived.id,
    now: deps.now(),
    sighting: sightingOf(msg),
    decide,
  };
}

/** the text a rejection by a source's rule is told in; an unknown rule gets the general one */
function notAdmissibleKey(rule: string): MessageKey {
  const key = `notAdmissible_${rule.replace(/-/g, '_')}`;
  return (isMessageKey(key) ? key : 'notAdmissible_other');
}

/** The citizen as a message shows them: found or created by the store's contact rules. */
export function sightingOf(msg: ArchivedInbound['message']): ContactSighting {
  return {
    channel: msg.channel,
    channelUserId: msg.sender.id,
    ...(msg.sender.name ? { name: msg.sender.name } : {}),
    ...(msg.sender.phone ? { phone: msg.sender.phone } : {}),
    ...(msg.sender.email ? { email: msg.sender.email.toLowerCase() } : {}),
    ...(msg.sender.claimed ? { claimed: true } : {}),
  };
}

/** An answer to a citizen's message, on the channel, account and conversation it came from. */
export function replyTo(
  msg: ArchivedInbound['message'],
  r: { kind: OutboundMessage['kind']; language: Language; key: string; ticketNo?: string | undefined } & RenderedReply,
): OutboundMessage {
  return {
    channel: msg.channel,
    accountId: msg.accountId,
    threadKey: msg.threadKey,
    to: msg.sender.id,
    language: r.language,
    inReplyTo: msg.externalId,
    idempotencyKey: r.key,
    text: r.text,
    kind: r.kind,
    ...(r.ticketNo ? { ticketNo: r.ticketNo } : {}),
    ...(msg.public ? { public: true } : {}),
    ...(r.subject ? { subject: r.subject } : {}),
    ...(r.choices ? { choices: r.choices } : {}),
  };
}
