import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Outage, type FaultPlan } from './outage.ts';
import type { RecordedRequest } from './recorded-request.ts';

/**
 * A local stand-in for the Facebook Graph API (v24.0) as the Messenger and Page-comments parts of the bridge use
 * it: `/v24.0/<id>/<edge>` paths, `access_token` in the query, JSON bodies in (what facebook-nodejs-business-sdk
 * sends through axios; form bodies are understood too), JSON out, `{"error":{…}}` bodies with Graph's codes, and
 * cursor paging whose `paging.next` is an absolute URL carrying `after` and the token, as the SDK's Cursor follows.
 * Meta's send rules are enforced: the 24-hour window, HUMAN_AGENT's 7 days, one private reply per comment.
 */

export type { RecordedRequest };

/** What a Graph error body says; `message` and `type` default to Graph's own wording for the code. */
export interface GraphError { code: number; error_subcode?: number; message?: string; type?: string; is_transient?: boolean }
export type Rudeness = 'reset-before' | 'reset-after' | 'hang';
/** what one request meets in an outage: an error answer with its headers (Graph's usage headers), or rudeness */
export type GraphFault = { status: number; error: GraphError; headers?: Record<string, string> } | Rudeness;
/** a substring of, or a pattern for, the request path (e.g. '/messages'); absent = any request */
export type PathMatch = string | RegExp;
export interface GraphUser { id: string; name: string }

/** A Send API call the fake accepted (and so the citizen got), with the page it went out from. */
export interface SentMessage {
  pageId: string;
  messageId: string;
  recipient: { id?: string; comment_id?: string };
  message: { text?: string; quick_replies?: { content_type: string; title?: string; payload?: string }[] };
  messaging_type?: string;
  tag?: string;
  /** when the fake took it (its clock) */
  at: Date;
}
/** A comment the page posted, under a post or as a reply to a comment (`parentId`). */
export interface SentComment { id: string; parentId: string; message: string }

export interface FakeGraphApi {
  /** e.g. http://127.0.0.1:40123 — what FacebookAdsApi.GRAPH must answer */
  url: string;
  /** every request received, in order, refused ones included */
  requests: RecordedRequest[];
  /** the fake's clock for windows and default times; tests replace it (`fake.now = () => later`) */
  now: () => Date;
  /** make `token` the page's one valid token (a replaced token becomes unknown) */
  setToken(pageId: string, token: string): void;
  /** the page's current token expires: from now on it gets 190 / 463, until setToken gives a new one */
  expireToken(pageId: string): void;
  /** the citizen `psid` wrote to the page at `at` (default now): the PSID becomes known, the windows open */
  userWrote(pageId: string, psid: string, at?: Date): void;
  /** whether the app holds the Human Agent permission for the page (default true) */
  allowHumanAgent(pageId: string, allowed: boolean): void;
  /** publish a post on the page; returns its id ("<pageId>_<n>" unless given) */
  addPost(pageId: string, post?: { id?: string; created_time?: Date; message?: string }): string;
  /** a citizen comments on a post (or replies to `parent_id`, a comment under it); returns the comment id */
  addComment(postId: string, c: { id?: string; from: GraphUser; message: string; created_time?: Date; parent_id?: string }): string;
  sentMessages(): SentMessage[];
  sentComments(): SentComment[];
  /** answer the next n (matching) requests with this status and Graph error, doing nothing else */
  failNext(n: number, status: number, error: GraphError, headers?: Record<string, string>, match?: PathMatch): void;
  /**
   * Be rude to the next n (matching) requests: `reset-before` drops the connection before acting; `reset-after`
   * acts (a message is sent, a comment stored) and drops it unanswered; `hang` acts and never answers.
   */
  rudeNext(n: number, how: Rudeness, match?: PathMatch): void;
  /** a bad spell at Graph: for the next `ms` every request meets the plan's fault instead of what failNext / rudeNext queued */
  outage(ms: number, plan: FaultPlan<GraphFault>): void;
  close(): Promise<void>;
}

/** The X-Business-Use-Case-Usage header Graph sends with a rate-limit refusal (`minutes` until access returns). */
export const businessUseCaseUsage = (pageId: string, minutes: number): Record<string, string> => ({
  'X-Business-Use-Case-Usage': JSON.stringify({
    [pageId]: [{ type: 'messenger', call_count: 100, total_cputime: 20, total_time: 20, estimated_time_to_regain_access: minutes }],
  }),
});

/** Graph's time format: 2025-01-14T10:00:00+0000 */
export const graphTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, '+0000');

const DAY = 86_400_000;
const DEFAULT_MESSAGES: Record<number, string> = {
  1: 'An unknown error occurred',
  2: 'An unexpected error has occurred. Please retry your request later.',
  4: '(#4) Application request limit reached',
  17: '(#17) User request limit reached',
  32: '(#32) Page request limit reached',
  613: '(#613) Calls to this api have exceeded the rate limit.',
};

interface Answer { status: number; body: unknown; headers?: Record<string, string> }
interface Post { id: string; pageId: string; created: Date; message?: string; seq: number }
interface StoredComment { id: string; postId: string; parentId?: string; from: GraphUser; message: string; created: Date; seq: number; privatelyReplied: boolean }

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
/** an object field, which a form body carries as JSON text */
function obj(v: unknown): Record<string, unknown> {
  if (typeof v === 'string') try { v = JSON.parse(v); } catch { return {}; }
  return isRecord(v) ? v : {};
}
/** `since` / `until`: unix seconds, or anything Date.parse reads (Graph takes strtotime strings) */
const timeParam = (v: string | undefined): number | undefined => (v === undefined ? undefined : /^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v));
const cursor = (id: string): string => Buffer.from(id).toString('base64url');

function err(e: GraphError, status = 400, headers: Record<string, string> = {}): Answer {
  const transient = e.is_transient ?? (e.code === 1 || e.code === 2 ? true : undefined);
  const error = {
    message: e.message ?? DEFAULT_MESSAGES[e.code] ?? `(#${e.code}) Simulated error`,
    type: e.type ?? 'OAuthException',
    code: e.code,
    ...(e.error_subcode !== undefined ? { error_subcode: e.error_subcode } : {}),
    ...(transient !== undefined ? { is_transient: transient } : {}),
    fbtrace_id: randomBytes(8).toString('base64url'),
  };
  return { status, headers, body: { error } };
}
const ok = (body: unknown): Answer => ({ status: 200, body });
const outsideWindow = (): Answer => err({ code: 10, error_subcode: 2018278, message: '(#10) This message is sent outside of allowed window.' });
const unsupported = (method: string, id: string): Answer => err({
  code: 100, error_subcode: 33,
  message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
});

/** Keeps only the asked-for fields (Graph always gives `id`); no `fields` = the whole view. */
function pick(view: Record<string, unknown>, fields: string | undefined): Record<string, unknown> {
  if (!fields) return view;
  const wanted = new Set(['id', ...fields.split(',').map((f) => f.trim())]);
  return Object.fromEntries(Object.entries(view).filter(([k]) => wanted.has(k)));
}

export async function startFakeGraphApi(opts: { pages?: Record<string, string>; now?: () => Date } = {}): Promise<FakeGraphApi> {
  const requests: RecordedRequest[] = [];
  const pages = new Set<string>(); // every page the fake knows, with or without a valid token
  const tokens = new Map<string, string>(); // pageId → its valid token
  const expired = new Map<string, Date>(); // expired token → when
  const lastWrote = new Map<string, Date>(); // `${pageId}/${psid}` → the citizen's last message
  const noHumanAgent = new Set<string>();
  const posts: Post[] = [];
  const comments: StoredComment[] = [];
  const sent: SentMessage[] = [];
  const sentComments: SentComment[] = [];
  const failures: { status: number; error: GraphError; headers: Record<string, string>; match?: PathMatch }[] = [];
  const rudeness: { how: Rudeness; match?: PathMatch }[] = [];
  const hanging = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  const outage = new Outage<GraphFault>();
  let seq = 0;

  const pageName = (pageId: string): string => `Test Page ${pageId}`;
  const now = (): Date => api.now();
  /** takes the first queued entry whose match fits the path */
  const take = <T extends { match?: PathMatch }>(queue: T[], path: string): T | undefined => {
    const i = queue.findIndex((e) => e.match === undefined || (typeof e.match === 'string' ? path.includes(e.match) : e.match.test(path)));
    return i < 0 ? undefined : queue.splice(i, 1)[0];
  };
  const ownerOf = (id: string): string | undefined => {
    if (pages.has(id)) return id;
    const post = posts.find((p) => p.id === id) ?? posts.find((p) => p.id === comments.find((c) => c.id === id)?.postId);
    return post?.pageId;
  };
  const postView = (p: Post): Record<string, unknown> => ({ id: p.id, created_time: graphTime(p.created), ...(p.message !== undefined ? { message: p.message } : {}) });
  const commentView = (c: StoredComment): Record<string, unknown> => {
    const parent = comments.find((p) => p.id === c.parentId);
    const short = (x: StoredComment) => ({ id: x.id, message: x.message, from: x.from, created_time: graphTime(x.created) });
    return { ...short(c), ...(parent ? { parent: short(parent) } : {}) };
  };

  /** A Graph edge listing: since/until, limit (25, at most 100), cursors, `next` only when more follow. */
  function list<T extends { id: string; created: Date; seq: number }>(items: T[], newestFirst: boolean, view: (x: T) => Record<string, unknown>, path: string, query: Record<string, string>): Answer {
    const since = timeParam(query.since);
    const until = timeParam(query.until);
    const all = items
      .filter((x) => (since === undefined || x.created.getTime() >= since) && (until === undefined || x.created.getTime() <= until))
      .sort((a, b) => (newestFirst ? -1 : 1) * (a.created.getTime() - b.created.getTime() || a.seq - b.seq));
    const limit = Math.min(Math.max(Number(query.limit ?? 25) || 25, 1), 100);
    const afterId = query.after === undefined ? undefined : Buffer.from(query.after, 'base64url').toString();
    const start = afterId === undefined ? 0 : all.findIndex((x) => x.id === afterId) + 1;
    const slice = all.slice(start, start + limit);
    const first = slice[0];
    const last = slice[slice.length - 1];
    if (!first || !last) return ok({ data: [] }); // Graph leaves paging out of an empty page
    const next = new URLSearchParams(query);
    next.delete('before');
    next.set('limit', String(limit));
    next.set('after', cursor(last.id));
    const more = start + limit < all.length;
    const paging = { cursors: { before: cursor(first.id), after: cursor(last.id) }, ...(more ? { next: `${api.url}${path}?${next}` } : {}) };
    return ok({ data: slice.map((x) => pick(view(x), query.fields)), paging });
  }

  /** POST /<page>/messages — the Send API, with Meta's windows */
  function send(pageId: string, fields: Record<string, unknown>): Answer {
    const recipient = obj(fields.recipient);
    const message = obj(fields.message);
    const type = str(fields.messaging_type) ?? 'RESPONSE';
    const tag = str(fields.tag);
    const text = str(message.text);
    if (!str(recipient.id) && !str(recipient.comment_id)) return err({ code: 100, message: '(#100) param recipient must be non-empty.' });
    if (text === undefined && message.attachment === undefined) return err({ code: 100, message: '(#100) Must send either message or sender action' });
    if (text !== undefined && text.length > 2000) return err({ code: 100, message: '(#100) Length of param message[text] must be less than or equal to 2000' });
    if (Array.isArray(message.quick_replies) && message.quick_replies.length > 13) return err({ code: 100, message: '(#100) param message[quick_replies] must have at most 13 elements' });
    if (!['RESPONSE', 'UPDATE', 'MESSAGE_TAG'].includes(type)) return err({ code: 100, message: '(#100) Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}' });
    const age = (since: Date): number => now().getTime() - since.getTime();
    let recipientId: string;
    const commentId = str(recipient.comment_id);
    if (commentId !== undefined) {
      // a private reply: once per comment, within 7 days of it, to the commenter
      const comment = comments.find((c) => c.id === commentId);
      if (!comment || ownerOf(commentId) !== pageId) return err({ code: 100, error_subcode: 2018001, message: '(#100) No matching user found' });
      if (comment.privatelyReplied) return err({ code: 10900, message: '(#10900) Activity already replied to' });
      if (age(comment.created) > 7 * DAY) return outsideWindow();
      comment.privatelyReplied = true;
      recipientId = comment.from.id;
    } else {
      recipientId = str(recipient.id) ?? '';
      const wrote = lastWrote.get(`${pageId}/${recipientId}`);
      if (!wrote) return err({ code: 100, error_subcode: 2018001, message: '(#100) No matching user found' });
      if (type === 'MESSAGE_TAG') {
        if (tag !== 'HUMAN_AGENT') return err({ code: 100, message: '(#100) Param tag must be one of {HUMAN_AGENT} here' });
        if (noHumanAgent.has(pageId)) return err({ code: 10, message: '(#10) Application does not have permission for this action' });
        if (age(wrote) > 7 * DAY) return outsideWindow();
      } else if (age(wrote) > DAY) return outsideWindow();
    }
    const messageId = 'm_' + randomBytes(24).toString('base64url');
    sent.push({
      pageId, messageId, recipient: recipient as SentMessage['recipient'], message: message as SentMessage['message'],
      messaging_type: type, ...(tag !== undefined ? { tag } : {}), at: now(),
    });
    return ok({ recipient_id: recipientId, message_id: messageId });
  }

  /** POST /<post or comment>/comments — the page comments (or replies) as itself */
  function comment(pageId: string, parentId: string, fields: Record<string, unknown>): Answer {
    const message = str(fields.message);
    if (!message) return err({ code: 100, message: '(#100) The parameter message is required' });
    const parent = comments.find((c) => c.id === parentId);
    const id = api.addComment(parent?.postId ?? parentId, { from: { id: pageId, name: pageName(pageId) }, message, ...(parent ? { parent_id: parent.id } : {}) });
    sentComments.push({ id, parentId, message });
    return ok({ id });
  }

  function route(method: string, path: string, query: Record<string, string>, fields: Record<string, unknown>): Answer {
    const m = /^\/v\d+\.\d+\/([^/]+)(?:\/([^/]+))?\/?$/.exec(path);
    if (!m?.[1]) return err({ code: 2500, message: `Unknown path components: ${path}` });
    const token = query.access_token ?? str(fields.access_token);
    if (!token) return err({ code: 104, message: 'An access token is required to request this resource.' });
    const expiredAt = expired.get(token);
    if (expiredAt) {
      const message = `Error validating access token: Session has expired on ${expiredAt.toUTCString()}. The current time is ${now().toUTCString()}.`;
      return err({ code: 190, error_subcode: 463, message }, 400, { 'WWW-Authenticate': `OAuth "Facebook Platform" "invalid_token" "${message}"` });
    }
    const pageId = [...tokens].find(([, t]) => t === token)?.[0];
    if (!pageId) return err({ code: 190, message: 'Invalid OAuth access token - Cannot parse access token' });
    const id = m[1] === 'me' ? pageId : m[1];
    const edge = m[2];
    if (ownerOf(id) !== pageId) return unsupported(method, id); // not this page's, or no such object
    const kind = pages.has(id) ? 'page' : posts.some((p) => p.id === id) ? 'post' : 'comment';
    const ours = (c: StoredComment): boolean => (kind === 'post' ? c.postId === id && (query.filter === 'stream' || !c.parentId) : c.parentId === id);
    switch (`${method} ${kind}/${edge ?? ''}`) {
      case 'GET page/': return ok(pick({ id, name: pageName(id) }, query.fields ?? 'id,name'));
      case 'GET post/': return ok(pick(postView(posts.find((p) => p.id === id) as Post), query.fields));
      case 'GET comment/': return ok(pick(commentView(comments.find((c) => c.id === id) as StoredComment), query.fields));
      case 'POST page/messages': return send(pageId, fields);
      case 'GET page/conversations': {
        // the page's Messenger conversation with one citizen (user_id), newest messages first
        const mine = sent.filter((m) => m.pageId === id && m.recipient.id === query.user_id).reverse();
        const messages = mine.map((m) => ({ id: m.messageId, message: m.message.text ?? '', created_time: graphTime(m.at), from: { id, name: pageName(id) } }));
        return ok({ data: query.user_id && lastWrote.has(`${id}/${query.user_id}`) ? [{ id: `t_${query.user_id}`, messages: { data: messages.slice(0, 20) } }] : [] });
      }
      case 'GET page/posts': case 'GET page/feed': case 'GET page/published_posts':
        return list(posts.filter((p) => p.pageId === id), true, postView, path, query);
      case 'GET post/comments': case 'GET comment/comments':
        return list(comments.filter(ours), query.order === 'reverse_chronological', commentView, path, query);
      case 'POST post/comments': case 'POST comment/comments': return comment(pageId, id, fields);
      default: return edge ? err({ code: 100, message: `(#100) Tried accessing nonexisting field (${edge})` }) : unsupported(method, id);
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    const type = req.headers['content-type'] ?? '';
    let body: unknown = raw === '' ? undefined : raw;
    if (raw && type.includes('json')) try { body = JSON.parse(raw); } catch { /* keep the text */ }
    if (raw && type.includes('x-www-form-urlencoded')) body = Object.fromEntries(new URLSearchParams(raw));
    requests.push({ method: req.method ?? '', path: url.pathname, query, body, headers: req.headers });

    const planned = outage.next(`${req.method ?? ''} ${url.pathname}`);
    const rude = planned === undefined ? take(rudeness, url.pathname) : typeof planned === 'string' ? { how: planned } : undefined;
    if (rude?.how === 'reset-before') return void res.socket?.destroy();
    const failure = planned === undefined ? take(failures, url.pathname) : typeof planned === 'string' ? undefined : { ...planned, headers: planned.headers ?? {} };
    const answer = failure
      ? err(failure.error, failure.status, failure.headers)
      : route(req.method ?? 'GET', url.pathname, query, isRecord(body) ? body : {});
    if (rude?.how === 'reset-after') return void res.socket?.destroy();
    if (rude?.how === 'hang') return void hanging.add(res);
    res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=UTF-8', 'facebook-api-version': 'v24.0', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const api: FakeGraphApi = {
    url: `http://127.0.0.1:${port}`,
    requests,
    now: opts.now ?? (() => new Date()),
    setToken(pageId, token) {
      pages.add(pageId);
      tokens.set(pageId, token);
    },
    expireToken(pageId) {
      const token = tokens.get(pageId);
      if (token !== undefined) expired.set(token, now());
      tokens.delete(pageId);
    },
    userWrote: (pageId, psid, at) => void lastWrote.set(`${pageId}/${psid}`, at ?? now()),
    allowHumanAgent: (pageId, allowed) => void (allowed ? noHumanAgent.delete(pageId) : noHumanAgent.add(pageId)),
    addPost(pageId, post = {}) {
      const n = ++seq;
      pages.add(pageId);
      const id = post.id ?? `${pageId}_${n}`;
      posts.push({ id, pageId, created: post.created_time ?? now(), seq: n, ...(post.message !== undefined ? { message: post.message } : {}) });
      return id;
    },
    addComment(postId, c) {
      if (!posts.some((p) => p.id === postId)) throw new Error(`fake Graph API: no post ${postId}`);
      const n = ++seq;
      const id = c.id ?? `${postId}_${n}`;
      comments.push({ id, postId, from: c.from, message: c.message, created: c.created_time ?? now(), seq: n, privatelyReplied: false, ...(c.parent_id ? { parentId: c.parent_id } : {}) });
      return id;
    },
    sentMessages: () => [...sent],
    sentComments: () => [...sentComments],
    failNext(n, status, error, headers = {}, match) {
      for (let i = 0; i < n; i++) failures.push({ status, error, headers, ...(match !== undefined ? { match } : {}) });
    },
    rudeNext(n, how, match) {
      for (let i = 0; i < n; i++) rudeness.push({ how, ...(match !== undefined ? { match } : {}) });
    },
    outage: (ms, plan) => outage.start(ms, plan),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const res of hanging) res.socket?.destroy();
        for (const s of sockets) s.destroy();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
  for (const [pageId, token] of Object.entries(opts.pages ?? {})) api.setToken(pageId, token);
  return api;
}
