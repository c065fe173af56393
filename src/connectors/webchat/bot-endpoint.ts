import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createWebChatBotEndpoint } from '../../bots/web-chat-adapter.ts';
import type { ConnectorContext } from '../connector.ts';
import { BotActivity, toInboundMessage } from './parse.ts';
import { refuseOtherConversation, sessionOf } from './authorize.ts';
import type { ConversationLog } from './conversation-log.ts';
import { BOT_ENDPOINT_PATH, summarize } from './direct-line.ts';
import type { FileLinks } from './file-links.ts';
import type { SessionTokens } from './session-token.ts';
import type { WindowLimiter } from '../../http/window-limiter.ts';

export interface BotEndpointDeps {
  tokens: SessionTokens;
  log: ConversationLog;
  links: FileLinks;
  /** per conversation */
  messages: WindowLimiter;
  accountId: string;
  now: () => Date;
}

/**
 * `POST /api/messages`: the bot endpoint, through botbuilder's CloudAdapter. With no app id the adapter
 * authenticates no one, so our checks come first: the session token, its conversation and user, and a rate limit.
 * The turn only archives the message; replies come later from the pipeline, through the outbox and `send`.
 */
export function mountBotEndpoint(server: FastifyInstance, ctx: ConnectorContext, deps: BotEndpointDeps): void {
  const endpoint = createWebChatBotEndpoint();
  const checked = new WeakMap<FastifyRequest, BotActivity>();

  // A refusal is sent and the reply returned, which ends the request before the handler.
  const guard = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const session = sessionOf(request, reply, deps.tokens);
    if (!session) return reply;
    const parsed = BotActivity.safeParse(request.body);
    if (!parsed.success) return reply.status(400).send({ error: `not an activity this bot takes: ${summarize(parsed.error)}` });
    const activity = parsed.data;
    if (refuseOtherConversation(request, reply, session, activity.conversation.id)) return reply;
    if (activity.from.id !== session.userId) {
      request.log.info('web chat: an activity named a user other than its token');
      return reply.status(403).send({ error: 'from.id is not the user of this session token' });
    }
    // a reply would have nowhere to go
    const conversation = await deps.log.get(activity.conversation.id);
    if (!conversation || conversation.userId !== session.userId)
      return reply.status(404).send({ error: 'this conversation is not open: start it with POST /v3/directline/conversations' });
    const allowed = deps.messages.take(activity.conversation.id);
    if (allowed !== true) {
      request.log.info('web chat: a conversation posted too fast');
      return reply.status(429).header('retry-after', String(allowed)).send({ error: `too many messages: please wait ${allowed} seconds` });
    }
    checked.set(request, activity);
    return undefined;
  };

  server.post(BOT_ENDPOINT_PATH, { preHandler: guard }, async (request, reply) => {
    const activity = checked.get(request)!;
    try {
      // The answer is sent here, once CloudAdapter has finished: its Response object only records status and body.
      const answer = await endpoint.process(activity, async (turn) => {
        const ours = (ref: string, sig: string) => deps.links.isOurs(activity.conversation.id, ref, sig);
        await ctx.intake.accept([toInboundMessage(turn, activity, deps.accountId, deps.now(), ours)]);
      });
      return reply.status(answer.status).send(answer.body ?? {});
    } catch (err) {
      // not archived, so not acknowledged: Web Chat shows the message as not sent and the citizen can retry
      request.log.error({ err }, 'web chat: archiving a message failed, answering 503');
      return reply.status(503).send({ error: 'could not store the message, please try again' });
    }
  });
}
