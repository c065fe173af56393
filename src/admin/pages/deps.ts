import type { FastifyRequest } from 'fastify';
import type { Messages } from '../../bots/messages.ts';
import type { ChannelStatus } from '../../connectors/connector.ts';
import type { AccountHealth } from '../../pipeline/channel-health.ts';
import type { Store } from '../../store/store.ts';
import type { CampaignService } from '../../notify/campaign-service.ts';
import type { AdminService } from '../admin-service.ts';
import type { TicketService } from '../ticket-service.ts';

/** What the web admin's pages are built from: the same services the JSON API uses, so the rules are the same. */
export interface AdminPagesDeps {
  store: Store;
  service: AdminService;
  tickets: TicketService;
  /** config/categories.yaml's ids, for the rule and SLA forms */
  categories: readonly string[];
  /** the categories' names (config/categories.yaml), shown instead of their ids */
  categoryNames?: ReadonlyMap<string, { en: string; mr: string }>;
  channels: () => readonly ChannelStatus[];
  health: () => readonly AccountHealth[];
  /** a dead letter was retried: look for due work now */
  retried?: () => void;
  /** the texts citizens are sent, with staff's saved ones laid over (src/admin/apply-texts.ts); absent: only the saved ones are listed */
  messages?: Messages;
  /** awareness campaigns (absent: no campaign pages) */
  campaigns?: CampaignService;
  /** whether the browser reached us over HTTPS: the language cookie is Secure then */
  secureCookies?: (request: FastifyRequest) => boolean;
  now?: () => Date;
}
