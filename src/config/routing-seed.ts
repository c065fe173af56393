import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { RoutingRule, SlaPolicy } from '../model/index.ts';
import { ConfigError } from './config-error.ts';

const RoutingSeed = z.object({ rules: z.array(RoutingRule).default([]), sla: z.array(SlaPolicy).default([]) }).strict();
export type RoutingSeed = z.infer<typeof RoutingSeed>;

/** config/routing.yaml: the rules and SLA policies a new store starts with (absent file: none) */
export function loadRoutingSeed(path: string): RoutingSeed {
  if (!existsSync(path)) return { rules: [], sla: [] };
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${path}: not valid YAML: ${(err as Error).message}`);
  }
  const parsed = RoutingSeed.safeParse(doc ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new ConfigError(`${path}: ${issues.join('; ')}`);
  }
  return parsed.data;
}
