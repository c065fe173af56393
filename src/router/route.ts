import type { ChannelMapping, Priority, RoutingExplanation, RoutingRule, SlaPolicy } from '../model/index.ts';
import { compileRules, type RuleDecision } from './rule-matcher.ts';
import type { ComplaintFacts, RoutingFacts } from './routing-facts.ts';
import { dueDate, pickSla } from './sla.ts';
import type { WorkingCalendar } from './working-calendar.ts';

/** Routes the complaint a conversation collected (its channel, account and time are the caller's). */
export type RouteFor = (facts: ComplaintFacts) => Route;

export interface Route {
  department: string;
  /** a rule chose the department (the category's, a keyword's), not the mapping's default: worth telling the citizen */
  departmentByRule?: boolean;
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
  /** a rule's pattern ran out its time on a message, and is skipped from then on */
  onSlowPattern?: (ruleId: string) => void;
  /** a due date was counted through a year the calendar does not list */
  onUncovered?: (year: number) => void;
}

export type CompiledRouting = {
  decide: (facts: RoutingFacts, ward: string | undefined) => RuleDecision;
  slas: readonly SlaPolicy[];
  calendar?: WorkingCalendar;
  onUncovered?: (year: number) => void;
};

export function compileRouting(config: RoutingConfig): CompiledRouting {
  return {
    decide: compileRules(config.rules, config.onSlowPattern),
    slas: config.slas,
    ...(config.calendar ? { calendar: config.calendar } : {}),
    ...(config.onUncovered ? { onUncovered: config.onUncovered } : {}),
  };
}

/**
 * Department, ward, priority and due time of a complaint that came in through `mapping`. The ward the rules see is
 * the mapping's (a ward office's own number or page: staff there take what comes to it, and forward what is not
 * theirs), else the one the citizen named; a rule that sets a ward wins, and the rules on wards then go by it.
 * No rule setting a department: the mapping's default, and the ticket waits in the unrouted queue.
 */
export function routeComplaint(routing: CompiledRouting, mapping: ChannelMapping, facts: RoutingFacts): Route {
  const seenWard = mapping.ward ?? facts.ward;
  const first = routing.decide(facts, seenWard);
  // a ward a rule gave (a PIN code's, an area's) is the ward the other rules go by: read them again with it
  const d = first.ward && first.ward.value !== seenWard ? { ...routing.decide(facts, first.ward.value), ward: first.ward } : first;
  const ward = d.ward?.value ?? seenWard;
  const priority = d.priority?.value ?? 'normal';
  const { slaDueAt, sla } = dueDate(facts.receivedAt, pickSla(routing.slas, facts.category, priority), mapping.slaHours, routing.calendar);
  if (sla.uncovered !== undefined) routing.onUncovered?.(sla.uncovered);
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
    ...(d.department ? { departmentByRule: true } : {}),
    ...(ward ? { ward } : {}),
    priority,
    slaDueAt,
    routing: routingWhy,
  };
}
