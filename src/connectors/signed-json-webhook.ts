import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BadBodyError, decodeBody, parseJson } from '../http/form-body.ts';

/**
 * A social network's signed webhook at most: Meta batches up to 1,000 events in one POST and X's Account Activity
 * events carry whole user objects, far past the server-wide server.bodyLimitBytes (64 KB by default): 2 MB, as the
 * intake API takes.
 */
export const SIGNED_WEBHOOK_BODY_LIMIT = 2 * 1024 * 1024;

export interface SignedJsonWebhook {
  path: string;
  /** the signature header, as named in the 403 */
  header: string;
  /** for the log line of a refusal: 'facebook webhook' */
  name: string;
  verify: (bytes: Buffer | undefined, signature: string | string[] | undefined) => { ok: true } | { ok: false; reason: string };
  handle: (body: unknown, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

/**
 * POST `path`, in a fastify scope of its own where every body, whatever its content type, stays bytes: the
 * signature is checked on them before anything is decoded or parsed, so an unsigned sender gets 403 whatever it
 * sent and costs a read and a hash. Then the JSON goes to `handle`.
 */
export function mountSignedJsonWebhook(server: FastifyInstance, hook: SignedJsonWebhook): void {
  void server.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.post(hook.path, { bodyLimit: SIGNED_WEBHOOK_BODY_LIMIT }, async (request, reply) => {
      const bytes = Buffer.isBuffer(request.body) ? request.body : undefined;
      const verdict = hook.verify(bytes, request.headers[hook.header]);
      if (!verdict.ok || !bytes) {
        request.log.warn({ reason: verdict.ok ? 'no body' : verdict.reason }, `${hook.name} refused: signature check failed`);
        return reply.status(403).send({ error: `invalid ${hook.header}` });
      }
      let body: unknown;
      try {
        body = parseJson(decodeBody(bytes));
      } catch (err) {
        if (!(err instanceof BadBodyError)) throw err;
        return reply.status(err.statusCode).send({ error: err.message });
      }
      return hook.handle(body, request, reply);
    });
  });
}
