import { Department, WardOffice } from '../model/index.ts';
import type { AdminStore } from '../store/admin-store.ts';

export type ReportLanguage = 'mr' | 'hi' | 'en';

/** The names a report shows for ids: from the admin records, the id itself for one that has none. */
export interface ReportNames {
  /** the overall line's name */
  overall: string;
  department(id: string): string;
  /** undefined: the tickets with no ward office */
  ward(id: string | undefined): string;
}

const OVERALL: Record<ReportLanguage, string> = { mr: 'संपूर्ण महानगरपालिका', hi: 'पूरी महानगरपालिका', en: 'All of PMC' };
const NO_WARD: Record<ReportLanguage, string> = { mr: '(क्षेत्रीय कार्यालय नाही)', hi: '(कोई क्षेत्रीय कार्यालय नहीं)', en: '(no ward office)' };

// a Hindi name is optional: the Marathi one is in the same script
const pick = (name: { en: string; mr: string; hi?: string | undefined }, lang: ReportLanguage) => (lang === 'hi' ? (name.hi ?? name.mr) : name[lang]);

/** the departments' and ward offices' names in `lang`, read once (a record that does not parse is named by its id) */
export async function loadReportNames(admin: AdminStore, lang: ReportLanguage): Promise<ReportNames> {
  const [departments, wards] = await Promise.all([admin.listRecords('department'), admin.listRecords('ward')]);
  const named = (records: readonly { id: string; data: unknown }[], schema: typeof Department | typeof WardOffice) =>
    new Map(
      records.flatMap((r) => {
        const parsed = schema.safeParse(r.data);
        return parsed.success ? [[r.id, pick(parsed.data.name, lang)] as const] : [];
      }),
    );
  const d = named(departments, Department);
  const w = named(wards, WardOffice);
  return {
    overall: OVERALL[lang],
    department: (id) => d.get(id) ?? id,
    ward: (id) => (id === undefined ? NO_WARD[lang] : (w.get(id) ?? id)),
  };
}
