import type { Connector } from '../connectors/connector.ts';
import type { Logger } from '../http/logger.ts';
import type { OutboundMessage } from '../model/index.ts';
import type { SweepTask } from '../pipeline/sweep-task.ts';
import type { Store } from '../store/store.ts';
import { enabledDepartments, enabledWards } from './digest-figures.ts';
import { staffMailer } from './digest-mail.ts';
import { overdueMail } from './digest-text.ts';

export interface OverdueAlertDeps {
  store: Store;
  connectors: readonly Connector[];
  logger: Logger;
}

const EVERY_MS = 5 * 60_000;
const PAGE = 500;
/**
 * Only tickets that fell due this recently are alerted: a department given an address, or a first start on a store
 * full of old overdue tickets, must not get hundreds of mails at once. Older ones are in the daily digest.
 */
export const ALERT_WINDOW_MS = 48 * 3600_000;

/**
 * An open ticket past its due time alerts its department by email, once: the outbox entry keyed
 * `overdue:<ticketNo>` is the mark that it was alerted, so a second sweep, a restart or another worker makes no
 * second mail. A ticket resolved (or rejected) before its due time is never open and overdue, so never alerted.
 * Reopened, it keeps its due time (nothing gives it a new one): if it was alerted, the department is not told
 * again (the digest lists it under overdue every morning); one resolved in time and reopened after its due time
 * alerts then, if that was within the window. A department without an address, or email off: no alert, and none
 * later for tickets that fell due before the window.
 *
 * Only the open tickets that fell due within the window are read, by the index of open due times
 * (tickets_open_due), a page at a time; the ones this process has seen alerted are remembered, so a sweep with
 * nothing new writes nothing.
 */
export function overdueAlertTask(deps: OverdueAlertDeps): SweepTask {
  const alerted = new Set<string>();
  return {
    name: 'overdue-alerts',
    everyMs: EVERY_MS,
    async run(now) {
      const mailer = staffMailer(deps.connectors);
      if (!mailer) return [];
      const departments = new Map((await enabledDepartments(deps.store)).filter((d) => d.email).map((d) => [d.id, d]));
      if (departments.size === 0) return [];
      const wards = new Map((await enabledWards(deps.store)).map((w) => [w.id, w]));
      const since = new Date(now.getTime() - ALERT_WINDOW_MS);
      const mails: OutboundMessage[] = [];
      const keys: string[] = [];
      for (let offset = 0; ; offset += PAGE) {
        const page = await deps.store.listTickets({ overdueAt: now, dueFrom: since, order: 'asc', offset, limit: PAGE });
        for (const t of page) {
          const department = departments.get(t.department);
          if (alerted.has(t.ticketNo) || !department?.email) continue;
          mails.push(mailer(department.email, overdueMail(t, department, t.ward ? wards.get(t.ward) : undefined), `overdue:${t.ticketNo}`));
          keys.push(t.ticketNo);
        }
        if (page.length < PAGE) break;
      }
      if (mails.length === 0) return [];
      const queued = await deps.store.enqueueOutbound(mails, now);
      for (const no of keys) alerted.add(no);
      const created = queued.filter((q) => q.created);
      if (created.length > 0) deps.logger.info({ alerted: created.length }, 'overdue tickets alerted to their departments');
      return created.map((q) => q.id);
    },
  };
}
