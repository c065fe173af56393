import http from 'node:http';
import https from 'node:https';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
// the response type is a CommonJS default export: seen from ESM it sits under .default
import type * as ResponseModule from 'twilio/lib/http/response.js';
import { trimBase } from './config.ts';

export type ResponseHeaders = Record<string, unknown>;

/** where one SDK call's response headers are kept */
export interface HeaderSlot {
  headers?: ResponseHeaders;
}

type Scalar = string | number | boolean;
type Answer = { statusCode: number; body: string; headers: ResponseHeaders };

// one pool per scheme, reused by every send: a reply is one request on a warm connection, not a handshake. A
// connection idle this long is closed by us, before the far end closes it under a request (a reset, whose send
// would have to be looked up before it is tried again)
const IDLE_MS = 10_000;
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64, timeout: IDLE_MS }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64, timeout: IDLE_MS }),
};

/**
 * The HTTP client the Twilio SDK is given (`twilio(sid, token, { httpClient })`). The SDK builds each request (URL,
 * auth, form fields, headers) and reads each answer (JSON, RestException) as always; this carries it:
 * - apiBase: every request is sent there instead of https://api.twilio.com (or a regional host picked by
 *   TWILIO_REGION/TWILIO_EDGE), so tests and staging point the real SDK at a local server. Nothing leaks out.
 * - the wire: node's http with a keep-alive pool. The SDK's own client goes through axios, which cost a reply about
 *   as much CPU as the bot turn that wrote it (config merging, interceptors, its stream adapter). A request the lean
 *   path cannot carry as the SDK would (a proxy from HTTP_PROXY, TWILIO_CA_BUNDLE, OAuth, a JSON or nested body) goes
 *   the SDK's own way.
 * - the response headers of a call are kept in its slot: the SDK's RestException drops them, and Retry-After
 *   lives there. The SDK reaches request() synchronously from the call that starts it (create, or a list's first
 *   page), so the slot is the one `starting` holds at that moment. (AsyncLocalStorage did this before; in Node 20
 *   it puts hooks on every promise of the process, which slowed each bot turn.)
 */
export class BridgeRequestClient extends twilio.RequestClient {
  /** the slot of the SDK call being started now, set around that synchronous start only */
  starting?: HeaderSlot;

  constructor(
    private readonly apiBase: string | undefined,
    timeoutMs: number,
  ) {
    // a send hanging longer than this is retried, as of unknown outcome: the next attempt looks it up first
    // (the SDK keeps it as defaultTimeout, which both ways of sending use)
    super({ timeout: timeoutMs });
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<ResponseModule.default<TData>> {
    // read before the first await: after it, another call may be starting
    const slot = this.starting;
    const uri = this.apiBase ? rebase(opts.uri, this.apiBase) : opts.uri;
    const lean = leanRequest({ ...opts, uri });
    const res = lean ? await send(lean, opts.timeout || this.defaultTimeout) : await super.request({ ...opts, uri });
    if (slot) slot.headers = (res.headers ?? {}) as ResponseHeaders;
    return res as ResponseModule.default<TData>;
  }
}

function rebase(uri: string, apiBase: string): string {
  const u = new URL(uri);
  return trimBase(apiBase) + u.pathname + u.search;
}

interface LeanRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** The request as the SDK's client would put it on the wire, or undefined when only that client can. */
function leanRequest(opts: RequestClient.RequestOptions<unknown>): LeanRequest | undefined {
  if (process.env.HTTP_PROXY || process.env.TWILIO_CA_BUNDLE || opts.authStrategy) return undefined;
  const url = new URL(opts.uri);
  if (!(url.protocol in agents)) return undefined;
  const headers: Record<string, string> = { ...(opts.headers as Record<string, string> | undefined) };
  if (!headers.Connection && !headers.connection) headers.Connection = 'keep-alive';
  if (opts.username && opts.password) headers.Authorization = 'Basic ' + Buffer.from(`${opts.username}:${opts.password}`).toString('base64');
  if (opts.params) {
    const query = formOf(opts.params);
    if (query === undefined) return undefined;
    if (query) url.search += (url.search ? '&' : '') + query;
  }
  let body: string | undefined;
  if (opts.data) {
    if (headers['Content-Type'] !== 'application/x-www-form-urlencoded') return undefined;
    body = formOf(opts.data);
    if (body === undefined) return undefined;
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }
  return { url, method: opts.method.toUpperCase(), headers, body };
}

/**
 * Form fields as the SDK encodes them (qs, arrayFormat "repeat": a list is the key repeated, an absent value is
 * left out); undefined for anything nested, which goes the SDK's own way.
 */
function formOf(fields: object): string | undefined {
  const parts: string[] = [];
  const add = (key: string, value: unknown): boolean => {
    if (value === undefined) return true;
    if (value === null) value = '';
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return false;
    parts.push(`${encodeURIComponent(wellFormed(key))}=${encodeURIComponent(wellFormed(String(value as Scalar)))}`);
    return true;
  };
  for (const [key, value] of Object.entries(fields)) {
    const ok = Array.isArray(value) ? value.every((v) => add(key, v)) : add(key, value);
    if (!ok) return undefined;
  }
  return parts.join('&');
}

// a lone surrogate (half an emoji cut off) makes encodeURIComponent throw; qs writes U+FFFD for it, and so do we
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;
const wellFormed = (text: string): string => text.replace(LONE_SURROGATE, '\uFFFD');

/**
 * One request; the answer whatever its status (the SDK decides what a 4xx or 5xx means). An answer that does not
 * come whole within `timeoutMs` fails with ETIMEDOUT: the request may have reached Twilio, so its outcome is unknown.
 */
function send(req: LeanRequest, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const out = (req.url.protocol === 'https:' ? https : http).request(req.url, { method: req.method, headers: req.headers, agent: agents[req.url.protocol as keyof typeof agents] });
    const timer = setTimeout(() => out.destroy(Object.assign(new Error(`no answer from Twilio within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    out.on('error', fail);
    out.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', fail);
      res.on('aborted', () => fail(Object.assign(new Error('Twilio closed the connection mid-answer'), { code: 'ECONNRESET' })));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers });
      });
    });
    out.end(req.body);
  });
}
