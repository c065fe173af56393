import type { FastifyInstance } from 'fastify';
import { registerAuditPage } from './audit-page.ts';
import { registerCampaignPages } from './campaigns-page.ts';
import { registerChannelsPage } from './channels-page.ts';
import { registerDeadLettersPage } from './dead-letters-page.ts';
import { registerFeedbackReportPage } from './feedback-report-page.ts';
import type { AdminPagesDeps } from './deps.ts';
import { MAPPING_PAGES } from './mapping-pages.ts';
import { registerRecordPages } from './record-pages.ts';
import { PAGE_HEADERS } from './respond.ts';
import { RULE_PAGES } from './rule-pages.ts';
import { SLA_PAGES } from './sla-pages.ts';
import { registerTextPages } from './texts-pages.ts';
import { registerTicketPages } from './ticket-routes.ts';
import { registerUserPages } from './users-pages.ts';

export type { AdminPagesDeps } from './deps.ts';

/**
 * The web admin at /admin: server-rendered pages and plain forms (no script, nothing to build), in Marathi by
 * default. Every change goes through AdminService or TicketService, as the JSON API's do, and answers with a
 * redirect (PRG) or the form again with its problems.
 */
export function registerAdminPages(server: FastifyInstance, deps: AdminPagesDeps): void {
  void server.register(async (pages) => {
    // what a page did not expect is logged, and the officer reads a short page, never a stack or a JSON error
    pages.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
      if (status === 500) request.log.error({ err }, 'admin page failed');
      const said = status === 500 ? 'काहीतरी चुकले. / Something went wrong.' : 'ही विनंती चुकीची आहे. / The request is not valid.';
      return reply.code(status).headers(PAGE_HEADERS).send(`<!doctype html><html lang="mr"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${status}</title><p>${said}</p><p><a href="/admin/tickets">/admin/tickets</a></p></html>`);
    });
    registerTicketPages(pages, deps);
    registerRecordPages(pages, deps, MAPPING_PAGES);
    registerRecordPages(pages, deps, RULE_PAGES);
    registerRecordPages(pages, deps, SLA_PAGES);
    registerTextPages(pages, deps);
    registerChannelsPage(pages, deps);
    registerDeadLettersPage(pages, deps);
    registerAuditPage(pages, deps);
    registerFeedbackReportPage(pages, deps);
    registerCampaignPages(pages, deps);
    registerUserPages(pages, deps);
  });
}
