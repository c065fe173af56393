import { pino, type Logger } from 'pino';
import { scrub } from './redact.ts';

export type { Logger };

/**
 * Structured logs without phone numbers or email addresses: every logged object and message is scrubbed, and
 * request logs carry the method and path only (query strings can hold tokens and numbers).
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'pmc-bridge' },
      formatters: { log: (obj) => scrub(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => scrub(a)) as Parameters<typeof method>);
        },
      },
      serializers: {
        req: (req: { method?: string; url?: string; id?: string }) => ({ id: req.id, method: req.method, path: req.url?.split('?')[0] }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: pino.stdSerializers.err,
      },
    },
    destination as pino.DestinationStream | undefined,
  );
}
