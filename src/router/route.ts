import type { ChannelMapping } from '../model/index.ts';

export interface Route {
  department: string;
  ward?: string;
  slaDueAt: string;
}

/** Department, ward and SLA due time for a complaint received at `now` through `mapping`. */
export function routeComplaint(mapping: ChannelMapping, now: Date): Route {
  return {
    department: mapping.department,
    ...(mapping.ward ? { ward: mapping.ward } : {}),
    slaDueAt: new Date(now.getTime() + mapping.slaHours * 3_600_000).toISOString(),
  };
}
