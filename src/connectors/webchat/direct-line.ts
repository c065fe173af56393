import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { completeActivity, PostedActivity } from './parse.ts';
import { refuseOtherConversation, sessionOf } from './authorize.ts';
import type { Conversation, ConversationLog } from './conversation-log.ts';
import type { SessionTokens, WebChatSession } from './session-token.ts';

export const DIRECT_LINE_PREFIX = '/v3/directline';
export const BOT_ENDPOINT_PATH = '/api/messages';

export interface DirectLineDeps {
  tokens: SessionTokens;
  log: ConversationLog;
  now: () => Date;
}

const Params = z.object({ id: z.string().min(1).max(64) });
const Watermark = z.object({ watermark: z.union([z.literal(''), z.string().regex(/^\d{1,12}$/, 'must be a whole number')]).optional() });

/**
 * The part of Direct Line 3.0 that Web Chat's DirectLineJS calls when polling (webSocket: false): start a
 * conversation, post an activity, read activities by watermark, refresh the token. Each posted activity is handed
 * to the bot endpoint, /api/messages, with the caller's token, so one check guards both.
 */
export function mountDirectLine(server: FastifyInstance, deps: DirectLineDeps): void {
  const { tokens, log } = deps;

  /** the token's session and its live conversation (the one in the path, if any), or an answer already sent */
  const conversationOf = (request: FastifyRequest, reply: FastifyReply, pathId?: string): { session: WebChatSession; conversation: Conversation } | undefined => {
    const session = sessionOf(request, reply, tokens);
    if (!session) return undefined;
    if (pathId !== undefined && refuseOtherConversation(request, reply, session, pathId)) return undefined;
    const conversation = log.get(session.conversationId);
    if (!conversation) {
      // DirectLineJS takes 404 as "conversation ended" and stops polling
      void reply.status(404).send({ error: 'this conversation is no longer open (it expired, or the bridge restarted): reload the chat page' });
      return undefined;
    }
    return { session, conversation };
  };

  const tokenAnswer = (conversation: Conversation, session: WebChatSession) => {
    const renewed = tokens.renew(session);
    log.extend(conversation, renewed.session);
    return { conversationId: conversation.id, token: renewed.token, expires_in: tokens.lifetime };
  };

  // Start a conversation: 201 when new, 200 when the token's conversation is already open (as Direct Line does).
  server.post(`${DIRECT_LINE_PREFIX}/conversations`, async (request, reply) => {
    const session = sessionOf(request, reply, tokens);
    if (!session) return reply;
    const opened = log.open(session);
    if (opened === 'full') {
      request.log.warn({ open: log.size }, 'web chat: conversation cap reached, a new chat was asked to wait');
      return reply.status(503).header('retry-after', '60').send({ error: 'too many chats are open right now: please try again in a minute' });
    }
    return reply.status(opened.created ? 201 : 200).send(tokenAnswer(opened.conversation, session));
  });

  // DirectLineJS refreshes its token every 15 minutes; the conversation lives as long as its newest token.
  server.post(`${DIRECT_LINE_PREFIX}/tokens/refresh`, async (request, reply) => {
    const found = conversationOf(request, reply);
    if (!found) return reply;
    return reply.send(tokenAnswer(found.conversation, found.session));
  });

  // polled twice a second by every open chat: neither its requests nor its refusals (which repeat as fast) are logged
  server.get(`${DIRECT_LINE_PREFIX}/conversations/:id/activities`, { logLevel: 'warn' }, async (request, reply) => {
    const params = Params.safeParse(request.params);
    const query = Watermark.safeParse(request.query);
    if (!params.success || !query.success) return reply.status(400).send({ error: 'expected /conversations/<id>/activities?watermark=<number>' });
    const found = conversationOf(request, reply, params.data.id);
    if (!found) return reply;
    return reply.send(found.conversation.since(Number(query.data.watermark || 0)));
  });

  server.post(`${DIRECT_LINE_PREFIX}/conversations/:id/activities`, async (request, reply) => {
    const params = Params.safeParse(request.params);
    if (!params.success) return reply.status(400).send({ error: 'expected /conversations/<id>/activities' });
    const found = conversationOf(request, reply, params.data.id);
    if (!found) return reply;
    const posted = PostedActivity.safeParse(request.body);
    if (!posted.success) return reply.status(400).send({ error: `not an activity Direct Line takes: ${summarize(posted.error)}` });
    const { conversation, session } = found;
    const activity = completeActivity(posted.data, { id: conversation.nextId(), conversationId: conversation.id, userId: session.userId, now: deps.now() });
    // held back until the bot endpoint has archived it: the echo tells Web Chat the message was sent
    conversation.reserve(activity);
    let confirmed = false;
    try {
      const res = await server.inject({
        method: 'POST',
        url: BOT_ENDPOINT_PATH,
        headers: { authorization: request.headers.authorization ?? '', 'content-type': 'application/json' },
        payload: activity,
      });
      if (res.statusCode >= 200 && res.statusCode < 300) {
        conversation.confirm(activity.id);
        confirmed = true;
        return reply.status(200).send({ id: activity.id });
      }
      // the bot endpoint's refusal (429 with Retry-After, 503 …) is the client's answer too
      const retryAfter = res.headers['retry-after'];
      if (retryAfter !== undefined) void reply.header('retry-after', retryAfter);
      return reply.status(res.statusCode).type('application/json').send(res.body);
    } finally {
      if (!confirmed) conversation.cancel(activity.id);
    }
  });
}

export function summarize(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
    .join('; ');
}
