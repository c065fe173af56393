import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** What a web chat session token grants: one conversation, as one user, until it expires. */
export interface WebChatSession {
  conversationId: string;
  /** `dl_…`: Direct Line's prefix for a user id carried in the token, which Web Chat then uses as its own */
  userId: string;
  /** seconds since the epoch */
  expiresAt: number;
}

// A compact HS256 JWT: Web Chat and DirectLineJS read the `user` claim of a Direct Line token as the user id, so the
// browser never chooses who it is. Only this bridge signs and reads these tokens.
const HEADER = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
const Claims = z.object({ conv: z.string().min(1).max(64), user: z.string().min(1).max(64), exp: z.number().int() });
// A web citizen: who is writing from this browser, kept in its localStorage for a long time. Not a session: it
// opens nothing by itself, it only lets POST /chat/session resume the citizen's own conversation.
const CitizenClaims = z.object({ cit: z.string().regex(/^dl_[\w-]{8,40}$/), exp: z.number().int() }).strict();

/** Why a token was refused: the HTTP answer is 401 for all of them; the reason goes to the log only. */
export type TokenRefusal = 'missing' | 'malformed' | 'bad signature' | 'expired';

export class SessionTokens {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly lifetimeSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.key = Buffer.from(secret, 'utf8');
  }

  /** A session: for `conversationId` as `userId`, or a fresh random conversation and user. */
  issue(at: { userId?: string; conversationId?: string } = {}): { token: string; session: WebChatSession } {
    return this.renew({ conversationId: at.conversationId ?? newConversationId(), userId: at.userId ?? newCitizenId(), expiresAt: 0 });
  }

  /** The long-lived token of a web citizen, for their browser to keep (`citizenDays`). */
  citizenToken(userId: string, citizenDays: number): string {
    const payload = b64url(JSON.stringify({ cit: userId, exp: Math.floor(this.now() / 1000) + citizenDays * 86_400 }));
    return `${HEADER}.${payload}.${this.sign(`${HEADER}.${payload}`)}`;
  }

  /** the citizen a browser's token names, when it is ours and not expired */
  verifyCitizen(token: string | undefined): string | undefined {
    const claims = CitizenClaims.safeParse(this.signedPayload(token));
    return claims.success && claims.data.exp * 1000 > this.now() ? claims.data.cit : undefined;
  }

  /** The same conversation and user with a new expiry (Direct Line's token refresh). */
  renew(session: WebChatSession): { token: string; session: WebChatSession } {
    const renewed = { ...session, expiresAt: Math.floor(this.now() / 1000) + this.lifetimeSeconds };
    const payload = b64url(JSON.stringify({ conv: renewed.conversationId, user: renewed.userId, exp: renewed.expiresAt }));
    return { token: `${HEADER}.${payload}.${this.sign(`${HEADER}.${payload}`)}`, session: renewed };
  }

  get lifetime(): number {
    return this.lifetimeSeconds;
  }

  verify(token: string | undefined): WebChatSession | TokenRefusal {
    if (!token) return 'missing';
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return 'malformed';
    const payload = this.signedPayload(token);
    if (payload === undefined) return 'bad signature';
    const claims = Claims.safeParse(payload);
    if (!claims.success) return 'malformed';
    if (claims.data.exp * 1000 <= this.now()) return 'expired';
    return { conversationId: claims.data.conv, userId: claims.data.user, expiresAt: claims.data.exp };
  }

  /** the claims of a token this bridge signed, or undefined */
  private signedPayload(token: string | undefined): unknown {
    const parts = token?.split('.') ?? [];
    if (parts.length !== 3 || parts[0] !== HEADER) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    } catch {
      return undefined;
    }
  }

  private sign(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}

/** The token of an `Authorization: Bearer …` header. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

export const newConversationId = (): string => `wc-${randomBytes(16).toString('base64url')}`;
export const newCitizenId = (): string => `dl_${randomBytes(12).toString('base64url')}`;

function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
