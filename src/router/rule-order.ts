import type { RoutingRule } from '../model/index.ts';

/** the order rules are read in: by `order`, then by id (code units, the same on every machine) */
export function ruleOrder(a: Pick<RoutingRule, 'order' | 'id'>, b: Pick<RoutingRule, 'order' | 'id'>): number {
  return a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
