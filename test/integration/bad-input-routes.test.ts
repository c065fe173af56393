import { request } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/http/logger.ts';
import { badCases, ODD_TEXTS, type BadCase, type OddText } from '../fixtures/bad/cases.ts';
import { addStaff, addToken, getPage, signIn, type Session } from '../support/admin-staff.ts';
import { FORGED_KEY, listRoutes, SIGNERS, startAllRoutesBridge, type AllRoutesBridge, type Route } from '../support/all-routes-bridge.ts';
import { post, SIGNED_SENDERS } from '../support/signed-deliveries.ts';
import { until } from '../support/wait.ts';
import { DirectLineClient } from '../support/webchat-bridge.ts';

// Issue 16 §3: bad input against every route of the running bridge. Each must get a clear 4xx or a handled
// message: never a 5xx, a crash or a hang. The routes are read from the server (GET static assets aside), so a
// route added later is swept too. Routes that take a body (POST, PUT, PATCH) get every bad body; GET routes get
// the odd texts in their path and query. DELETE takes no body and is left out.
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const STATIC_ASSETS = /^\/(chat|admin)\/assets\//;
const BOUND_MS = 10_000;
const SENDERS = 8;
// 10 MB bodies cost a second each on a busy machine: each goes to one route of every kind of body parsing (the
// server's parsers, the signed-webhook scope, the intake scope) and the multipart one to the upload, one at a time
const HUGE_ROUTES = ['/webhooks/sms/twilio', '/webhooks/facebook', '/webhooks/api/callcentre'];
// a forged signature is refused before the body is read, whatever it is: a few bodies show it
const FORGED_CASES = new Set(['json/truncated', 'form/malformed', 'json/1mb', 'json/nested-10k-arrays', 'json/script', 'text/invalid-utf8']);

type Outcome = { status: number | 'timeout' | 'error'; ms: number; type?: string; text?: string; error?: string };

/**
 * One request (node:http: the sweep's thousands cost a fraction of what fetch's would): its status and answer, or
 * how it failed, and how long it took; a hang counts as 'timeout' after BOUND_MS. A kept-alive socket the server
 * closed meanwhile (it may, after refusing a body it did not read) is tried once more on a new one, as Node's
 * documentation says a client should.
 */
function send(url: string, method: string, headers: Record<string, string>, body?: Buffer, fresh = false): Promise<Outcome> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const settle = (o: Omit<Outcome, 'ms'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...o, ms: Date.now() - t0 });
    };
    const req = request(url, { method, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) }, ...(fresh ? { agent: false } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.once('end', () => settle({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (err) => settle({ status: res.statusCode ?? 'error', error: err.message }));
    });
    const timer = setTimeout(() => {
      settle({ status: 'timeout' });
      req.destroy();
    }, BOUND_MS);
    req.on('error', (err) => {
      if (req.reusedSocket && !fresh && !settled) {
        settled = true;
        clearTimeout(timer);
        void send(url, method, headers, body, true).then((o) => resolve({ ...o, ms: Date.now() - t0 }));
      } else setTimeout(() => settle({ status: 'error', error: err.message }), 50); // an answer may still be on its way
    });
    req.end(body);
  });
}

/** runs `jobs` on `senders` at once; the label and outcome of each that was a 5xx, no answer or too slow */
async function sweep<J>(jobs: J[], senders: number, run: (j: J) => Promise<[string, Outcome]>, ok: (label: string, o: Outcome) => boolean): Promise<string[]> {
  const problems: string[] = [];
  const queue = [...jobs];
  await Promise.all(
    Array.from({ length: senders }, async () => {
      for (let j = queue.shift(); j !== undefined; j = queue.shift()) {
        const [label, o] = await run(j);
        if (typeof o.status !== 'number' || o.status >= 500 || o.ms > BOUND_MS || !ok(label, o)) problems.push(`${label}: ${o.status} in ${o.ms} ms ${o.error ?? ''}`);
      }
    }),
  );
  return problems;
}

describe('bad input on every route (the whole bridge, every channel with routes on)', () => {
  let b: AllRoutesBridge;
  let routes: Route[];
  let adminToken: string;
  let admin: Session;
  let chat: DirectLineClient;
  let archivedAtStart: number;
  const errors: string[] = [];
  const cases = badCases();
  const archived = async () => Object.values((await b.app.store.stats()).inbound).reduce((x, y) => x + y, 0);

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n')) if (/"level":(5|6)\d/.test(line)) errors.push(line.slice(0, 500));
        done();
      },
    });
    b = await startAllRoutesBridge({ logger: createLogger('warn', sink) });
    routes = listRoutes(b.app.server);
    await addStaff(b.app.store, [{ id: 'asha', name: 'आशा कुलकर्णी', role: 'admin' }]);
    adminToken = (await addToken(b.app.store, 'asha')).secret;
    admin = await signIn(b.app.url, 'asha');
    chat = new DirectLineClient(b.app.url);
    await chat.start();
    archivedAtStart = await archived();
  });
  afterAll(async () => {
    await b?.stopAll();
  });

  /** the route's path with its parameters filled in: the open chat's conversation, else a plausible value or `other` */
  function pathOf(url: string, other?: string): string {
    return url.replace(/:(\w+)/g, (_all, name: string) => {
      if (url.startsWith('/v3/directline/') && name === 'id') return chat.conversationId;
      return other ?? ({ format: 'json', resource: 'mappings', kind: 'inbound', ticketNo: 'PMC10001', no: 'PMC10001', hex: '0'.repeat(64) } as Record<string, string>)[name] ?? '1';
    });
  }

  /** who the request comes from: signed in where the route wants it, so the body reaches the handler */
  function authOf(url: string): Record<string, string> {
    if (url.startsWith('/admin/api/')) return { authorization: `Bearer ${adminToken}` };
    // (signing out would end the session every other admin request uses)
    if (url.startsWith('/admin/') && url !== '/admin/logout') return { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
    if (url.startsWith('/v3/directline/') || url === '/api/messages') return { authorization: `Bearer ${chat.token}` };
    return {};
  }

  type Job = { route: Route; c: BadCase; signing: 'as is' | 'signed' | 'forged' };
  const jobsFor = (route: Route, c: BadCase): Job[] =>
    !SIGNERS[route.url] ? [{ route, c, signing: 'as is' }] : [{ route, c, signing: 'signed' }, ...(FORGED_CASES.has(c.name) ? [{ route, c, signing: 'forged' as const }] : [])];
  const runJob = async (j: Job): Promise<[string, Outcome]> => {
    const sign = SIGNERS[j.route.url];
    const headers = {
      ...authOf(j.route.url),
      ...(j.c.contentType ? { 'content-type': j.c.contentType } : {}),
      ...(sign ? sign(j.c.body, j.signing === 'forged' ? FORGED_KEY : undefined) : {}),
    };
    return [`${j.route.method} ${j.route.url} ${j.c.name} (${j.signing})`, await send(`${b.app.url}${pathOf(j.route.url)}`, j.route.method, headers, j.c.body, j.c.huge)];
  };
  // a forged signature is refused: 403, or the 4xx of the body parser that runs before it (the SMS routes')
  const forgedRefused = (label: string, o: Outcome) => !label.endsWith('(forged)') || (typeof o.status === 'number' && o.status >= 400 && o.status < 500);

  it('reads the routes of every channel from the running server', () => {
    const seen = new Set(routes.map((r) => `${r.method} ${r.url}`));
    for (const path of Object.keys(SIGNERS)) expect(seen, path).toContain(`POST ${path}`);
    for (const r of ['POST /open311/v2/requests.:format', 'POST /chat/session', 'POST /v3/directline/conversations/:id/upload', 'POST /api/messages', 'POST /admin/login', 'PATCH /admin/api/tickets/:ticketNo', 'POST /admin/tickets/:no/status'])
      expect(seen, r).toContain(r);
    expect(routes.filter((r) => BODY_METHODS.has(r.method)).length).toBeGreaterThanOrEqual(40);
  });

  it('answers every bad body on every route with a 4xx or a handled message, in time', async () => {
    const bodyRoutes = routes.filter((r) => BODY_METHODS.has(r.method));
    const jobs = bodyRoutes.flatMap((route) => cases.filter((c) => !c.huge).flatMap((c) => jobsFor(route, c)));
    expect(jobs.length).toBeGreaterThan(1500);
    expect(await sweep(jobs, SENDERS, runJob, forgedRefused)).toEqual([]);
  }, 120_000);

  it('refuses a 10 MB body of every content type with a 4xx, in time', async () => {
    const jobs = cases.filter((c) => c.huge).flatMap((c) => {
      const urls = c.name.startsWith('multipart/') ? [...HUGE_ROUTES, '/v3/directline/conversations/:id/upload'] : HUGE_ROUTES;
      return urls.flatMap((url) => jobsFor({ method: 'POST', url }, c)).filter((j) => j.signing !== 'forged');
    });
    expect(jobs.length).toBeGreaterThanOrEqual(19);
    expect(await sweep(jobs, 1, runJob, (_l, o) => o.status === 413 || o.status === 415 || o.status === 408)).toEqual([]);
  }, 120_000);

  it('answers odd text in the path and the query of every GET route with a 4xx or a page', async () => {
    const odd = ['%ZZ', '%C0%AF', encodeURIComponent(ODD_TEXTS.bidi), encodeURIComponent('<script>alert(1)</script>'), encodeURIComponent('🙏'.repeat(300)), encodeURIComponent('क\u093c'.repeat(300))];
    const jobs = routes.filter((r) => r.method === 'GET' && !STATIC_ASSETS.test(r.url)).flatMap((route) => odd.map((o) => ({ route, o })));
    const run = async ({ route, o }: { route: Route; o: string }): Promise<[string, Outcome]> => {
      const path = route.url.includes(':') ? pathOf(route.url, o) : route.url;
      return [`GET ${route.url} with ${o.slice(0, 30)}`, await send(`${b.app.url}${path}?q=${o}&watermark=${o}&status=${o}`, 'GET', authOf(route.url))];
    };
    // no page gives the text back as markup (a JSON answer naming the id it did not find is no page: it goes with
    // nosniff), and no refusal quotes a URL it could not decode (a search box may show what was typed, escaped)
    const echoes = (_label: string, o: Outcome) =>
      !(o.type?.startsWith('text/html') && o.text?.includes('<script>alert(1)')) && !(typeof o.status === 'number' && o.status >= 400 && /%ZZ|%C0%AF/i.test(o.text ?? ''));
    expect(await sweep(jobs, SENDERS, run, echoes)).toEqual([]);
  }, 60_000);

  it('is up after the sweeps, archived nothing of it, and logged no error', async () => {
    expect((await fetch(`${b.app.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${b.app.url}/readyz`)).status).toBe(200);
    expect(await archived()).toBe(archivedAtStart);
    expect(errors).toEqual([]);
  });

  // what a provider may well sign: each a handled message, or refused by the route's documented limit
  const REFUSED: Record<string, number> = {
    'sms emoji': 413, // 10,000 emoji are 120 KB of form: over the server's 64 KB (Twilio sends at most 1,600 characters)
    'call centre emoji': 422, // 20,000 UTF-16 units: over the intake envelope's 10,000 characters of text
    'intake api emoji': 422,
    'open311 emoji': 400, // Open311's description, held to the same 10,000
  };
  let serial = 0;
  it.each(Object.keys(SIGNED_SENDERS))('takes odd text signed for %s as a handled message, and its replay as the same one', async (name) => {
    const store = b.app.store;
    for (const what of Object.keys(ODD_TEXTS) as OddText[]) {
      const d = SIGNED_SENDERS[name]!(++serial, ODD_TEXTS[what]);
      const first = await post(b.app.url, d);
      const refused = REFUSED[`${name} ${what}`];
      if (refused) {
        expect(first.status, `${what}: ${first.text.slice(0, 200)}`).toBe(refused);
        expect(await store.getInboundBySource(d.source), what).toBeUndefined();
        continue;
      }
      expect(first.status, `${what}: ${first.text.slice(0, 200)}`).toBeGreaterThanOrEqual(200);
      expect(first.status, `${what}: ${first.text.slice(0, 200)}`).toBeLessThan(300);
      const row = await until(`${name} ${what} processed`, async () => {
        const r = await store.getInboundBySource(d.source);
        return r && r.state !== 'pending' ? r : undefined;
      });
      expect(row.state, what).toBe('done');
      expect(row.message.text, what).toContain('कचरा');
      const [inbound, tickets] = [await archived(), (await store.listTickets({ limit: 10_000 })).length];
      const replay = await post(b.app.url, d);
      expect(replay.status, `${what} replayed: ${replay.text.slice(0, 200)}`).toBeLessThan(300);
      expect(await archived(), `${what} replayed`).toBe(inbound);
      expect((await store.listTickets({ limit: 10_000 })).length, `${what} replayed`).toBe(tickets);
    }
    expect((await store.stats()).inbound.dead).toBe(0);
  });

  it('shows a citizen’s script as text on the ticket and queue pages, to an officer and a supervisor', async () => {
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const d = SIGNED_SENDERS['call centre']!(9000, `कोथरूडमध्ये कचरा उचलला नाही ${evil} हमारी गली में कचरा पड़ा है`);
    const res = await post(b.app.url, d);
    expect(res.status, res.text).toBe(202);
    const ticket = await until('the ticket', () => b.app.store.findTicketBySource(d.source));
    expect(ticket.description.original).toContain(evil);
    expect(ticket.ward).toBe('kothrud-bavdhan');
    await addStaff(b.app.store, [
      { id: 'ganesh', name: 'गणेश जोशी', role: 'officer', wards: ['kothrud-bavdhan'] },
      { id: 'ravi', name: 'रवी देशमुख', role: 'supervisor' },
    ]);
    const escaped = '&#60;script&#62;alert(1)&#60;/script&#62;&#60;img src=x onerror=alert(2)&#62;';
    for (const who of ['ganesh', 'ravi']) {
      const session = await signIn(b.app.url, who);
      const page = await getPage(b.app.url, `/admin/tickets/${ticket.ticketNo}`, session);
      expect(page.status, who).toBe(200);
      const html = await page.text();
      expect(html, who).toContain(`कोथरूडमध्ये कचरा उचलला नाही ${escaped} हमारी गली में कचरा पड़ा है`);
      expect(html, who).not.toMatch(/<script|<img|onerror=alert\(2\)>/i);
      // the queue, searched for the script itself: the ticket listed, the search shown back as text
      const queue = await getPage(b.app.url, `/admin/tickets?q=${encodeURIComponent(evil)}`, session);
      expect(queue.status, who).toBe(200);
      const list = await queue.text();
      expect(list, who).toContain(`href="/admin/tickets/${ticket.ticketNo}"`);
      expect(list, who).toContain(`value="${escaped}"`);
      expect(list, who).not.toMatch(/<script|<img/i);
    }
  });
});
