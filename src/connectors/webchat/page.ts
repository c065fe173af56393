import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { SessionTokens } from './session-token.ts';
import type { WindowLimiter } from './window-limiter.ts';

export const CHAT_PATH = '/chat';

export interface ChatPageDeps {
  tokens: SessionTokens;
  /** per client address */
  sessions: WindowLimiter;
  /** node_modules/botframework-webchat/dist/webchat.js */
  webChatBundle: string;
}

const PAGE = readFileSync(new URL('./page.html', import.meta.url), 'utf8');

/**
 * The page's Content-Security-Policy: scripts only from this origin plus the page's own inline script (by hash),
 * requests only to this origin. Web Chat injects its styles at run time, hence 'unsafe-inline' for styles, and
 * shows images from blob: and data: URLs.
 */
function contentSecurityPolicy(html: string): string {
  const hashes = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
  return [
    "default-src 'self'",
    `script-src 'self' ${hashes.join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "connect-src 'self'",
    "base-uri 'self'",
    "form-action 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
}

/** GET /chat (the page), GET /chat/webchat.js (Web Chat from the installed package), POST /chat/session (a token). */
export function mountChatPage(server: FastifyInstance, deps: ChatPageDeps): void {
  const csp = contentSecurityPolicy(PAGE);

  server.get(CHAT_PATH, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('content-security-policy', csp).header('cache-control', 'no-cache').send(PAGE),
  );

  server.get(`${CHAT_PATH}/webchat.js`, async (_request, reply) =>
    reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .header('x-content-type-options', 'nosniff')
      .send(createReadStream(deps.webChatBundle)),
  );

  // One token a page load. Cheap to issue (nothing is stored until the conversation starts), but limited per
  // address so that no one can open conversations by the thousand.
  server.post(`${CHAT_PATH}/session`, async (request, reply) => {
    const allowed = deps.sessions.take(request.ip);
    if (allowed !== true) {
      request.log.info('web chat: too many new sessions from one address');
      return reply.status(429).header('retry-after', String(allowed)).send({ error: `too many new chats: please wait ${allowed} seconds` });
    }
    const { token, session } = deps.tokens.issue();
    return reply.status(201).header('cache-control', 'no-store').send({ token, userId: session.userId, expires_in: deps.tokens.lifetime });
  });
}
