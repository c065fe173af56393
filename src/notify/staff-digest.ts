import type { Config } from '../config/schema.ts';
import type { Connector } from '../connectors/connector.ts';
import type { Logger } from '../http/logger.ts';
import type { OutboundMessage } from '../model/index.ts';
import type { SweepTask } from '../pipeline/sweep-task.ts';
import { IST_OFFSET_MS } from '../router/working-calendar.ts';
import type { Store } from '../store/store.ts';
import { enabledWards, previousDay, wardDigests } from './digest-figures.ts';
import { staffMailer } from './digest-mail.ts';
import { digestMail } from './digest-text.ts';

export interface StaffDigestDeps {
  store: Store;
  config: Readonly<Config>;
  connectors: readonly Connector[];
  logger: Logger;
}

/** the day whose digest went out last (YYYY-MM-DD): a later run that day reads nothing */
export const DIGEST_CURSOR = 'notify:digest';
// often enough that the digest leaves within minutes of its hour; a run before it, or after the day's is sent, reads one cursor
const EVERY_MS = 5 * 60_000;

/**
 * The daily digest of each enabled ward office, by email to its address: the day before's tickets received,
 * forwarded and resolved, and those overdue and flagged for follow-up now. It leaves at `notify.digestHour` IST,
 * or at the first run after it that day (a bridge that was down at that hour); a day missed entirely is not sent
 * late (the next one counts from its own day). Once a day even across restarts and several workers: the key
 * `digest:<ward>:<day>` (the day the figures are of) makes the outbox refuse a second mail, and the cursor saves
 * a later run from counting again. A ward office without an address, or email off: no mail (the admin home page
 * shows the same figures).
 */
export function staffDigestTask(deps: StaffDigestDeps): SweepTask {
  return {
    name: 'staff-digest',
    everyMs: EVERY_MS,
    async run(now) {
      const hour = deps.config.notify.digestHour;
      if (hour === null) return [];
      const istHour = new Date(now.getTime() + IST_OFFSET_MS).getUTCHours();
      if (istHour < hour) return [];
      const { day } = previousDay(now);
      const done = await deps.store.getCursor(DIGEST_CURSOR);
      if (done !== undefined && done >= day) return [];
      const mailer = staffMailer(deps.connectors);
      const wards = await enabledWards(deps.store);
      const mails: OutboundMessage[] = [];
      if (mailer) {
        for (const d of await wardDigests(deps.store, wards.filter((w) => w.email !== undefined), now)) {
          if (d.ward.email) mails.push(mailer(d.ward.email, digestMail(d), `digest:${d.ward.id}:${day}`));
        }
      }
      const queued = mails.length ? await deps.store.enqueueOutbound(mails, now) : [];
      await deps.store.setCursor(DIGEST_CURSOR, day);
      deps.logger.info({ day, wards: wards.length, mailed: queued.filter((q) => q.created).length, email: mailer !== undefined }, 'staff digest queued');
      return queued.filter((q) => q.created).map((q) => q.id);
    },
  };
}
