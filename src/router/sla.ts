import type { Priority, RoutingExplanation, SlaPolicy } from '../model/index.ts';
import { addWorkingDays, type WorkingCalendar } from './working-calendar.ts';

/**
 * the policy for a category and priority: its own for that priority, '*' for that priority, its own, '*'. A
 * priority's policy goes first: an urgent complaint keeps its shorter time when its category has a policy of its own.
 */
export function pickSla(policies: readonly SlaPolicy[], category: string | undefined, priority: Priority): SlaPolicy | undefined {
  const enabled = policies.filter((p) => p.enabled);
  const find = (cat: string | undefined, prio: boolean) =>
    cat === undefined ? undefined : enabled.find((p) => p.category === cat && (prio ? p.priority === priority : p.priority === undefined));
  return find(category, true) ?? find('*', true) ?? find(category, false) ?? find('*', false);
}

/** When the complaint is due, and how that was counted (the explanation kept on the ticket). */
export function dueDate(
  receivedAt: Date,
  policy: SlaPolicy | undefined,
  fallbackHours: number,
  calendar: WorkingCalendar | undefined,
): { slaDueAt: string; sla: RoutingExplanation['sla'] } {
  if (policy?.workingDays !== undefined && calendar) {
    const { due, skipped, uncovered } = addWorkingDays(receivedAt, policy.workingDays, calendar);
    return {
      slaDueAt: due.toISOString(),
      sla: { policyId: policy.id, workingDays: policy.workingDays, ...(skipped.length ? { skipped } : {}), ...(uncovered !== undefined ? { uncovered } : {}) },
    };
  }
  // working days without a calendar file: counted as whole days on the clock
  const hours = policy?.hours ?? (policy?.workingDays !== undefined ? policy.workingDays * 24 : fallbackHours);
  return {
    slaDueAt: new Date(receivedAt.getTime() + hours * 3_600_000).toISOString(),
    sla: { ...(policy ? { policyId: policy.id } : {}), hours },
  };
}
