import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken, type SessionTokens, type WebChatSession } from './session-token.ts';

const WHY: Record<string, string> = {
  missing: 'a web chat session token is required (Authorization: Bearer …): open /chat, or POST /chat/session for one',
  expired: 'the web chat session token has expired: reload the chat page for a new one',
  malformed: 'the web chat session token is not valid: reload the chat page for a new one',
  'bad signature': 'the web chat session token is not valid: reload the chat page for a new one',
};

/**
 * The session of the request's Bearer token; otherwise answers 401 and gives undefined. The token itself and the
 * client's address are never logged.
 */
export function sessionOf(request: FastifyRequest, reply: FastifyReply, tokens: SessionTokens): WebChatSession | undefined {
  const verdict = tokens.verify(bearerToken(request.headers.authorization));
  if (typeof verdict !== 'string') return verdict;
  request.log.info({ reason: verdict }, 'web chat: session token refused');
  void reply.status(401).header('www-authenticate', 'Bearer').send({ error: WHY[verdict] });
  return undefined;
}

/** 403 unless the token is for this conversation. */
export function refuseOtherConversation(request: FastifyRequest, reply: FastifyReply, session: WebChatSession, conversationId: string): boolean {
  if (session.conversationId === conversationId) return false;
  request.log.info('web chat: a session token was used for another conversation');
  void reply.status(403).send({ error: 'this session token is for another conversation' });
  return true;
}
