import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AdminStore } from '../store/admin-store.ts';
import { authenticate, csrfOk, type Actor } from './auth/authenticate.ts';
import type { TicketCaller } from './ticket-service.ts';

/** The staff member (or machine) behind a request, as the admin services know callers. */
export function callerOf(actor: Actor): TicketCaller {
  const { user } = actor;
  return { role: user.role, ref: actor.ref, reach: { wards: user.wards, departments: user.departments } };
}

/**
 * Authenticates an admin request: 401 without a valid token or session, 403 when a session's change lacks its
 * CSRF token. Returns undefined when it has answered.
 */
export async function requireActor(admin: AdminStore, request: FastifyRequest, reply: FastifyReply, now: Date): Promise<Actor | undefined> {
  const actor = await authenticate(admin, request, now);
  if (!actor) {
    void reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'sign in at /admin/login, or send Authorization: Bearer <API token>' });
    return undefined;
  }
  if (!csrfOk(actor, request)) {
    void reply.status(403).send({ error: 'missing or wrong CSRF token: send the x-csrf-token header your session was given (GET /admin/api/me)' });
    return undefined;
  }
  return actor;
}
