import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Outage, type FaultPlan } from './outage.ts';

/**
 * A local stand-in for the Twilio REST API, speaking the Messages wire format (2010-04-01): form bodies in,
 * JSON out, RFC 2822 dates, Basic auth with the Account SID and Auth Token. The real SDK is pointed at it.
 */

export type FormValues = Record<string, string | string[]>;

export interface RecordedRequest {
  method: string;
  path: string;
  query: FormValues;
  form: FormValues;
  headers: IncomingHttpHeaders;
  /** the client's port: requests that share one came over one kept-alive connection */
  remotePort: number;
}

/** A Message resource as Twilio returns it (snake_case, strings where Twilio sends strings). */
export interface MessageResource {
  sid: string;
  account_sid: string;
  api_version: '2010-04-01';
  body: string;
  to: string;
  from: string | null;
  messaging_service_sid: string | null;
  direction: 'outbound-api' | 'inbound';
  status: string;
  num_segments: string;
  num_media: string;
  date_created: string;
  date_updated: string;
  date_sent: string | null;
  error_code: number | null;
  error_message: string | null;
  price: string | null;
  price_unit: string;
  uri: string;
  subresource_uris: { media: string };
}

/** A message as our side sent it: the create request's form fields (first values) and the sid it was given. */
export interface SentMessage {
  sid: string;
  To?: string;
  From?: string;
  MessagingServiceSid?: string;
  Body?: string;
  StatusCallback?: string;
  [field: string]: string | undefined;
}

export interface FakeTwilioApi {
  /** e.g. http://127.0.0.1:40123 — pass as apiBase */
  url: string;
  /** the account and token it insists on when given them at start; otherwise suggestions (any account works) */
  accountSid: string;
  authToken: string;
  /** every request received, in order */
  requests: RecordedRequest[];
  /** every message created, as sent (form fields), in order */
  sent: SentMessage[];
  /** the Message resources a list answers from (created ones, plus any a test seeds); tests may edit them */
  messages: MessageResource[];
  /** answer the next n requests with this status and a Twilio error body */
  failNext(n: number, status: number, code: number, retryAfter?: string): void;
  /**
   * Be rude to the next n message creations, as real networks are: `reset-after-create` takes the message (a list
   * shows it) and drops the connection without answering; `reset-before-create` drops it without taking the
   * message; `answer-late` takes the message and answers only after `lateMs` (past the client's time-out);
   * `hang` takes it and never answers.
   */
  rudeNext(n: number, how: RudeCreate, lateMs?: number): void;
  /**
   * A bad spell at Twilio: for the next `ms` every request (creates and lists) meets the plan's fault instead of
   * what failNext / rudeNext queued. Rudeness on a list drops or holds it (nothing is acted on); on a create it is
   * rudeNext's. Requests are recorded as ever.
   */
  outage(ms: number, plan: FaultPlan<TwilioFault>): void;
  /** when true, created messages stay queued (no date_sent), as behind a busy sender */
  keepQueued: boolean;
  close(): Promise<void>;
}

export type RudeCreate = 'reset-after-create' | 'reset-before-create' | 'answer-late' | 'hang';
/** what one request meets in an outage: an error answer (HTTP status, Twilio code, Retry-After) or rudeness */
export type TwilioFault = { status: number; code: number; retryAfter?: string } | RudeCreate;
const LATE_MS = 20_000;

export const rfc2822 = (d: Date): string => d.toUTCString().replace('GMT', '+0000');

function parseForm(raw: string): FormValues {
  const out: FormValues = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

function segmentsOf(body: string): number {
  const gsmish = /^[\n\r\x20-\x7E]*$/.test(body);
  const [single, part] = gsmish ? [160, 153] : [70, 67];
  return body.length <= single ? 1 : Math.ceil(body.length / part);
}

/**
 * With `accountSid` / `authToken` the fake accepts only those (a wrong token gets 401 / 20003, like Twilio).
 * Without, it serves any account in the path, provided Basic auth names that same account and has a password.
 */
export async function startFakeTwilioApi(
  opts: { accountSid?: string; authToken?: string } = {},
): Promise<FakeTwilioApi> {
  const accountSid = opts.accountSid ?? 'AC' + 'a1'.repeat(16);
  const authToken = opts.authToken ?? 'fake-auth-token-0123456789';
  const requests: RecordedRequest[] = [];
  const sent: SentMessage[] = [];
  const messages: MessageResource[] = [];
  const failures: { status: number; code: number; retryAfter?: string }[] = [];
  const rude: { how: RudeCreate; lateMs: number }[] = [];
  const hanging = new Set<ServerResponse>();
  const outage = new Outage<TwilioFault>();

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void =>
    json(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers);

  const create = (account: string, form: FormValues, res: ServerResponse, rudeness: { how: RudeCreate; lateMs: number } | undefined): void => {
    if (rudeness?.how === 'reset-before-create') {
      res.socket?.destroy();
      return;
    }
    const base = `/2010-04-01/Accounts/${account}`;
    const to = one(form.To);
    const from = one(form.From);
    const service = one(form.MessagingServiceSid);
    const body = one(form.Body);
    if (!to) return error(res, 400, 21604, "A 'To' phone number is required.");
    if (!/^(whatsapp:)?\+[1-9]\d{6,14}$/.test(to)) return error(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!from && !service) return error(res, 400, 21603, "A 'From' phone number is required.");
    if (!body) return error(res, 400, 21602, 'Message body is required.');
    const sid = 'SM' + randomBytes(16).toString('hex');
    const now = rfc2822(new Date());
    const message: MessageResource = {
      sid,
      account_sid: account,
      api_version: '2010-04-01',
      body,
      to,
      // with a Messaging Service Twilio picks the sender later, and the message starts as "accepted"
      from: from ?? null,
      messaging_service_sid: service ?? null,
      direction: 'outbound-api',
      status: service && !from ? 'accepted' : 'queued',
      num_segments: String(segmentsOf(body)),
      num_media: '0',
      date_created: now,
      date_updated: now,
      date_sent: null,
      error_code: null,
      error_message: null,
      price: null,
      price_unit: 'USD',
      uri: `${base}/Messages/${sid}.json`,
      subresource_uris: { media: `${base}/Messages/${sid}/Media.json` },
    };
    if (!rudeness) json(res, 201, message);
    else if (rudeness.how === 'reset-after-create') res.socket?.destroy();
    else if (rudeness.how === 'answer-late') setTimeout(() => !res.destroyed && !res.socket?.destroyed && json(res, 201, message), rudeness.lateMs).unref();
    else hanging.add(res);
    // What a later list shows: the carrier took it at once, unless the test holds the queue.
    const fields: SentMessage = { sid };
    for (const [k, v] of Object.entries(form)) fields[k] = one(v);
    sent.push(fields);
    messages.push(api.keepQueued ? { ...message } : { ...message, status: 'sent', date_sent: now });
  };

  const list = (account: string, query: FormValues, path: string, res: ServerResponse): void => {
    const to = one(query.To);
    const from = one(query.From);
    // DateSent filters are day-granular at Twilio: "DateSent>=YYYY-MM-DD" means on or after midnight (GMT).
    const day = (v: string | undefined): number | undefined => (v ? Date.parse(v.slice(0, 10) + 'T00:00:00Z') : undefined);
    const after = day(one(query['DateSent>']));
    const before = day(one(query['DateSent<']));
    const pageSize = Math.min(Number(one(query.PageSize) ?? 50), 1000);
    const page = Number(one(query.Page) ?? 0);
    const matches = messages
      .filter((m) => m.account_sid === account && (!to || m.to === to) && (!from || m.from === from))
      .filter((m) => after === undefined || (m.date_sent !== null && Date.parse(m.date_sent) >= after))
      .filter((m) => before === undefined || (m.date_sent !== null && Date.parse(m.date_sent) < before + 86_400_000))
      // most recent first; not-yet-sent messages (no date_sent) at the top
      .sort((a, b) => (b.date_sent ? Date.parse(b.date_sent) : Infinity) - (a.date_sent ? Date.parse(a.date_sent) : Infinity));
    const items = matches.slice(page * pageSize, (page + 1) * pageSize);
    const more = (page + 1) * pageSize < matches.length;
    const q = (p: number): string => {
      const u = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (k !== 'Page' && k !== 'PageToken') for (const x of [v].flat()) u.append(k, x);
      u.set('PageSize', String(pageSize));
      u.set('Page', String(p));
      return `${path}?${u}`;
    };
    json(res, 200, {
      messages: items,
      first_page_uri: q(0),
      next_page_uri: more ? q(page + 1) : null,
      previous_page_uri: page > 0 ? q(page - 1) : null,
      page,
      page_size: pageSize,
      start: page * pageSize,
      end: page * pageSize + Math.max(items.length - 1, 0),
      uri: q(page),
    });
  };

  const authorised = (header: string | undefined, account: string | undefined): boolean => {
    const [user, ...rest] = Buffer.from((header ?? '').replace(/^Basic /, ''), 'base64').toString('utf8').split(':');
    const password = rest.join(':');
    if (!header?.startsWith('Basic ') || !password) return false;
    if (opts.accountSid !== undefined && user !== opts.accountSid) return false;
    if (opts.authToken !== undefined && password !== opts.authToken) return false;
    // the account in the path must be the one authenticating (no subaccount tricks here)
    return account === undefined || user === account;
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = parseForm(url.search.slice(1));
    const form = req.method === 'POST' ? parseForm(raw) : {};
    requests.push({ method: req.method ?? '', path: url.pathname, query, form, headers: req.headers, remotePort: req.socket.remotePort ?? 0 });

    const planned = outage.next(`${req.method ?? ''} ${url.pathname}`);
    const failure = planned === undefined ? failures.shift() : typeof planned === 'string' ? undefined : planned;
    if (failure) {
      const extra: Record<string, string> = failure.retryAfter ? { 'Retry-After': failure.retryAfter } : {};
      return error(res, failure.status, failure.code, `simulated failure ${failure.code}`, extra);
    }
    const account = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\.json$/.exec(url.pathname)?.[1];
    if (!authorised(req.headers.authorization, account)) return error(res, 401, 20003, 'Authenticate');
    if (!account) return error(res, 404, 20404, `The requested resource ${url.pathname} was not found`);
    const rudeness = typeof planned === 'string' ? { how: planned, lateMs: LATE_MS } : undefined;
    if (req.method === 'POST') return create(account, form, res, rudeness ?? (planned === undefined ? rude.shift() : undefined));
    if (req.method === 'GET' && rudeness) {
      if (rudeness.how === 'hang') return void hanging.add(res);
      if (rudeness.how === 'answer-late') return void setTimeout(() => !res.destroyed && list(account, query, url.pathname, res), LATE_MS).unref();
      return void res.socket?.destroy();
    }
    if (req.method === 'GET') return list(account, query, url.pathname, res);
    return error(res, 405, 20004, 'Method not allowed');
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const api: FakeTwilioApi = {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    requests,
    sent,
    messages,
    keepQueued: false,
    failNext(n, status, code, retryAfter) {
      for (let i = 0; i < n; i++) failures.push({ status, code, ...(retryAfter ? { retryAfter } : {}) });
    },
    rudeNext(n, how, lateMs = LATE_MS) {
      for (let i = 0; i < n; i++) rude.push({ how, lateMs });
    },
    outage: (ms, plan) => outage.start(ms, plan),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const res of hanging) res.socket?.destroy();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
  return api;
}
