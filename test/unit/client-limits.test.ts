import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerClientAddress } from '../../src/http/client-address.ts';
import { limitKey, limitPublicClients } from '../../src/http/client-limits.ts';

// a client on the internet, as the socket shows it (inject's default is loopback, which looks like a proxy)
const PUBLIC_PEER = '8.8.4.4';

async function server(behindProxy: boolean, clock: { ms: number }) {
  const s = Fastify();
  registerClientAddress(s, behindProxy);
  limitPublicClients(s, { requestsPerMinute: 3, refusalsPerMinute: 2 }, { behindProxy, now: () => clock.ms });
  s.post('/webhooks/x', async (request, reply) => (request.headers['x-sig'] === 'ok' ? { ok: true } : reply.status(401).send({ error: 'unsigned' })));
  s.get('/chat', async (request) => ({ client: request.clientAddress }));
  return s;
}

describe('client address and per-client limits', () => {
  it('without a proxy, X-Forwarded-For is ignored: a client cannot pick the address it is counted as', async () => {
    const s = await server(false, { ms: 0 });
    const said = [];
    for (let i = 0; i < 4; i++) said.push((await s.inject({ method: 'POST', url: '/webhooks/x', remoteAddress: PUBLIC_PEER, headers: { 'x-sig': 'ok', 'x-forwarded-for': `10.0.0.${i}` } })).statusCode);
    expect(said).toEqual([200, 200, 200, 429]);
    expect((await s.inject({ method: 'GET', url: '/chat', remoteAddress: PUBLIC_PEER, headers: { 'x-forwarded-for': '10.9.9.9' } })).json()).toEqual({ client: PUBLIC_PEER });
  });

  it('a URL written another way is the same route, and is counted: percent-encoded, absolute form', async () => {
    const s = await server(false, { ms: 0 });
    const urls = ['/webhooks/x', '/%77ebhooks/x', '/w%65bhooks/x', 'http://bridge.example/webhooks/x'];
    const said = [];
    for (const url of urls) said.push((await s.inject({ method: 'POST', url, remoteAddress: PUBLIC_PEER, headers: { 'x-sig': 'ok' } })).statusCode);
    expect(said).toEqual([200, 200, 200, 429]);
  });

  it('behind a proxy the last forwarded address is the client; a new minute starts the count again', async () => {
    const clock = { ms: 0 };
    const s = await server(true, clock);
    const as = (addr: string, sig = 'ok') => s.inject({ method: 'POST', url: '/webhooks/x', headers: { 'x-sig': sig, 'x-forwarded-for': addr } });
    expect([(await as('1.1.1.1, 10.0.0.1')).statusCode, (await as('10.0.0.1')).statusCode, (await as('10.0.0.1:53122')).statusCode]).toEqual([200, 200, 200]);
    const over = await as('10.0.0.1');
    expect(over.statusCode).toBe(429);
    expect(over.headers['retry-after']).toBe('60');
    expect((await as('10.0.0.2')).statusCode).toBe(200);
    clock.ms += 45_000;
    expect((await as('10.0.0.1')).headers['retry-after']).toBe('15');
    clock.ms += 15_000;
    expect((await as('10.0.0.1')).statusCode).toBe(200);
  });

  it('an IPv6 client is counted by its /64: new addresses from one block share one budget', async () => {
    const s = await server(true, { ms: 0 });
    const said = [];
    for (const a of ['2405:201:1000:abcd::1', '2405:201:1000:abcd::2', '[2405:201:1000:abcd:ffff::9]:443', '2405:201:1000:abcd:1:2:3:4']) said.push((await s.inject({ method: 'POST', url: '/webhooks/x', headers: { 'x-sig': 'ok', 'x-forwarded-for': a } })).statusCode);
    expect(said).toEqual([200, 200, 200, 429]);
    expect(limitKey('2405:201:1000:abcd::1')).toBe('2405:201:1000:abcd::/64');
    expect(limitKey('2405:201::1')).toBe('2405:201:0:0::/64');
    expect(limitKey('::ffff:49.36.1.2')).toBe('49.36.1.2');
  });

  it('a proxy the bridge was not told about: no limit at all, rather than every provider sharing the proxy', async () => {
    const s = await server(false, { ms: 0 });
    const said = [];
    for (let i = 0; i < 6; i++) said.push((await s.inject({ method: 'POST', url: '/webhooks/x', remoteAddress: '10.1.0.5', headers: { 'x-sig': i % 2 ? 'ok' : 'bad', 'x-forwarded-for': `49.36.0.${i}` } })).statusCode);
    expect(said).toEqual([401, 200, 401, 200, 401, 200]);
  });

  it('refusals count apart from requests: two unsigned requests and the third, signed or not, is refused', async () => {
    const s = await server(true, { ms: 0 });
    const as = (sig: string) => s.inject({ method: 'POST', url: '/webhooks/x', headers: { 'x-sig': sig, 'x-forwarded-for': '10.1.1.1' } });
    expect([(await as('bad')).statusCode, (await as('bad')).statusCode, (await as('ok')).statusCode]).toEqual([401, 401, 429]);
    // routes outside /webhooks/ are never limited here
    for (let i = 0; i < 10; i++) expect((await s.inject({ method: 'GET', url: '/chat', headers: { 'x-forwarded-for': '10.1.1.1' } })).statusCode).toBe(200);
  });
});
