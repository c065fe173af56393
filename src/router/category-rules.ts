import type { RoutingRule } from '../model/index.ts';

/**
 * A rule per category of config/categories.yaml (category → its department): the rules a new store starts with,
 * in the file's order, ten apart so staff can put rules between them.
 */
export function categoryRules(categories: readonly { id: string; department: string }[]): RoutingRule[] {
  return categories.map((c, i) => ({
    id: `category-${c.id}`,
    name: `${c.id} → ${c.department}`,
    order: 1000 + i * 10,
    when: { categories: [c.id] },
    then: { department: c.department },
    enabled: true,
  }));
}
