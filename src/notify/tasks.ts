import type { Conversations } from '../bots/conversations.ts';
import type { Messages } from '../bots/messages.ts';
import type { Normalize } from '../normalizer/index.ts';
import type { Config } from '../config/schema.ts';
import type { Connector } from '../connectors/connector.ts';
import type { Logger } from '../http/logger.ts';
import type { SweepTask } from '../pipeline/sweep-task.ts';
import type { RoutingTable } from '../router/routing-table.ts';
import type { Store } from '../store/store.ts';
import { campaignSender } from './campaign-sender.ts';
import { overdueAlertTask } from './overdue-alerts.ts';
import { ratingReminders } from './rating-reminders.ts';
import { staffDigestTask } from './staff-digest.ts';
import { statusUpdates } from './status-updates.ts';

/** what the bridge's own scheduled work needs */
export interface NotifyDeps {
  store: Store;
  messages: Messages;
  config: Readonly<Config>;
  routing: RoutingTable;
  connectors: readonly Connector[];
  logger: Logger;
  now: () => Date;
  /** the bot, where it talks (config bot.enabled): a rating reminder is a turn of its own */
  bot?: { conversations: Conversations; normalize: Normalize };
}

/** The scheduled work that keeps citizens and staff informed, in the order each sweep runs it. */
export function notifyTasks(deps: NotifyDeps): SweepTask[] {
  const tasks: SweepTask[] = [];
  // — status updates —
  const connectors = new Map(deps.connectors.map((c) => [c.channel, c]));
  tasks.push(statusUpdates({ store: deps.store, messages: deps.messages, routing: deps.routing, connectors, quietHours: deps.config.notify.quietHours, settleMs: deps.config.notify.settleSeconds * 1000, logger: deps.logger }));
  // — feedback —
  const { reminderHours } = deps.config.feedback;
  if (deps.bot && reminderHours !== null) tasks.push(ratingReminders({ ...deps, ...deps.bot, ticketPrefix: deps.config.tickets.prefix, reminderHours, quietHours: deps.config.notify.quietHours }));
  // — staff digest and overdue alerts —
  tasks.push(staffDigestTask(deps), overdueAlertTask(deps));
  // — campaigns —
  tasks.push(campaignSender(deps));
  void deps;
  return tasks;
}
