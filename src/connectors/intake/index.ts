import type { FastifyInstance } from 'fastify';
import type { AttachmentStore } from '../../attachments/attachment-store.ts';
import type { Category } from '../../config/gazetteer.ts';
import type { Connector, ConnectorContext } from '../connector.ts';
import type { IntakeSource } from './config.ts';
import { OPENAPI_PATH, openApiDocument } from './openapi.ts';
import { mountOpen311 } from './open311.ts';
import { attachmentsOf, Envelope, envelopeMessage, issuesOf, phoneOf } from './parse.ts';
import { NOTHING_SENT_HERE, sendElsewhere } from './send.ts';
import { mountSignedRoute } from './signed-route.ts';

export { intakeOptionsFromConfig } from './config.ts';
export type { IntakeSource } from './config.ts';

export const intakePath = (sourceId: string): string => `/webhooks/api/${sourceId}`;

export interface IntakeDeps {
  attachments: AttachmentStore;
  categories: readonly Category[];
  now?: () => Date;
}

/**
 * The signed intake API for one channel's sources (phone: the call centre's agents; api: Z+, the city's apps):
 * POST /webhooks/api/<source> takes the documented envelope, signed with the source's own key. Sources of channel
 * api may also speak Open311 GeoReport v2. Replies go by SMS or email (the source has no way back itself).
 */
export function createIntakeConnector(channel: 'phone' | 'api', sources: readonly IntakeSource[], deps: IntakeDeps): Connector {
  const now = deps.now ?? (() => new Date());
  const routes = (server: FastifyInstance, ctx: ConnectorContext) => {
    for (const source of sources) {
      mountSignedRoute(server, ctx, {
        path: intakePath(source.id),
        signatureHeader: 'x-signature',
        key: source.key,
        read: async (body) => {
          const parsed = Envelope.safeParse(body);
          if (!parsed.success) return { issues: issuesOf(parsed.error) };
          const e = parsed.data;
          const phone = phoneOf(e.sender.phone);
          if ('error' in phone) return { issues: [{ field: 'sender.phone', message: phone.error }] };
          if (e.category && !deps.categories.some((c) => c.id === e.category))
            return { issues: [{ field: 'category', message: `"${e.category}" is no category of GET /open311/v2/services.json` }] };
          const attachments = await attachmentsOf(e.attachments, deps.attachments);
          // the archive keeps the envelope, not the inline bytes (they are in the attachment store)
          const raw = { ...e, attachments: e.attachments.map(({ contentBase64: _b, ...a }) => a) };
          return { message: envelopeMessage(e, { channel, sourceId: source.id, ...phone, attachments, raw, now: now() }) };
        },
      });
    }
    // one document for the whole API, served by whichever intake channel is on
    if (!server.hasRoute({ method: 'GET', url: OPENAPI_PATH })) server.get(OPENAPI_PATH, async () => openApiDocument());
    const open311 = sources.filter((s) => s.open311);
    if (open311.length > 0) mountOpen311(server, ctx, { sources: open311, categories: deps.categories, now });
  };
  return {
    channel,
    accountIds: sources.map((s) => s.id),
    limits: {},
    routes,
    send: sendElsewhere,
    resend: NOTHING_SENT_HERE,
  };
}
