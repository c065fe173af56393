import { pino, type Logger } from 'pino';
import { scrub, scrubField, scrubText } from './redact.ts';

export type { Logger };

// These have serializers of their own, which pino runs after formatters.log: scrubbing them earlier would flatten
// fastify's request object (its method and url are getters) before the serializer reads them.
const SERIALIZED = new Set(['req', 'res', 'err']);

/**
 * Structured logs without phone numbers or email addresses: every logged field and message is scrubbed, errors
 * too, and request logs carry the method and path only (query strings can hold tokens and numbers).
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'pmc-bridge' },
      formatters: {
        log: (obj) => {
          const out: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(obj)) out[k] = SERIALIZED.has(k) ? v : scrubField(k, v);
          return out;
        },
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as Parameters<typeof method>);
        },
      },
      serializers: {
        // a path can carry what a caller typed in it (/webhooks/sms/98…/name@…): scrubbed like any other text
        req: (req: { method?: string; url?: string; id?: string }) => ({ id: req.id, method: req.method, path: scrubText(req.url?.split('?')[0] ?? '') }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: (err: Error) => scrub(pino.stdSerializers.err(err)),
      },
    },
    destination as pino.DestinationStream | undefined,
  );
}
