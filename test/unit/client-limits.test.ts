import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerClientAddress } from '../../src/http/client-address.ts';
import { limitPublicClients } from '../../src/http/client-limits.ts';

async function server(behindProxy: boolean, clock: { ms: number }) {
  const s = Fastify();
  registerClientAddress(s, behindProxy);
  limitPublicClients(s, { requestsPerMinute: 3, refusalsPerMinute: 2 }, () => clock.ms);
  s.post('/webhooks/x', async (request, reply) => (request.headers['x-sig'] === 'ok' ? { ok: true } : reply.status(401).send({ error: 'unsigned' })));
  s.get('/chat', async (request) => ({ client: request.clientAddress }));
  return s;
}

describe('client address and per-client limits', () => {
  it('without a proxy, X-Forwarded-For is ignored: a client cannot pick the address it is counted as', async () => {
    const clock = { ms: 0 };
    const s = await server(false, clock);
    const said = [];
    for (let i = 0; i < 4; i++) said.push((await s.inject({ method: 'POST', url: '/webhooks/x', headers: { 'x-sig': 'ok', 'x-forwarded-for': `10.0.0.${i}` } })).statusCode);
    expect(said).toEqual([200, 200, 200, 429]);
    expect((await s.inject({ method: 'GET', url: '/chat', headers: { 'x-forwarded-for': '10.9.9.9' } })).json()).toEqual({ client: '127.0.0.1' });
  });

  it('behind a proxy the last forwarded address is the client; a new minute starts the count again', async () => {
    const clock = { ms: 0 };
    const s = await server(true, clock);
    const as = (addr: string, sig = 'ok') => s.inject({ method: 'POST', url: '/webhooks/x', headers: { 'x-sig': sig, 'x-forwarded-for': addr } });
    expect([(await as('1.1.1.1, 10.0.0.1')).statusCode, (await as('10.0.0.1')).statusCode, (await as('10.0.0.1')).statusCode]).toEqual([200, 200, 200]);
    const over = await as('10.0.0.1');
    expect(over.statusCode).toBe(429);
    expect(over.headers['retry-after']).toBe('60');
    expect((await as('10.0.0.2')).statusCode).toBe(200);
    clock.ms += 45_000;
    expect((await as('10.0.0.1')).headers['retry-after']).toBe('15');
    clock.ms += 15_000;
    expect((await as('10.0.0.1')).statusCode).toBe(200);
  });

  it('refusals count apart from requests: two unsigned requests and the third, signed or not, is refused', async () => {
    const clock = { ms: 0 };
    const s = await server(true, clock);
    const as = (sig: string) => s.inject({ method: 'POST', url: '/webhooks/x', headers: { 'x-sig': sig, 'x-forwarded-for': '10.1.1.1' } });
    expect([(await as('bad')).statusCode, (await as('bad')).statusCode, (await as('ok')).statusCode]).toEqual([401, 401, 429]);
    // routes outside /webhooks/ are never limited here
    for (let i = 0; i < 10; i++) expect((await s.inject({ method: 'GET', url: '/chat', headers: { 'x-forwarded-for': '10.1.1.1' } })).statusCode).toBe(200);
  });
});
