import type { RoutingExplanation } from '../../model/index.ts';
import type { Words } from './words-en.ts';

const ruleOf = (by: { ruleId?: string; ruleName?: string }) => by.ruleName ?? by.ruleId ?? '?';

/** Why a ticket went where it did, in sentences: the mapping, the rules that decided, how its due date was counted. */
export function routingWords(why: RoutingExplanation | undefined, t: Words): string[] {
  if (!why) return [t.why.none];
  const w = t.why;
  const out = [w.mapping(why.mappingId)];
  out.push(why.department.by === 'rule' ? w.department.rule(ruleOf(why.department)) : w.department[why.department.by]);
  if (why.ward) out.push(why.ward.by === 'rule' ? w.ward.rule(ruleOf(why.ward)) : w.ward[why.ward.by]);
  if (why.priority) out.push(w.priority(why.priority.ruleName || why.priority.ruleId));
  if (why.sla.workingDays !== undefined) out.push(w.slaDays(why.sla.workingDays, why.sla.policyId));
  else if (why.sla.hours !== undefined) out.push(w.slaHours(why.sla.hours, why.sla.policyId));
  if (why.sla.skipped?.length) out.push(w.skipped(why.sla.skipped.join(', ')));
  if (why.unrouted) out.push(w.unrouted);
  return out;
}
