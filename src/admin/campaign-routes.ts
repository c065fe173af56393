import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CampaignService } from '../notify/campaign-service.ts';
import { CAMPAIGN_STATES, type CampaignState } from '../store/campaign-store.ts';
import { AdminError } from './admin-error.ts';
import type { Caller } from './admin-service.ts';

/** a JSON object body, without the form's CSRF field */
function body(request: FastifyRequest): Record<string, unknown> {
  const b = request.body ?? {};
  if (typeof b !== 'object' || Array.isArray(b)) throw new AdminError(400, 'the body must be a JSON object');
  const { _csrf: _c, ...rest } = b as Record<string, unknown>;
  return rest;
}

const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

/**
 * /admin/api/campaigns: list, create (a draft), preview, schedule, cancel. Registered inside the admin API's scope,
 * so its sign-in, CSRF and error handling apply; the service checks the role and audits each change.
 */
export function registerCampaignRoutes(api: FastifyInstance, deps: { service: CampaignService; caller: (request: FastifyRequest) => Caller }): void {
  const { service, caller } = deps;
  api.get('/campaigns', async (request) => {
    const { state } = request.query as { state?: string };
    const known = CAMPAIGN_STATES.find((s): s is CampaignState => s === state);
    if (state !== undefined && !known) throw new AdminError(400, `state: one of ${CAMPAIGN_STATES.join(', ')}`, [{ field: 'state', message: 'unknown state' }]);
    return { items: await service.list(caller(request), known) };
  });
  api.post('/campaigns', async (request, reply) => reply.status(201).send(await service.create(caller(request), body(request))));
  api.get('/campaigns/:id', async (request) => service.get(caller(request), idOf(request)));
  api.get('/campaigns/:id/preview', async (request) => service.preview(caller(request), idOf(request)));
  api.post('/campaigns/:id/schedule', async (request) => {
    const { at } = body(request);
    if (at !== undefined && typeof at !== 'string') throw new AdminError(400, 'at: an ISO date and time, like 2026-12-05T10:00:00+05:30', [{ field: 'at', message: 'must be text' }]);
    return service.schedule(caller(request), idOf(request), at === undefined ? undefined : new Date(at));
  });
  api.post('/campaigns/:id/cancel', async (request) => service.cancel(caller(request), idOf(request)));
}
