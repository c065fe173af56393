import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { completeActivity, PostedActivity } from './parse.ts';
import { refuseOtherConversation, sessionOf } from './authorize.ts';
import type { ConversationLog } from './conversation-log.ts';
import type { SessionTokens, WebChatSession } from './session-token.ts';
import type { ChatConversation } from '../../store/store.ts';

export const DIRECT_LINE_PREFIX = '/v3/directline';
export const BOT_ENDPOINT_PATH = '/api/messages';

export interface DirectLineDeps {
  tokens: SessionTokens;
  log: ConversationLog;
  /** the web chat account the bot endpoint archives messages under */
  accountId: string;
  now: () => Date;
  /** said by the bot when a conversation opens: the greeting, with the three languages as buttons */
  greeting: { text: string; choices: string[] };
}

export const ConversationParams = z.object({ id: z.string().min(1).max(64) });
const Watermark = z.object({ watermark: z.union([z.literal(''), z.string().regex(/^\d{1,12}$/, 'must be a whole number')]).optional() });

/** the token's session and its conversation (the one in the path, if any), or an answer already sent */
export async function conversationOf(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: Pick<DirectLineDeps, 'tokens' | 'log'>,
  pathId?: string,
): Promise<{ session: WebChatSession; conversation: ChatConversation } | undefined> {
  const session = sessionOf(request, reply, deps.tokens);
  if (!session) return undefined;
  if (pathId !== undefined && refuseOtherConversation(request, reply, session, pathId)) return undefined;
  const conversation = await deps.log.get(session.conversationId);
  if (!conversation || conversation.userId !== session.userId) {
    // DirectLineJS takes 404 as "conversation ended" and stops polling
    void reply.status(404).send({ error: 'this conversation is no longer kept: reload the chat page' });
    return undefined;
  }
  return { session, conversation };
}

/**
 * Hands a citizen's activity to the bot endpoint (/api/messages, with the caller's token, so one check guards both)
 * and echoes it into the log once it is archived; the log holds everything after it back until then.
 */
export async function postToBot(
  server: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  deps: Pick<DirectLineDeps, 'log' | 'now' | 'accountId'>,
  found: { session: WebChatSession; conversation: ChatConversation },
  posted: PostedActivity,
): Promise<FastifyReply> {
  const { conversation, session } = found;
  const messageId = posted.type === 'message' ? posted.channelData?.messageId : undefined;
  // posted again (Web Chat's Retry after a lost answer): the message is archived already
  const first = messageId ? await deps.log.firstPostOf(deps.accountId, conversation.id, messageId) : undefined;
  const place = await deps.log.reserve(conversation.id);
  const activity = completeActivity(posted, { id: place.id, conversationId: conversation.id, userId: session.userId, now: deps.now() });
  let confirmed = false;
  try {
    const res = await server.inject({
      method: 'POST',
      url: BOT_ENDPOINT_PATH,
      headers: { authorization: request.headers.authorization ?? '', 'content-type': 'application/json' },
      payload: activity,
    });
    if (res.statusCode >= 200 && res.statusCode < 300) {
      // a retry is echoed with the first post's id and time (where the citizen wrote it), after the first post's
      // own echo, lost with its answer, once more: Web Chat keeps one activity per id and matches each echo to its
      // bubble by clientActivityID, so the "not sent" bubble becomes the message, sent, and the retry adds none
      const echo = first ? { ...activity, id: first.id, timestamp: first.timestamp } : activity;
      const firstClientId = (first?.channelData as { clientActivityID?: unknown } | undefined)?.clientActivityID;
      const firstEcho = typeof firstClientId === 'string' ? { ...echo, channelData: { ...activity.channelData, clientActivityID: firstClientId } } : undefined;
      await deps.log.confirm(conversation.id, place.seq, firstEcho ?? echo);
      confirmed = true;
      if (firstEcho) {
        try {
          await deps.log.say(conversation.id, () => echo);
        } catch (err) {
          // the retry then shows as not sent, and Retry posts it once more: the same message again
          request.log.warn({ err }, 'web chat: the echo of a retried message could not be logged');
        }
      }
      await deps.log.touch(conversation);
      return reply.status(200).send({ id: echo.id });
    }
    // the bot endpoint's refusal (429 with Retry-After, 503 …) is the client's answer too
    const retryAfter = res.headers['retry-after'];
    if (retryAfter !== undefined) void reply.header('retry-after', retryAfter);
    return reply.status(res.statusCode).type('application/json').send(res.body);
  } finally {
    if (!confirmed) await deps.log.cancel(conversation.id, place.seq);
  }
}

/**
 * The part of Direct Line 3.0 that Web Chat's DirectLineJS calls when polling (webSocket: false): start or resume a
 * conversation, post an activity, read activities by watermark, refresh the token. Photos come by upload.ts.
 */
export function mountDirectLine(server: FastifyInstance, deps: DirectLineDeps): void {
  const { tokens, log } = deps;

  const tokenAnswer = (conversation: ChatConversation, session: WebChatSession) => {
    const renewed = tokens.renew(session);
    return { conversationId: conversation.id, token: renewed.token, expires_in: tokens.lifetime };
  };

  /** opens the token's conversation (the greeting said when it is new): 201 when new, 200 when resumed */
  const open = async (request: FastifyRequest, reply: FastifyReply, pathId?: string) => {
    const session = sessionOf(request, reply, tokens);
    if (!session) return reply;
    if (pathId !== undefined && refuseOtherConversation(request, reply, session, pathId)) return reply;
    const opened = await log.open(session);
    if (opened === 'full') {
      request.log.warn('web chat: conversation cap reached, a new chat was asked to wait');
      return reply.status(503).header('retry-after', '60').send({ error: 'too many chats are open right now: please try again in a minute' });
    }
    if (opened.conversation.userId !== session.userId) return reply.status(403).send({ error: 'this conversation belongs to someone else' });
    if (opened.created) await log.say(opened.conversation.id, (id) => greetingActivity(id, opened.conversation, session, deps));
    return reply.status(opened.created ? 201 : 200).send(tokenAnswer(opened.conversation, session));
  };

  server.post(`${DIRECT_LINE_PREFIX}/conversations`, (request, reply) => open(request, reply));
  // DirectLineJS calls this (with the conversation id the page gave it) to reconnect to a conversation
  server.get(`${DIRECT_LINE_PREFIX}/conversations/:id`, async (request, reply) => {
    const params = ConversationParams.safeParse(request.params);
    if (!params.success) return reply.status(400).send({ error: 'expected /conversations/<id>' });
    return open(request, reply, params.data.id);
  });

  // DirectLineJS refreshes its token every 15 minutes
  server.post(`${DIRECT_LINE_PREFIX}/tokens/refresh`, async (request, reply) => {
    const found = await conversationOf(request, reply, deps);
    if (!found) return reply;
    return reply.send(tokenAnswer(found.conversation, found.session));
  });

  // polled twice a second by every open chat: neither its requests nor its refusals (which repeat as fast) are logged
  server.get(`${DIRECT_LINE_PREFIX}/conversations/:id/activities`, { logLevel: 'warn' }, async (request, reply) => {
    const params = ConversationParams.safeParse(request.params);
    const query = Watermark.safeParse(request.query);
    if (!params.success || !query.success) return reply.status(400).send({ error: 'expected /conversations/<id>/activities?watermark=<number>' });
    const found = await conversationOf(request, reply, deps, params.data.id);
    if (!found) return reply;
    return reply.send(await log.since(found.conversation.id, Number(query.data.watermark || 0)));
  });

  server.post(`${DIRECT_LINE_PREFIX}/conversations/:id/activities`, async (request, reply) => {
    const params = ConversationParams.safeParse(request.params);
    if (!params.success) return reply.status(400).send({ error: 'expected /conversations/<id>/activities' });
    const found = await conversationOf(request, reply, deps, params.data.id);
    if (!found) return reply;
    const posted = PostedActivity.safeParse(request.body);
    if (!posted.success) return reply.status(400).send({ error: `not an activity Direct Line takes: ${summarize(posted.error)}` });
    // a photo only ever comes through the upload, where the bridge signs its reference
    const { attachments: _attachments, ...activity } = posted.data;
    return postToBot(server, request, reply, deps, found, activity);
  });
}

function greetingActivity(id: string, conversation: ChatConversation, session: WebChatSession, deps: DirectLineDeps) {
  const offered = deps.greeting.choices;
  return {
    type: 'message',
    id,
    timestamp: deps.now().toISOString(),
    channelId: 'webchat',
    conversation: { id: conversation.id },
    from: { id: 'pmc', name: 'पुणे महानगरपालिका', role: 'bot' },
    recipient: { id: session.userId, role: 'user' },
    text: deps.greeting.text,
    textFormat: 'plain',
    locale: 'mr-IN',
    suggestedActions: { to: [session.userId], actions: offered.map((c) => ({ type: 'imBack', title: c, value: c })) },
  };
}

export function summarize(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
    .join('; ');
}
