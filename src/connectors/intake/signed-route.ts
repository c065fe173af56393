import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BadBodyError, decodeBody, parseJson } from '../../http/form-body.ts';
import type { InboundMessage, Ticket } from '../../model/index.ts';
import type { Store } from '../../store/store.ts';
import type { ConnectorContext } from '../connector.ts';
import { verifyBodySignature } from './verify.ts';

/**
 * The body of a signed intake post at most: an envelope with a photo or two inline (larger files go as links). The
 * JSON is parsed before its signature is checked (the server's one JSON parser), so this bounds what an unsigned
 * sender can make the bridge read; and it must arrive within server.requestTimeoutMs.
 */
export const INTAKE_BODY_LIMIT = 2 * 1024 * 1024;
// how long the answer waits for the ticket, so an agent can tell the caller its number
const TICKET_WAIT_MS = 3000;

// the raw bytes of each signed post, for the handler to verify before anything is decoded
const bytesOf = new WeakMap<FastifyRequest, Buffer>();

export type ReadBody = { message: InboundMessage } | { issues: { field: string; message: string }[] };

/** One signed JSON route: the intake API's per source, and Lokshahi's (a specialisation: its own header and body). */
export interface SignedRoute {
  path: string;
  /** lower-case header name holding `sha256=<hex>` */
  signatureHeader: string;
  key: string;
  /** the verified body as a message, or what is wrong with it */
  read(body: unknown): Promise<ReadBody>;
  /** bytes at most (default INTAKE_BODY_LIMIT) */
  bodyLimit?: number;
}

/** the ticket the message became, waited for up to `waitMs` (the pipeline files it moments after the archive) */
export async function waitForTicket(store: Store, msg: InboundMessage, waitMs = TICKET_WAIT_MS): Promise<Ticket | undefined> {
  const source = { channel: msg.channel, accountId: msg.accountId, externalId: msg.externalId };
  const until = Date.now() + waitMs;
  for (;;) {
    const ticket = await store.findTicketBySource(source);
    if (ticket || Date.now() >= until) return ticket;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * The signature on the raw body first (403, nothing archived), then the body (422 naming each field), then the
 * archive (503 if it fails: the sender tries again); only then 202, with the ticket number when the ticket was
 * filed within a few seconds (else null: it follows, and GET by id or the citizen's SMS tells it). The same
 * external id again is 200 with the ticket it already made.
 */
export function mountSignedRoute(server: FastifyInstance, ctx: ConnectorContext, route: SignedRoute): void {
  // a scope of its own whose JSON parser only keeps the bytes: the signature is checked on them before a byte is
  // decoded or parsed, so an unsigned sender makes the bridge do no more than read and hash
  void server.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      bytesOf.set(request, body as Buffer);
      done(null, undefined);
    });
    scope.post(route.path, { bodyLimit: route.bodyLimit ?? INTAKE_BODY_LIMIT }, async (request, reply) => {
      const bytes = bytesOf.get(request);
      const verdict = verifyBodySignature(bytes, request.headers[route.signatureHeader], route.key);
      if (!verdict.ok) {
        request.log.warn({ reason: verdict.reason, path: route.path }, 'intake refused: signature check failed');
        return reply.status(403).send({ error: `invalid ${route.signatureHeader}: ${verdict.reason}` });
      }
      if (!bytes) return reply.status(415).send({ error: 'the body must be application/json' });
      let parsed: unknown;
      try {
        parsed = bytes.length === 0 ? undefined : parseJson(decodeBody(bytes));
      } catch (err) {
        const bad = err instanceof BadBodyError ? err : new BadBodyError('the body is not valid JSON');
        return reply.status(bad.statusCode).send({ error: bad.message });
      }
      return handle(request, reply, parsed);
    });
  });

  async function handle(request: FastifyRequest, reply: FastifyReply, body: unknown) {
    if (body === undefined || typeof body !== 'object') return reply.status(422).send({ error: 'the body must be a JSON object', issues: [{ field: '(body)', message: 'expected a JSON object' }] });
    const read = await route.read(body);
    if ('issues' in read) return reply.status(422).send({ error: `invalid body: ${read.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, issues: read.issues });
    let duplicate = false;
    try {
      duplicate = (await ctx.intake.accept([read.message])).duplicates > 0;
    } catch (err) {
      request.log.error({ err }, 'intake: archiving failed, answering 503');
      return reply.status(503).send({ error: 'could not store the complaint, try again' });
    }
    const ticket = await waitForTicket(ctx.store, read.message);
    return reply.status(duplicate ? 200 : 202).send({
      externalId: read.message.externalId,
      duplicate,
      ticketNo: ticket?.ticketNo ?? null,
      status: ticket?.status ?? 'accepted',
    });
  }
}
