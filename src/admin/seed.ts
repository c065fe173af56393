import { join } from 'node:path';
import type { Messages } from '../bots/messages.ts';
import type { Gazetteer } from '../config/gazetteer.ts';
import { loadRoutingSeed } from '../config/routing-seed.ts';
import type { Config } from '../config/schema.ts';
import type { ChannelMapping, Department, Language, RoutingRule, SlaPolicy, WardOffice } from '../model/index.ts';
import { categoryRules } from '../router/category-rules.ts';
import { RULES_SEEDED } from '../router/routing-table.ts';
import type { RecordChange, RecordKind } from '../store/admin-store.ts';
import { VersionConflictError } from '../store/errors.ts';
import type { Store } from '../store/store.ts';

export interface SeedSource {
  mappings: readonly ChannelMapping[];
  categories: readonly { id: string; department: string }[];
  /** config/routing.yaml */
  rules: readonly RoutingRule[];
  sla: readonly SlaPolicy[];
  messages: Messages;
  wards: readonly { id: string; name: { en: string; mr: string } }[];
  /** config `defaults.department`: where a complaint goes when nothing else says */
  defaultDepartment?: string;
}

/** What config/ gives a new store: read from the config dir, as the bridge and the CLI both start. */
export function seedSourceOf(config: Readonly<Config>, dir: string, gazetteer: Gazetteer, messages: Messages): SeedSource {
  const routing = loadRoutingSeed(join(dir, 'routing.yaml'));
  return { mappings: config.mappings, categories: gazetteer.categories, rules: routing.rules, sla: routing.sla, messages, wards: gazetteer.wards, defaultDepartment: config.defaults.department };
}

const ACTOR = 'config';

/**
 * the departments citizens can be told of (config/messages), with their names in each language, and every one a
 * mapping, a rule or the defaults name (named by its code until staff give it a name)
 */
function departments(source: SeedSource): Department[] {
  const { messages } = source;
  const codes = new Set([
    ...Object.values(messages).flatMap((m) => Object.keys(m.departments)),
    ...source.mappings.map((m) => m.department),
    ...source.categories.map((c) => c.department),
    ...source.rules.flatMap((r) => (r.then.department ? [r.then.department] : [])),
    ...(source.defaultDepartment ? [source.defaultDepartment] : []),
  ]);
  const name = (lang: Language, code: string) => messages[lang].departments[code] ?? code;
  return [...codes].map((id) => ({ id, name: { en: name('en', id), mr: name('mr', id), hi: name('hi', id) }, enabled: true }));
}

/**
 * What the config files hold, written into the store once per record: a record staff edited or deleted since is
 * left as they left it (a cursor per record remembers it was given), and one added to the files later (a new
 * mapping, category, ward office or department) still arrives at the next start. Departments come before the
 * mappings and rules that name them. A cursor is written only once its record is in the store.
 */
export async function seedAdminRecords(store: Store, source: SeedSource, now: Date): Promise<void> {
  const admin = store.admin;
  const given = new Set((await store.listCursors('seeded:')).map((c) => c.key));
  const seed = async (kind: RecordKind, records: readonly { id: string }[]) => {
    const fresh = records.filter((r) => !given.has(`seeded:${kind}:${r.id}`));
    if (fresh.length === 0) return;
    const have = new Set((await admin.listRecords(kind)).map((r) => r.id));
    const changes: RecordChange[] = fresh.filter((r) => !have.has(r.id)).map((r) => ({ kind, id: r.id, data: r, expectVersion: 0, action: 'seed' }));
    for (const change of changes) {
      try {
        await admin.saveRecords([change], ACTOR, now);
      } catch (err) {
        // another process starting at the same moment seeded it first
        if (!(err instanceof VersionConflictError)) throw err;
      }
    }
    await store.setCursors(fresh.map((r) => ({ key: `seeded:${kind}:${r.id}`, value: now.toISOString() })));
  };
  await seed('department', departments(source));
  await seed('ward', source.wards.map((w): WardOffice => ({ id: w.id, name: { en: w.name.en, mr: w.name.mr }, enabled: true })));
  await seed('mapping', source.mappings);
  await seed('rule', [...source.rules, ...categoryRules(source.categories)]);
  await seed('sla', source.sla);
  // from now on the store's rules are all there is (the router stops falling back on the categories' own)
  if (!given.has(RULES_SEEDED)) await store.setCursor(RULES_SEEDED, now.toISOString());
}
