import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Channel } from '../model/index.ts';
import type { DeadLetter, Store } from '../store/store.ts';
import { AdminError } from './admin-error.ts';
import type { Caller } from './admin-service.ts';
import { mustRead, mustWrite } from './permissions.ts';

export interface DeadLetterRouteDeps {
  store: Store;
  caller: (request: FastifyRequest) => Caller;
  /** a dead letter retried: picked up now instead of at the next sweep */
  retried?: () => void;
  now: () => Date;
}

const KINDS = ['inbound', 'outbound'] as const;
type Kind = (typeof KINDS)[number];
const MAX_PAGE = 500;

const int = (v: string | undefined) => (v !== undefined && /^\d{1,7}$/.test(v) ? Number(v) : undefined);

/** the channel of a dead letter: both stores begin its summary with it (`sms/+9120…/SM…`, `email → ack PMC10001`) */
function channelOf(d: DeadLetter): Channel | undefined {
  const parsed = Channel.safeParse(/^([a-z]+)(?:\/| → )/u.exec(d.summary)?.[1]);
  return parsed.success ? parsed.data : undefined;
}

function kindParam(v: string | undefined): Kind | undefined {
  if (v === undefined) return undefined;
  const kind = KINDS.find((k) => k === v);
  if (!kind) throw new AdminError(400, `kind: one of ${KINDS.join(', ')}`, [{ field: 'kind', message: 'unknown kind' }]);
  return kind;
}

function channelParam(v: string | undefined): Channel | undefined {
  if (v === undefined) return undefined;
  const parsed = Channel.safeParse(v);
  if (!parsed.success) throw new AdminError(400, `channel: one of ${Channel.options.join(', ')}`, [{ field: 'channel', message: 'unknown channel' }]);
  return parsed.data;
}

/** a dead letter named in the address, or 404 */
function refOf(request: FastifyRequest): { kind: Kind; id: number } {
  const { kind, id } = request.params as { kind: string; id: string };
  const k = KINDS.find((x) => x === kind);
  const n = int(id);
  if (!k || n === undefined) throw new AdminError(404, `no dead letter ${kind}/${id}`);
  return { kind: k, id: n };
}

/**
 * /admin/api/dead-letters: the list (newest first, paged, by kind and channel), one with what it carried, and a
 * retry. Registered inside the admin API's scope, so its sign-in, CSRF and error handling apply.
 */
export function registerDeadLetterRoutes(api: FastifyInstance, deps: DeadLetterRouteDeps): void {
  const { store, caller } = deps;
  api.get('/dead-letters', async (request) => {
    mustRead(caller(request).role, 'dead-letters');
    const q = request.query as Record<string, string | undefined>;
    const kind = kindParam(q.kind);
    const channel = channelParam(q.channel);
    const all = (await store.listDeadLetters()).map((d) => ({ ...d, channel: channelOf(d) })).filter((d) => (!kind || d.kind === kind) && (!channel || d.channel === channel));
    const offset = int(q.offset) ?? 0;
    const limit = Math.min(MAX_PAGE, Math.max(1, int(q.limit) ?? 100));
    return { items: all.slice(offset, offset + limit), total: all.length, offset, limit };
  });

  api.get('/dead-letters/:kind/:id', async (request) => {
    mustRead(caller(request).role, 'dead-letters');
    const { kind, id } = refOf(request);
    const dead = (await store.listDeadLetters()).find((d) => d.kind === kind && d.id === id);
    if (!dead) throw new AdminError(404, `no dead letter ${kind}/${id} (already retried or delivered?)`);
    const item = { ...dead, channel: channelOf(dead) };
    if (kind === 'outbound') {
      const entry = await store.getOutbox(id);
      return { item, ...(entry ? { message: entry.message } : {}) };
    }
    const archived = await store.getInbound(id);
    if (!archived) return { item };
    // the provider's own payload and headers stay in the archive: what the citizen sent is what staff need
    const { raw: _raw, headers: _headers, ...message } = archived.message;
    return { item, message };
  });

  api.post('/dead-letters/:kind/:id/retry', async (request, reply: FastifyReply) => {
    const c = caller(request);
    mustWrite(c.role, 'dead-letters');
    const { kind, id } = refOf(request);
    const ok = kind === 'inbound' ? await store.retryInbound(id) : await store.retryOutbox(id);
    if (!ok) throw new AdminError(404, `no dead letter ${kind}/${id} (already retried or delivered?)`);
    await store.admin.appendAudit({ actor: c.ref, action: 'retry', kind: 'dead-letter', recordId: `${kind}/${id}` }, deps.now());
    deps.retried?.();
    return reply.status(202).send({ retried: `${kind}/${id}` });
  });
}
