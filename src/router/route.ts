import type { ChannelMapping } from '../model/index.ts';

export interface Route {
  department: string;
  /** the department came from the complaint's category, not the mapping's default: worth telling the citizen */
  byCategory?: boolean;
  ward?: string;
  slaDueAt: string;
}

/**
 * Department, ward and SLA due time for a complaint received at `now` through `mapping`. The department of the
 * complaint's category (config/categories.yaml), when one was found, goes before the mapping's default.
 */
export function routeComplaint(mapping: ChannelMapping, now: Date, categoryDepartment?: string): Route {
  return {
    department: categoryDepartment ?? mapping.department,
    ...(categoryDepartment ? { byCategory: true } : {}),
    ...(mapping.ward ? { ward: mapping.ward } : {}),
    slaDueAt: new Date(now.getTime() + mapping.slaHours * 3_600_000).toISOString(),
  };
}
