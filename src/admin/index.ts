import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Messages } from '../bots/messages.ts';
import type { ChannelStatus } from '../connectors/connector.ts';
import type { Logger } from '../http/logger.ts';
import type { AccountHealth } from '../pipeline/channel-health.ts';
import type { Store } from '../store/store.ts';
import { AdminService } from './admin-service.ts';
import { registerAdminApi } from './api-routes.ts';
import { registerAdminFont } from './font.ts';
import { LoginLimiter } from './auth/login-limiter.ts';
import { registerLoginRoutes } from './auth/login-routes.ts';
import { registerAdminPages } from './pages/index.ts';
import { TicketService } from './ticket-service.ts';
import { CampaignService, type CampaignConfig } from '../notify/campaign-service.ts';
import { clientAddressOf } from '../http/client-address.ts';

export interface AdminDeps {
  store: Store;
  /** config/categories.yaml's ids */
  categories: readonly string[];
  /** the categories' names, shown instead of their ids */
  categoryNames?: ReadonlyMap<string, { en: string; mr: string }>;
  channels: () => readonly ChannelStatus[];
  health: () => readonly AccountHealth[];
  /** a change was saved: reload routing in this process now */
  changed: () => Promise<void>;
  /** a dead letter was retried: look for due work now */
  retried: () => void;
  /** the public origin (PUBLIC_BASE_URL): https there means the session cookie is Secure */
  publicBaseUrl?: string | null;
  /** one reverse proxy in front (config server.behindProxy): its forwarded scheme is believed (its forwarded address,
   * by the server: clientAddressOf) */
  behindProxy?: boolean;
  logger: Logger;
  /** the reply texts in use (staff's laid over config/messages), for the web admin's texts page */
  messages?: Messages;
  /** what campaigns need of config (DLT ids, segment cost): the campaign routes and page are on when given */
  campaigns?: CampaignConfig;
  now?: () => Date;
}

/** Staff administration: sign-in, the JSON API at /admin/api and the web admin at /admin. */
export function mountAdmin(server: FastifyInstance, deps: AdminDeps): { service: AdminService; tickets: TicketService } {
  const now = deps.now ?? (() => new Date());
  const service = new AdminService({ store: deps.store, categories: deps.categories, changed: deps.changed, now });
  const tickets = new TicketService({ store: deps.store, now });
  const campaigns = deps.campaigns ? new CampaignService({ store: deps.store, config: deps.campaigns, now }) : undefined;
  const forwarded = (request: FastifyRequest, name: string) => {
    const v = request.headers[name];
    return deps.behindProxy && typeof v === 'string' ? v.split(',').at(-1)!.trim() : undefined;
  };
  const secureCookies = (request: FastifyRequest) =>
    request.protocol === 'https' || forwarded(request, 'x-forwarded-proto') === 'https' || (deps.publicBaseUrl ?? '').startsWith('https:');
  registerAdminFont(server);
  // wrong passwords are counted by the address the server works out for every request (src/http/client-address.ts)
  registerLoginRoutes(server, { admin: deps.store.admin, limiter: new LoginLimiter(), secureCookies, clientAddress: clientAddressOf, now, logger: deps.logger });
  registerAdminApi(server, { store: deps.store, service, tickets, channels: deps.channels, health: deps.health, retried: deps.retried, now, ...(campaigns ? { campaigns } : {}) });
  registerAdminPages(server, {
    store: deps.store,
    service,
    tickets,
    categories: deps.categories,
    ...(deps.categoryNames ? { categoryNames: deps.categoryNames } : {}),
    channels: deps.channels,
    health: deps.health,
    retried: deps.retried,
    secureCookies,
    now,
    ...(deps.messages ? { messages: deps.messages } : {}),
    ...(campaigns ? { campaigns } : {}),
  });
  return { service, tickets };
}
