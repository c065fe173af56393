import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ChannelStatus } from '../connectors/connector.ts';
import { TicketStatus } from '../model/index.ts';
import type { AccountHealth } from '../pipeline/channel-health.ts';
import type { Store } from '../store/store.ts';
import { AdminError } from './admin-error.ts';
import { registerCampaignRoutes } from './campaign-routes.ts';
import { registerDeadLetterRoutes } from './dead-letter-routes.ts';
import type { CampaignService } from '../notify/campaign-service.ts';
import type { AdminService } from './admin-service.ts';
import type { Actor } from './auth/authenticate.ts';
import { callerOf, requireActor } from './caller-of.ts';
import { adminOpenApi } from './openapi.ts';
import { mustRead } from './permissions.ts';
import { resourceByPath } from './resources.ts';
import type { TicketService } from './ticket-service.ts';

export interface AdminApiDeps {
  store: Store;
  service: AdminService;
  tickets: TicketService;
  channels: () => readonly ChannelStatus[];
  health: () => readonly AccountHealth[];
  /** a dead letter retried: picked up now instead of at the next sweep */
  retried?: () => void;
  /** awareness campaigns (absent: no campaign routes) */
  campaigns?: CampaignService;
  now?: () => Date;
}

type Query = Record<string, string | undefined>;

const int = (v: string | undefined) => (v !== undefined && /^\d{1,7}$/.test(v) ? Number(v) : undefined);

function body(request: FastifyRequest): Record<string, unknown> {
  const b = request.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new AdminError(400, 'the body must be a JSON object');
  const { _csrf: _c, ...rest } = b as Record<string, unknown>;
  return rest;
}

/** If-Match: "3" (or 3) is the version the editor read; an edit on an older copy is 409 */
function ifMatch(request: FastifyRequest): number | undefined {
  const h = request.headers['if-match'];
  const v = typeof h === 'string' ? h.replace(/^W\//, '').replace(/"/g, '') : undefined;
  return int(v);
}

/** JSON for staff and machines at /admin/api, described by /admin/api/openapi.json. */
export function registerAdminApi(server: FastifyInstance, deps: AdminApiDeps): void {
  const now = () => deps.now?.() ?? new Date();
  const admin = deps.store.admin;

  void server.register(async (api) => {
    // answers carry citizens' names and numbers and a session's CSRF token: no cache keeps them, no page frames them
    api.addHook('onSend', async (_request, reply, payload) => {
      void reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').header('x-frame-options', 'DENY');
      return payload;
    });
    api.setNotFoundHandler((request, reply) => reply.status(404).send({ error: `no such address: ${request.method} ${request.url.split('?')[0]!.slice(0, 200)}` }));
    api.setErrorHandler((err, _request, reply) => {
      if (err instanceof AdminError) return reply.status(err.status).send({ error: err.message, ...(err.problems.length ? { problems: err.problems } : {}) });
      const status = (err as { statusCode?: number }).statusCode;
      if (status && status >= 400 && status < 500) return reply.status(status).send({ error: status === 413 ? 'the body is too large' : 'the request is not valid' });
      api.log.error({ err }, 'admin API failed');
      return reply.status(500).send({ error: 'internal error; the log says more' });
    });
    api.get('/openapi.json', async () => adminOpenApi());

    const actors = new WeakMap<FastifyRequest, Actor>();
    api.addHook('preHandler', async (request, reply) => {
      if (request.routeOptions.url?.endsWith('/openapi.json')) return;
      const actor = await requireActor(admin, request, reply, now());
      if (actor) actors.set(request, actor);
      return actor ? undefined : reply;
    });
    const caller = (request: FastifyRequest) => {
      const actor = actors.get(request)!;
      return { ...callerOf(actor), userId: actor.user.id };
    };

    api.get('/me', async (request) => {
      const a = actors.get(request)!;
      const { passwordHash: _p, ...user } = a.user;
      return { user, via: a.kind, ...(a.csrf ? { csrf: a.csrf } : {}) };
    });

    // — tickets: the ward offices' queue —
    api.get('/tickets', async (request) => {
      const q = request.query as Query;
      const status = q.status === undefined ? undefined : TicketStatus.safeParse(q.status);
      if (status && !status.success) throw new AdminError(400, `status: one of ${TicketStatus.options.join(', ')}`, [{ field: 'status', message: 'unknown status' }]);
      return deps.tickets.list(caller(request), {
        ...(status?.success ? { status: status.data } : {}),
        ...(q.ward ? { ward: q.ward } : {}),
        ...(q.department ? { department: q.department } : {}),
        ...(q.unrouted === 'true' ? { unrouted: true } : {}),
        ...(q.overdue === 'true' ? { overdue: true } : {}),
        ...(q.q ? { search: q.q.slice(0, 200) } : {}),
        ...(int(q.offset) !== undefined ? { offset: int(q.offset)! } : {}),
        ...(int(q.limit) !== undefined ? { limit: int(q.limit)! } : {}),
      });
    });
    api.get('/tickets/:ticketNo', async (request) => deps.tickets.get(caller(request), (request.params as { ticketNo: string }).ticketNo));
    api.patch('/tickets/:ticketNo', async (request) => ({ ticket: await deps.tickets.change(caller(request), (request.params as { ticketNo: string }).ticketNo, body(request)) }));

    if (deps.campaigns) registerCampaignRoutes(api, { service: deps.campaigns, caller });
    // — dead letters, channel health, audit —
    registerDeadLetterRoutes(api, { store: deps.store, caller, now, ...(deps.retried ? { retried: deps.retried } : {}) });
    api.get('/channels', async (request) => {
      mustRead(caller(request).role, 'channels');
      return { channels: deps.channels(), accounts: deps.health() };
    });
    api.get('/audit', async (request) => {
      const q = request.query as Query;
      const limit = Math.max(1, Math.min(500, int(q.limit) ?? 100));
      const before = int(q.before);
      return {
        items: await deps.service.audit(caller(request), { limit, ...(q.kind ? { kind: q.kind } : {}), ...(q.recordId ? { recordId: q.recordId } : {}), ...(q.actor ? { actor: q.actor } : {}), ...(before ? { beforeId: before } : {}) }),
      };
    });

    // — the records staff edit: mappings, rules, sla, departments, wards, texts, users, tokens —
    const kindOf = (request: FastifyRequest) => {
      const resource = resourceByPath((request.params as { resource: string }).resource);
      if (!resource) throw new AdminError(404, `no such list: /admin/api/${(request.params as { resource: string }).resource}`);
      return resource.kind;
    };
    const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
    api.get('/:resource', async (request) => {
      const { offset, limit, ...filter } = request.query as Query;
      const clean = Object.fromEntries(Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === 'string'));
      return deps.service.list(kindOf(request), caller(request), { ...(int(offset) !== undefined ? { offset: int(offset)! } : {}), ...(int(limit) !== undefined ? { limit: int(limit)! } : {}), filter: clean });
    });
    api.post('/:resource', async (request, reply) => reply.status(201).send(await deps.service.create(kindOf(request), body(request), caller(request))));
    api.get('/:resource/:id', async (request) => deps.service.get(kindOf(request), idOf(request), caller(request)));
    api.patch('/:resource/:id', async (request) => deps.service.update(kindOf(request), idOf(request), body(request), caller(request), ifMatch(request)));
    api.post('/:resource/:id/disable', async (request) => deps.service.disable(kindOf(request), idOf(request), caller(request)));
    api.delete('/:resource/:id', async (request, reply) => {
      await deps.service.remove(kindOf(request), idOf(request), caller(request));
      return reply.status(204).send();
    });
  }, { prefix: '/admin/api' });
}
