import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Assets } from './assets.ts';
import { sizeInWords } from './size-in-words.ts';
import type { ConversationLog } from './conversation-log.ts';
import type { SessionTokens } from './session-token.ts';
import { clientAddressOf } from '../../http/client-address.ts';
import type { WindowLimiter } from '../../http/window-limiter.ts';

export const CHAT_PATH = '/chat';

export interface ChatPageDeps {
  tokens: SessionTokens;
  log: ConversationLog;
  /** per client address */
  sessions: WindowLimiter;
  /** node_modules/botframework-webchat/dist/webchat-minimal.js */
  webChatBundle: string;
  /** how long a browser keeps its citizen id (a reload, or a visit next week, is the same citizen) */
  citizenDays: number;
  /** the longest message the page lets a citizen type */
  maxText: number;
  /** the largest photo taken, in bytes */
  maxPhotoBytes: number;
}

const HERE = dirname(new URL(import.meta.url).pathname);
const PAGE = readFileSync(join(HERE, 'page.html'), 'utf8');
const PAGE_SCRIPT = readFileSync(join(HERE, 'page.js'));

/** Noto Sans Devanagari (OFL) from the @fontsource package: its Devanagari subset, regular (bold is synthesised) */
function fontFiles(): { name: string; file: string }[] {
  const dir = join(dirname(createRequire(import.meta.url).resolve('@fontsource/noto-sans-devanagari/package.json')), 'files');
  return [{ name: 'noto-devanagari-400.woff2', file: join(dir, 'noto-sans-devanagari-devanagari-400-normal.woff2') }];
}

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Web Chat injects its styles at run time
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self' blob:",
  // Web Chat makes thumbnails of a photo being sent in a worker of its own
  "worker-src 'self' blob:",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

const SessionBody = z.object({ citizen: z.string().max(600).optional() }).strict().optional();

/**
 * GET /chat (the page), its assets (Web Chat, the page's script, the font: hashed names, compressed, kept a year),
 * and POST /chat/session: a session token for the browser's own citizen (a signed, long-lived id it keeps in
 * localStorage), resuming their most recent conversation when it is still kept, so a reload or a new tab goes on
 * where the chat was.
 */
export function mountChatPage(server: FastifyInstance, deps: ChatPageDeps): void {
  const fonts = fontFiles();
  const assets = new Assets([
    { name: 'webchat.js', bytes: deps.webChatBundle, type: 'application/javascript; charset=utf-8' },
    { name: 'page.js', bytes: PAGE_SCRIPT, type: 'application/javascript; charset=utf-8' },
    ...fonts.map((f) => ({ name: f.name, bytes: f.file, type: 'font/woff2', compress: false })),
  ]);
  assets.mount(server);
  const page = PAGE.replace(/\{\{asset:([\w.-]+)\}\}/g, (_all, name: string) => assets.url(name)).replace(/\{\{maxText\}\}/g, String(deps.maxText))
    .replace(/\{\{maxPhoto\}\}/g, sizeInWords(deps.maxPhotoBytes));

  server.get(CHAT_PATH, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('content-security-policy', CONTENT_SECURITY_POLICY).header('cache-control', 'no-cache').send(page),
  );

  // One token a page load. Limited per address, so that no one can open conversations by the thousand.
  server.post(`${CHAT_PATH}/session`, async (request, reply) => {
    const body = SessionBody.safeParse(request.body ?? undefined);
    if (!body.success) return reply.status(400).send({ error: 'expected {"citizen": "<the token this page keeps>"} or nothing' });
    const allowed = deps.sessions.take(clientAddressOf(request));
    if (allowed !== true) {
      request.log.info('web chat: too many new sessions from one address');
      return reply.status(429).header('retry-after', String(allowed)).send({ error: `too many new chats: please wait ${allowed} seconds` });
    }
    // a citizen token this bridge did not sign (or an old one) is no error: the browser just becomes a new citizen
    const known = deps.tokens.verifyCitizen(body.data?.citizen);
    const resumed = known ? await deps.log.latestOf(known) : undefined;
    const { token, session } = deps.tokens.issue({ ...(known ? { userId: known } : {}), ...(resumed ? { conversationId: resumed.id } : {}) });
    return reply
      .status(201)
      .header('cache-control', 'no-store')
      .send({
        token,
        userId: session.userId,
        conversationId: session.conversationId,
        resumed: resumed !== undefined,
        citizen: deps.tokens.citizenToken(session.userId, deps.citizenDays),
        expires_in: deps.tokens.lifetime,
      });
  });
}
