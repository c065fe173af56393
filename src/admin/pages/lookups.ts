import type { Department, WardOffice } from '../../model/index.ts';
import type { AdminPagesDeps } from './deps.ts';
import type { Option } from './forms.ts';
import type { Words } from './words-en.ts';

/** The names the pages show instead of ids: departments, ward offices, and the categories of config. */
export interface Lookups {
  departments: readonly Department[];
  wards: readonly WardOffice[];
  categories: readonly string[];
  categoryNames: ReadonlyMap<string, { en: string; mr: string }>;
}

// names are what every officer sees on every ticket: read from the store directly, not through a role check
export async function loadLookups(deps: AdminPagesDeps): Promise<Lookups> {
  const [departments, wards] = await Promise.all([deps.store.admin.listRecords('department'), deps.store.admin.listRecords('ward')]);
  return {
    departments: departments.map((r) => r.data as Department),
    wards: wards.map((r) => r.data as WardOffice),
    categories: deps.categories,
    categoryNames: deps.categoryNames ?? new Map(),
  };
}

/** a department's or ward office's name in the page's language; its id when it has none */
export function nameOf(list: readonly (Department | WardOffice)[], id: string | undefined, t: Words): string {
  if (id === undefined) return '';
  const found = list.find((d) => d.id === id);
  return found ? found.name[t.lang] : id;
}

/** a category's name in the page's language; its id when config gives none */
export function categoryName(lookups: Lookups, id: string | undefined, t: Words): string | undefined {
  return id === undefined ? undefined : (lookups.categoryNames.get(id)?.[t.lang] ?? id);
}

/** the choices of a select: enabled ones, and the current value even if it has been disabled since */
export function namedOptions(list: readonly (Department | WardOffice)[], t: Words, o: { none?: string; keep?: string } = {}): Option[] {
  const shown = list.filter((d) => d.enabled !== false || d.id === o.keep).map((d) => ({ value: d.id, label: `${d.name[t.lang]} (${d.id})` }));
  return o.none === undefined ? shown : [{ value: '', label: o.none }, ...shown];
}
