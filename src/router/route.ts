import type { ChannelMapping, Priority, RoutingExplanation, RoutingRule, SlaPolicy } from '../model/index.ts';
import { compileRules, type RuleDecision } from './rule-matcher.ts';
import type { ComplaintFacts, RoutingFacts } from './routing-facts.ts';
import { dueDate, pickSla } from './sla.ts';
import type { WorkingCalendar } from './working-calendar.ts';

/** Routes the complaint a conversation collected (its channel, account and time are the caller's). */
export type RouteFor = (facts: ComplaintFacts) => Route;

export interface Route {
  department: string;
  /** the department came from a rule on the complaint's category, not the mapping's default: worth telling the citizen */
  byCategory?: boolean;
  ward?: string;
  priority: Priority;
  slaDueAt: string;
  /** why: the mapping, the rules that decided, how the due date was counted */
  routing: RoutingExplanation;
}

/** What routing is decided from: staff's rules and SLA policies, and the city's calendar. */
export interface RoutingConfig {
  rules: readonly RoutingRule[];
  slas: readonly SlaPolicy[];
  calendar?: WorkingCalendar;
}

export type CompiledRouting = { decide: (facts: RoutingFacts, ward: string | undefined) => RuleDecision; slas: readonly SlaPolicy[]; calendar?: WorkingCalendar };

export function compileRouting(config: RoutingConfig): CompiledRouting {
  return { decide: compileRules(config.rules), slas: config.slas, ...(config.calendar ? { calendar: config.calendar } : {}) };
}

/**
 * Department, ward, priority and due time of a complaint that came in through `mapping`. The ward the rules see is
 * the mapping's (a ward's own number or page), else the one the citizen named; a rule that sets a ward wins.
 * No rule setting a department: the mapping's default, and the ticket waits in the unrouted queue.
 */
export function routeComplaint(routing: CompiledRouting, mapping: ChannelMapping, facts: RoutingFacts): Route {
  const seenWard = mapping.ward ?? facts.ward;
  const d = routing.decide(facts, seenWard);
  const ward = d.ward?.value ?? seenWard;
  const priority = d.priority?.value ?? 'normal';
  const { slaDueAt, sla } = dueDate(facts.receivedAt, pickSla(routing.slas, facts.category, priority), mapping.slaHours, routing.calendar);
  const hit = (h: { ruleId: string; ruleName: string }) => ({ ruleId: h.ruleId, ruleName: h.ruleName });
  const routingWhy: RoutingExplanation = {
    mappingId: mapping.id,
    department: d.department ? { by: 'rule', ...hit(d.department) } : { by: 'mapping' },
    ...(ward ? { ward: d.ward ? { by: 'rule', ...hit(d.ward) } : { by: mapping.ward ? 'mapping' : 'text' } } : {}),
    ...(d.priority ? { priority: hit(d.priority) } : {}),
    sla,
    ...(d.department ? {} : { unrouted: true }),
  };
  return {
    department: d.department?.value ?? mapping.department,
    ...(d.department?.byCategory ? { byCategory: true } : {}),
    ...(ward ? { ward } : {}),
    priority,
    slaDueAt,
    routing: routingWhy,
  };
}
