import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Outage, type FaultPlan } from './outage.ts';
import type { RecordedRequest } from './recorded-request.ts';
import { certPem, keyPem } from './test-ca.ts';

/**
 * A local stand-in for the X API v2, speaking its wire format closely enough for the real `twitter-api-v2` SDK:
 * JSON in and out, OAuth 1.0a user context, RFC 7807 problem bodies, `x-rate-limit-*` headers on every answer,
 * snowflake-like ids, fields only when asked for (`tweet.fields`, `dm_event.fields`) and 400 for unknown query
 * parameters, as X does. HTTPS on 127.0.0.1 with the test CA's certificate (trust `caPem` from ./test-ca.ts).
 *
 * Point the SDK at it with a plugin that rewrites the URL (the SDK has no base-URL setting):
 *   new TwitterApi(creds, { plugins: [{ onBeforeRequestConfig: ({ params }) => {
 *     params.url = params.url.replace('https://api.x.com/', fake.url + '/'); } }], httpAgent: new https.Agent({ ca: caPem }) })
 */

export type { RecordedRequest };

export interface XUser { id: string; name: string; username: string }
export interface StoredTweet {
  id: string; text: string; author_id: string; created_at: string; conversation_id: string; edit_history_tweet_ids: string[];
  in_reply_to_user_id?: string; referenced_tweets?: { type: 'replied_to'; id: string }[];
  /** listed by GET /2/users/:id/mentions (added with addMention) */
  mentionsUs: boolean;
  /** whose mentions list it (default: the fake's own account), for a bridge that serves several accounts */
  mentioned?: string[];
}
export interface StoredDm { id: string; event_type: 'MessageCreate'; text: string; sender_id: string; dm_conversation_id: string; created_at: string }

export interface NewMention {
  id?: string; authorId: string; username: string; name?: string; text: string; createdAt?: Date | string;
  conversationId?: string; inReplyToTweetId?: string;
  /** the accounts whose mentions list it (default: the fake's own) */
  mentioned?: string[];
}
/** a DM event; `recipientId` only matters for our own (senderId === accountId) DMs without a conversationId */
export interface NewDm {
  id?: string; senderId: string; username?: string; text: string; createdAt?: Date | string; conversationId?: string; recipientId?: string;
}

/** a string is looked for in `METHOD /path` (e.g. '/mentions', 'POST /2/tweets'); a RegExp is tested on it */
export type Match = string | RegExp;
/** `reset-before` drops the connection untouched; `reset-after` acts (posts the tweet…) then drops it; `hang` acts and never answers */
export type Rudeness = 'reset-before' | 'reset-after' | 'hang';
/** what one request meets in an outage: X's problem answer (a 429's x-rate-limit-reset at `resetAt`, ms), or rudeness */
export type XFault = { status: number; resetAt?: number } | Rudeness;

export interface FakeXApi {
  /** e.g. https://127.0.0.1:40123 — the base the SDK's URLs are rewritten to */
  url: string;
  accountId: string;
  username: string;
  /** every request received, in order, with when it came (`at`, the fake's clock) and what it was answered (`answer`) */
  requests: RecordedRequest[];
  /** every tweet known (mentions and the account's own), in creation order; tests may edit them */
  tweets: StoredTweet[];
  /** every DM event known (both directions), in creation order */
  dms: StoredDm[];
  /** the fake's clock in ms (rate-limit windows, default timestamps); replace it to move time, e.g. `() => t` */
  now: () => number;
  addMention(m: NewMention): StoredTweet;
  addDm(d: NewDm): StoredDm;
  /** DMs to this participant are refused with X's 403 from now on */
  blockDms(userId: string): void;
  /** after n more requests on matching paths answer 429 until clearLimit() or `now` passes the reset (set now + resetInSeconds) */
  limitAfter(n: number, match: Match, resetInSeconds: number): void;
  clearLimit(): void;
  /** answer the next n (matching) requests with this status and X's problem body for it (200: a body of errors only) */
  failNext(n: number, status: number, match?: Match): void;
  rudeNext(n: number, how: Rudeness, match?: Match): void;
  /** a bad spell at X: for the next `ms` every request meets the plan's fault instead of what failNext / rudeNext queued */
  outage(ms: number, plan: FaultPlan<XFault>): void;
  tweetsSent(): { id: string; text: string; inReplyTo?: string }[];
  dmsSent(): { id: string; participantId: string; text: string }[];
  /** called as a post or DM is taken, before it is answered: what else happens at X at that moment */
  afterSend?: (kind: 'tweet' | 'dm', id: string) => void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
interface Reply { status: number; body: Json }
/** a reply with the rate-limit headers every X answer carries */
interface Answer extends Reply { rate: { limit: number; remaining: number; reset: number } }

const TITLES: Record<number, string> = {
  400: 'Invalid Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found Error', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};
const problem = (status: number, detail?: string): Reply => {
  const title = TITLES[status] ?? `HTTP ${status}`;
  return { status, body: { title, detail: detail ?? title, type: 'about:blank', status } };
};
/** X's 400 for bad query parameters: a v2 problem with an `errors` list naming them */
const invalid = (param: string, value: string, message: string): Reply => ({
  status: 400,
  body: { errors: [{ parameters: { [param]: [value] }, message }], title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request' },
});
export const DUPLICATE_DETAIL = 'You are not allowed to create a Tweet with duplicate content.';
// X's wording for a refused DM (v1.1 error 349; its v2 problem body carries the same sentence as far as we know)
export const DM_REFUSED_DETAIL = 'You cannot send messages to this user.';
export const REPLY_GONE_DETAIL = 'You attempted to reply to a Tweet that is deleted or not visible to you.';

const TWEET_DEFAULTS = ['id', 'text', 'edit_history_tweet_ids'];
const DM_DEFAULTS = ['id', 'event_type', 'text'];
const COMMON = ['expansions', 'tweet.fields', 'user.fields', 'media.fields', 'place.fields', 'poll.fields'];
// what a post's expansions may name (X answers 400 for any other)
const TWEET_EXPANSIONS = ['attachments.poll_ids', 'attachments.media_keys', 'author_id', 'edit_history_tweet_ids', 'entities.mentions.username',
  'geo.place_id', 'in_reply_to_user_id', 'referenced_tweets.id', 'referenced_tweets.id.author_id'];
const WINDOW_MS = 15 * 60_000;
const SNOWFLAKE_EPOCH = 1288834974657n;

const matches = (m: Match | undefined, key: string): boolean => m === undefined || (typeof m === 'string' ? key.includes(m) : m.test(key));
const take = <T extends { match?: Match }>(queue: T[], key: string): T | undefined => {
  const i = queue.findIndex((q) => matches(q.match, key));
  return i < 0 ? undefined : queue.splice(i, 1)[0];
};
const list = (v: string | undefined): string[] => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);
const pick = (obj: object, fields: string[]): Json => {
  const out: Json = {};
  for (const [k, v] of Object.entries(obj)) if (fields.includes(k) && v !== undefined) out[k] = v;
  return out;
};
const byIdDesc = (a: { id: string }, b: { id: string }): number => (BigInt(b.id) > BigInt(a.id) ? 1 : BigInt(b.id) < BigInt(a.id) ? -1 : 0);
const pageToken = (lastId: string): string => Buffer.from(`fx1:${lastId}`).toString('base64url');
const fromToken = (token: string): string | undefined => /^fx1:(\d+)$/.exec(Buffer.from(token, 'base64url').toString())?.[1];

/** `bearerToken`: the app's token, which may read mentions (not DMs, not post) */
export async function startFakeXApi(opts: { accountId: string; username: string; appKey: string; bearerToken?: string }): Promise<FakeXApi> {
  const { accountId, username, appKey } = opts;
  const users = new Map<string, XUser>([[accountId, { id: accountId, name: username, username }]]);
  const blocked = new Set<string>();
  const failures: { status: number; match?: Match }[] = [];
  const rude: { how: Rudeness; match?: Match }[] = [];
  const limiters: { match: Match; left: number; resetAt: number }[] = [];
  const buckets = new Map<string, { remaining: number; resetAt: number }>();
  const sockets = new Set<Socket>();
  const outage = new Outage<XFault>();
  // what the account posted through the API (taken even when rudeness then lost the answer)
  const sentTweets: { id: string; text: string; inReplyTo?: string }[] = [];
  const sentDms: { id: string; participantId: string; text: string }[] = [];
  let lastId = 0n;

  /** increasing, and time-based like X's snowflakes (so since_id and start_time agree) */
  const nextId = (explicit?: string): string => {
    const fromClock = (BigInt(Math.floor(api.now())) - SNOWFLAKE_EPOCH) << 22n;
    lastId = explicit ? (BigInt(explicit) > lastId ? BigInt(explicit) : lastId) : fromClock > lastId ? fromClock : lastId + 1n;
    return explicit ?? lastId.toString();
  };
  const iso = (d: Date | string | undefined): string => new Date(d ?? api.now()).toISOString();
  const dmConversation = (a: string, b: string): string => (BigInt(a) < BigInt(b) ? `${a}-${b}` : `${b}-${a}`);
  const unknownParam = (query: Record<string, string>, allowed: string[]): Reply | undefined => {
    const bad = Object.keys(query).find((k) => !allowed.includes(k));
    return bad === undefined ? undefined : invalid(bad, query[bad] ?? '', `The query parameter [${bad}] is not one of [${allowed.join(',')}]`);
  };
  const maxResults = (query: Record<string, string>, min: number, dflt: number): number | Reply => {
    const raw = query.max_results;
    const n = raw === undefined ? dflt : Number(raw);
    if (!Number.isInteger(n) || n < min || n > 100) return invalid('max_results', raw ?? '', `The \`max_results\` query parameter value [${raw}] is not between ${min} and 100`);
    return n;
  };
  /** one page, newest first, with X's meta; `lastId` of a page becomes the opaque next_token */
  const page = <T extends { id: string }>(items: T[], query: Record<string, string>, limit: number): { items: T[]; next?: string } | Reply => {
    let sorted = [...items].sort(byIdDesc);
    if (query.pagination_token !== undefined) {
      const before = fromToken(query.pagination_token);
      if (!before) return invalid('pagination_token', query.pagination_token, `The \`pagination_token\` query parameter value [${query.pagination_token}] is not valid`);
      sorted = sorted.filter((t) => BigInt(t.id) < BigInt(before));
    }
    const shown = sorted.slice(0, limit);
    const last = shown[shown.length - 1];
    return sorted.length > limit && last ? { items: shown, next: pageToken(last.id) } : { items: shown };
  };
  const includeUsers = (ids: (string | undefined)[], userFields: string[]): Json | undefined => {
    const found = [...new Set(ids)].map((id) => (id ? users.get(id) : undefined)).filter((u): u is XUser => !!u);
    return found.length ? { users: found.map((u) => pick(u, ['id', 'name', 'username', ...userFields])) } : undefined;
  };

  const mentions = (userId: string, query: Record<string, string>): Reply => {
    const bad = unknownParam(query, ['since_id', 'until_id', 'max_results', 'pagination_token', 'start_time', 'end_time', ...COMMON]);
    if (bad) return bad;
    if (!/^\d{1,19}$/.test(userId)) return invalid('id', userId, `The \`id\` query parameter value [${userId}] does not match ^[0-9]{1,19}$`);
    const limit = maxResults(query, 5, 10);
    if (typeof limit !== 'number') return limit;
    const { since_id: since, until_id: until, start_time: start, end_time: end } = query;
    const pool = api.tweets.filter((t) => t.mentionsUs && (t.mentioned ?? [accountId]).includes(userId)
      && (since === undefined || BigInt(t.id) > BigInt(since)) && (until === undefined || BigInt(t.id) < BigInt(until))
      && (start === undefined || t.created_at >= iso(start)) && (end === undefined || t.created_at < iso(end)));
    const got = page(pool, query, limit);
    if ('status' in got) return got;
    if (!got.items.length) return { status: 200, body: { meta: { result_count: 0 } } };
    const fields = [...TWEET_DEFAULTS, ...list(query['tweet.fields'])];
    const expansions = list(query.expansions);
    const unknown = expansions.find((e) => !TWEET_EXPANSIONS.includes(e));
    if (unknown !== undefined) return invalid('expansions', unknown, `The \`expansions\` query parameter value [${unknown}] is not one of [${TWEET_EXPANSIONS.join(',')}]`);
    // the posts replied to (referenced_tweets.id), as X includes them: with the fields asked for
    const parents = expansions.includes('referenced_tweets.id')
      ? [...new Set(got.items.flatMap((t) => (t.referenced_tweets ?? []).map((r) => r.id)))].map((id) => api.tweets.find((t) => t.id === id)).filter((t): t is StoredTweet => !!t)
      : [];
    const users = includeUsers(got.items.flatMap((t) => [expansions.includes('author_id') ? t.author_id : undefined,
      expansions.includes('in_reply_to_user_id') ? t.in_reply_to_user_id : undefined]), list(query['user.fields']));
    const includes = { ...users, ...(parents.length ? { tweets: parents.map((t) => pick(t, fields)) } : {}) };
    const meta = { result_count: got.items.length, newest_id: got.items[0]?.id, oldest_id: got.items[got.items.length - 1]?.id, ...(got.next ? { next_token: got.next } : {}) };
    return { status: 200, body: { data: got.items.map((t) => pick(t, fields)), ...(Object.keys(includes).length ? { includes } : {}), meta } };
  };

  /** GET /2/users/:id/tweets — the account's own posts (what a client looks in for a post whose answer it lost) */
  const userTweets = (userId: string, query: Record<string, string>): Reply => {
    const bad = unknownParam(query, ['since_id', 'until_id', 'max_results', 'pagination_token', 'start_time', 'end_time', 'exclude', ...COMMON]);
    if (bad) return bad;
    const limit = maxResults(query, 5, 10);
    if (typeof limit !== 'number') return limit;
    const pool = api.tweets.filter((t) => t.author_id === userId && (query.start_time === undefined || t.created_at >= iso(query.start_time)));
    const got = page(pool, query, limit);
    if ('status' in got) return got;
    if (!got.items.length) return { status: 200, body: { meta: { result_count: 0 } } };
    const fields = [...TWEET_DEFAULTS, ...list(query['tweet.fields'])];
    const meta = { result_count: got.items.length, newest_id: got.items[0]?.id, oldest_id: got.items[got.items.length - 1]?.id, ...(got.next ? { next_token: got.next } : {}) };
    return { status: 200, body: { data: got.items.map((t) => pick(t, fields)), meta } };
  };

  /** GET /2/dm_events, or with a participant GET /2/dm_conversations/with/:participant_id/dm_events (that one conversation) */
  const dmEvents = (query: Record<string, string>, participantId?: string): Reply => {
    const bad = unknownParam(query, ['event_types', 'dm_event.fields', 'max_results', 'pagination_token', 'expansions', 'media.fields', 'tweet.fields', 'user.fields']);
    if (bad) return bad;
    if (participantId !== undefined && !/^\d{1,19}$/.test(participantId)) return invalid('participant_id', participantId, `The \`participant_id\` path parameter value [${participantId}] does not match ^[0-9]{1,19}$`);
    const limit = maxResults(query, 1, 100);
    if (typeof limit !== 'number') return limit;
    const types = list(query.event_types);
    const pool = participantId === undefined ? api.dms : api.dms.filter((d) => d.dm_conversation_id === dmConversation(accountId, participantId));
    const got = page(types.length && !types.includes('MessageCreate') ? [] : pool, query, limit);
    if ('status' in got) return got;
    if (!got.items.length) return { status: 200, body: { meta: { result_count: 0 } } };
    const fields = [...DM_DEFAULTS, ...list(query['dm_event.fields'])];
    const includes = list(query.expansions).includes('sender_id') ? includeUsers(got.items.map((d) => d.sender_id), list(query['user.fields'])) : undefined;
    const meta = { result_count: got.items.length, ...(got.next ? { next_token: got.next } : {}) };
    return { status: 200, body: { data: got.items.map((d) => pick(d, fields)), ...(includes ? { includes } : {}), meta } };
  };

  const postTweet = (body: unknown): Reply => {
    const b = (body ?? {}) as { text?: unknown; reply?: { in_reply_to_tweet_id?: unknown } };
    if (typeof b.text !== 'string' || !b.text) return invalid('text', String(b.text), 'text is required (no media in this fake)');
    if ([...b.text].length > 280) return problem(403, 'Your Tweet text is too long. For more information on how X determines text length see https://github.com/twitter/twitter-text.');
    const text = b.text;
    if (api.tweets.some((t) => t.author_id === accountId && t.text === text)) return problem(403, DUPLICATE_DETAIL);
    const parentId = b.reply?.in_reply_to_tweet_id;
    const parent = parentId === undefined ? undefined : api.tweets.find((t) => t.id === String(parentId));
    if (parentId !== undefined && !parent) return problem(403, REPLY_GONE_DETAIL);
    const id = nextId();
    api.tweets.push({ id, text, author_id: accountId, created_at: iso(undefined), conversation_id: parent?.conversation_id ?? id,
      edit_history_tweet_ids: [id], mentionsUs: false,
      ...(parent ? { in_reply_to_user_id: parent.author_id, referenced_tweets: [{ type: 'replied_to' as const, id: parent.id }] } : {}) });
    sentTweets.push({ id, text, ...(parent ? { inReplyTo: parent.id } : {}) });
    api.afterSend?.('tweet', id);
    return { status: 201, body: { data: { id, text, edit_history_tweet_ids: [id] } } };
  };

  const sendDm = (participantId: string, body: unknown): Reply => {
    const text = (body as { text?: unknown } | undefined)?.text;
    if (typeof text !== 'string' || !text) return invalid('text', String(text), 'text is required (no attachments in this fake)');
    if (!/^\d{1,19}$/.test(participantId)) return invalid('participant_id', participantId, `The \`participant_id\` path parameter value [${participantId}] does not match ^[0-9]{1,19}$`);
    if (blocked.has(participantId)) return problem(403, DM_REFUSED_DETAIL);
    const dm = api.addDm({ senderId: accountId, recipientId: participantId, text });
    sentDms.push({ id: dm.id, participantId, text });
    api.afterSend?.('dm', dm.id);
    return { status: 201, body: { data: { dm_conversation_id: dm.dm_conversation_id, dm_event_id: dm.id } } };
  };

  const routes: { method: string; re: RegExp; bucket: string; limit: number; run: (m: RegExpExecArray, r: RecordedRequest) => Reply }[] = [
    { method: 'GET', re: /^\/2\/users\/me$/, bucket: 'me', limit: 75, run: (_, r) => unknownParam(r.query, COMMON)
      ?? { status: 200, body: { data: { id: accountId, name: users.get(accountId)?.name ?? username, username } } } },
    { method: 'GET', re: /^\/2\/users\/([^/]+)\/mentions$/, bucket: 'mentions', limit: 300, run: (m, r) => mentions(m[1] ?? '', r.query) },
    { method: 'GET', re: /^\/2\/users\/([^/]+)\/tweets$/, bucket: 'user_tweets', limit: 900, run: (m, r) => userTweets(m[1] ?? '', r.query) },
    { method: 'GET', re: /^\/2\/dm_events$/, bucket: 'dm_events', limit: 300, run: (_, r) => dmEvents(r.query) },
    { method: 'GET', re: /^\/2\/dm_conversations\/with\/([^/]+)\/dm_events$/, bucket: 'dm_events_with', limit: 300, run: (m, r) => dmEvents(r.query, m[1] ?? '') },
    { method: 'POST', re: /^\/2\/tweets$/, bucket: 'tweets', limit: 100, run: (_, r) => postTweet(r.body) },
    { method: 'POST', re: /^\/2\/dm_conversations\/with\/([^/]+)\/messages$/, bucket: 'dm_send', limit: 200, run: (m, r) => sendDm(m[1] ?? '', r.body) },
  ];

  /** the answer to a request, before rudeness decides whether it is delivered */
  const answer = (r: RecordedRequest, key: string, failure: { status: number; resetAt?: number } | undefined): Answer => {
    const now = api.now();
    const route = routes.find((x) => x.method === r.method && x.re.test(r.path));
    const bucketOf = (): { remaining: number; resetAt: number } => {
      const name = route?.bucket ?? 'other';
      let b = buckets.get(name);
      if (!b || now >= b.resetAt) buckets.set(name, (b = { remaining: route?.limit ?? 300, resetAt: now + WINDOW_MS }));
      return b;
    };
    const bucket = bucketOf();
    const rate = (remaining: number, resetAt: number): Answer['rate'] => ({ limit: route?.limit ?? 300, remaining, reset: Math.ceil(resetAt / 1000) });
    // 200 with only `errors`: how X answers a read of something it will not show (a suspended or deleted user)
    if (failure?.status === 200) return { status: 200, body: { errors: [{ title: 'Not Found Error', detail: 'Could not find the resource.', type: 'https://api.twitter.com/2/problems/resource-not-found' }] }, rate: rate(bucket.remaining, bucket.resetAt) };
    if (failure) return { ...problem(failure.status), rate: failure.status === 429 ? rate(0, failure.resetAt ?? now + WINDOW_MS) : rate(bucket.remaining, bucket.resetAt) };
    const auth = r.headers.authorization ?? '';
    const consumer = /(?:^OAuth |,\s*)oauth_consumer_key="([^"]*)"/.exec(auth)?.[1];
    // the app's bearer token may read public things (mentions), never DMs or post
    const bearerOk = opts.bearerToken !== undefined && auth === `Bearer ${opts.bearerToken}` && r.method === 'GET' && !r.path.startsWith('/2/dm_');
    if (bearerOk) {
      // (the app's reads have their own windows at X; one shared bucket is enough here)
    } else if (!auth.startsWith('OAuth ') || consumer === undefined || decodeURIComponent(consumer) !== appKey) {
      return { ...problem(401), rate: rate(bucket.remaining, bucket.resetAt) };
    }
    // a test's limit first (it drives the headers while it lasts), then the endpoint's own 15-minute window
    for (let i = limiters.length - 1; i >= 0; i--) if (now >= (limiters[i]?.resetAt ?? 0)) limiters.splice(i, 1); // run their course
    const limiter = limiters.find((l) => matches(l.match, key));
    if (limiter ? limiter.left <= 0 : bucket.remaining <= 0) return { ...problem(429), rate: rate(0, limiter?.resetAt ?? bucket.resetAt) };
    bucket.remaining -= 1;
    if (limiter) limiter.left -= 1;
    const headers = limiter ? rate(limiter.left, limiter.resetAt) : rate(bucket.remaining, bucket.resetAt);
    const m = route?.re.exec(r.path);
    if (!route || !m) return { ...problem(404, 'Sorry, that page does not exist.'), rate: headers };
    return { ...route.run(m, r), rate: headers };
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    const url = new URL(req.url ?? '/', 'https://fake');
    let body: unknown;
    try { body = raw ? JSON.parse(raw) : undefined; } catch { body = raw; }
    const r: RecordedRequest = { method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), body, headers: req.headers, at: api.now() };
    api.requests.push(r);
    const key = `${r.method} ${r.path}`;
    const planned = outage.next(key);
    const rudeness = planned === undefined ? take(rude, key) : typeof planned === 'string' ? { how: planned } : undefined;
    if (rudeness?.how === 'reset-before') return void req.socket.destroy();
    const reply = answer(r, key, planned === undefined ? take(failures, key) : typeof planned === 'string' ? undefined : planned);
    if (rudeness?.how === 'reset-after') return void req.socket.destroy();
    if (rudeness?.how === 'hang') return; // the socket stays open until close()
    const { limit, remaining, reset } = reply.rate;
    const headers = { 'Content-Type': 'application/json; charset=utf-8', 'x-rate-limit-limit': String(limit),
      'x-rate-limit-remaining': String(remaining), 'x-rate-limit-reset': String(reset) };
    r.answer = { status: reply.status, headers };
    res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
  };

  const server = createServer({ cert: certPem, key: keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (s: Socket) => { sockets.add(s); s.once('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const api: FakeXApi = {
    url: `https://127.0.0.1:${port}`,
    accountId,
    username,
    requests: [],
    tweets: [],
    dms: [],
    now: () => Date.now(),
    addMention(m) {
      users.set(m.authorId, { id: m.authorId, name: m.name ?? users.get(m.authorId)?.name ?? m.username, username: m.username });
      const parent = m.inReplyToTweetId === undefined ? undefined : api.tweets.find((t) => t.id === m.inReplyToTweetId);
      const id = nextId(m.id);
      const tweet: StoredTweet = { id, text: m.text, author_id: m.authorId, created_at: iso(m.createdAt),
        conversation_id: m.conversationId ?? parent?.conversation_id ?? m.inReplyToTweetId ?? id, edit_history_tweet_ids: [id], mentionsUs: true,
        ...(m.mentioned ? { mentioned: m.mentioned } : {}),
        ...(m.inReplyToTweetId ? { in_reply_to_user_id: parent?.author_id ?? accountId, referenced_tweets: [{ type: 'replied_to' as const, id: m.inReplyToTweetId }] } : {}) };
      api.tweets.push(tweet);
      return tweet;
    },
    addDm(d) {
      if (d.username !== undefined || !users.has(d.senderId)) {
        const name = d.username ?? `user${d.senderId}`;
        users.set(d.senderId, { id: d.senderId, name: users.get(d.senderId)?.name ?? name, username: name });
      }
      const other = d.senderId === accountId ? (d.recipientId ?? accountId) : d.senderId;
      const dm: StoredDm = { id: nextId(d.id), event_type: 'MessageCreate', text: d.text, sender_id: d.senderId,
        dm_conversation_id: d.conversationId ?? dmConversation(accountId, other), created_at: iso(d.createdAt) };
      api.dms.push(dm);
      return dm;
    },
    blockDms: (userId) => void blocked.add(userId),
    limitAfter: (n, match, resetInSeconds) => void limiters.unshift({ match, left: n, resetAt: api.now() + resetInSeconds * 1000 }),
    clearLimit: () => void limiters.splice(0),
    failNext: (n, status, match) => void failures.push(...Array.from({ length: n }, () => ({ status, match }))),
    rudeNext: (n, how, match) => void rude.push(...Array.from({ length: n }, () => ({ how, match }))),
    outage: (ms, plan) => outage.start(ms, plan),
    tweetsSent: () => sentTweets.map((t) => ({ ...t })),
    dmsSent: () => sentDms.map((d) => ({ ...d })),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const s of sockets) s.destroy();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
  return api;
}
