import type { Department, WardOffice } from '../model/index.ts';
import { IST_OFFSET_MS, istDay } from '../router/working-calendar.ts';
import type { Store } from '../store/store.ts';

const DAY_MS = 86_400_000;
/** ticket numbers a digest lists under overdue and under follow-up; the rest are "and N more" */
export const LISTED = 20;

/** how many, and the first ticket numbers of them */
export interface Listed {
  count: number;
  ticketNos: string[];
}

/** One ward office's digest: what happened to its tickets on `day`, and what is overdue and flagged now. */
export interface WardDigest {
  ward: WardOffice;
  /** the India day the figures are of, YYYY-MM-DD */
  day: string;
  received: number;
  forwarded: number;
  resolved: number;
  overdue: Listed;
  followUp: Listed;
}

/** the India day before `now`'s, as instants: what the morning's digest reports */
export function previousDay(now: Date): { day: string; from: Date; to: Date } {
  const today = Math.floor((now.getTime() + IST_OFFSET_MS) / DAY_MS) * DAY_MS - IST_OFFSET_MS;
  const from = new Date(today - DAY_MS);
  return { day: istDay(from), from, to: new Date(today) };
}

/** the ward offices staff keep (a disabled one has nobody reading its queue) */
export async function enabledWards(store: Store): Promise<WardOffice[]> {
  return (await store.admin.listRecords('ward')).map((r) => r.data as WardOffice).filter((w) => w.enabled !== false);
}

export async function enabledDepartments(store: Store): Promise<Department[]> {
  return (await store.admin.listRecords('department')).map((r) => r.data as Department).filter((d) => d.enabled !== false);
}

/**
 * The digest of each ward office for the day before `now`: received, forwarded and resolved from the tickets'
 * history (one read for every office), overdue now from the open tickets' due times (by the index of open due
 * times, at most LISTED read per office), and flagged for follow-up now.
 */
export async function wardDigests(store: Store, wards: readonly WardOffice[], now: Date): Promise<WardDigest[]> {
  if (wards.length === 0) return [];
  const { day, from, to } = previousDay(now);
  const counts = new Map((await store.countHistory({ from, to, listed: LISTED })).map((c) => [c.ward, c]));
  return Promise.all(
    wards.map(async (ward): Promise<WardDigest> => {
      const c = counts.get(ward.id);
      const [late, lateNos] = await Promise.all([
        store.countTickets({ ward: ward.id, overdueAt: now }),
        store.listTickets({ ward: ward.id, overdueAt: now, order: 'asc', limit: LISTED }),
      ]);
      return {
        ward,
        day,
        received: c?.received ?? 0,
        forwarded: c?.forwarded ?? 0,
        resolved: c?.resolved ?? 0,
        overdue: { count: Object.values(late).reduce<number>((a, n) => a + (n ?? 0), 0), ticketNos: lateNos.map((t) => t.ticketNo) },
        followUp: { count: c?.followUp ?? 0, ticketNos: c?.followUpTicketNos ?? [] },
      };
    }),
  );
}
