import type { FastifyInstance } from 'fastify';
import type { Category } from '../../config/gazetteer.ts';
import { createCategoryMatcher } from '../../normalizer/categories.ts';
import type { Connector, ConnectorContext } from '../connector.ts';
import { mountSignedRoute } from '../intake/signed-route.ts';
import type { AdmissibilityOptions } from './admissibility.ts';
import { applicationIssues, LokshahiApplication } from './application.ts';
import { LOKSHAHI_WEBHOOK_PATH, type LokshahiOptions } from './config.ts';
import { applicationMessage } from './parse.ts';
import { NOTHING_SENT_HERE, sendElsewhere } from './send.ts';
import { LOKSHAHI_SIGNATURE_HEADER } from './verify.ts';

export { lokshahiOptionsFromConfig, LOKSHAHI_WEBHOOK_PATH } from './config.ts';
export type { LokshahiOptions } from './config.ts';

/** "several grievances" needs to know which department each item is about: the categories' keywords say */
export function admissibilityOptions(categories: readonly Category[]): AdmissibilityOptions {
  const match = createCategoryMatcher(categories);
  return { departmentsOf: (text) => [...new Set(match(text).map((h) => h.department))] };
}

/**
 * Lokshahi Din applications: the signed webhook (with LOKSHAHI_SECRET), a specialisation of the intake API's
 * route; the register import (`pmc-bridge import lokshahi`) needs no secret. Each application is one ticket by its
 * token; one its rules do not admit is filed as rejected, and the applicant is told why. Replies go by SMS and email.
 */
export function createLokshahiConnector(opts: LokshahiOptions, deps: { categories: readonly Category[] }): Connector {
  const admissibility = admissibilityOptions(deps.categories);
  const routes = (server: FastifyInstance, ctx: ConnectorContext) => {
    if (!opts.secret) return;
    mountSignedRoute(server, ctx, {
      path: LOKSHAHI_WEBHOOK_PATH,
      signatureHeader: LOKSHAHI_SIGNATURE_HEADER,
      key: opts.secret,
      // an application is text, its documents links: a description of 20,000 Devanagari characters is 60 KB
      bodyLimit: 256 * 1024,
      read: async (body) => {
        const parsed = LokshahiApplication.safeParse(body);
        if (!parsed.success) return { issues: applicationIssues(body) };
        return { message: applicationMessage(parsed.data, { accountId: opts.accountId, raw: body, admissibility }) };
      },
    });
  };
  return {
    channel: 'lokshahi',
    accountIds: [opts.accountId],
    limits: {},
    routes,
    send: sendElsewhere,
    resend: NOTHING_SENT_HERE,
  };
}
