/** Field (dotted for the applicant's: "applicant.name") → the register headers it may come under. */
export type ColumnMap = Record<string, string[]>;

/** The application's fields a register can carry, in the order an error lists them. */
export const FIELDS = [
  'token',
  'applicationDate',
  'hearingDate',
  'applicant.name',
  'applicant.address',
  'applicant.mobile',
  'applicant.email',
  'office',
  'subject',
  'description',
  'earlierToken',
  'escalation',
  'attachments',
] as const;
export type Field = (typeof FIELDS)[number];

/** A register without a column for one of these cannot give a single valid application. */
export const REQUIRED_FIELDS: readonly Field[] = ['token', 'applicationDate', 'applicant.name', 'subject', 'description'];

// Most specific name first: when a register has two columns that both fit a field ("अर्जाचा दिनांक" and "Date"),
// the one named earlier here feeds it. No name appears under two fields.
export const DEFAULT_COLUMNS: ColumnMap = {
  token: ['टोकन क्रमांक', 'टोकन नं.', 'टोकन क्र.', 'टोकन', 'Token No', 'Token Number', 'Token'],
  applicationDate: ['अर्जाचा दिनांक', 'अर्ज दिनांक', 'अर्ज दाखल दिनांक', 'दिनांक', 'Application Date', 'Date of Application', 'Date'],
  hearingDate: ['सुनावणी दिनांक', 'लोकशाही दिन दिनांक', 'Hearing Date', 'Lokshahi Din Date'],
  'applicant.name': ['अर्जदाराचे नाव', 'अर्जदाराचे संपूर्ण नाव', 'नाव', 'Applicant Name', 'Name of Applicant', 'Name'],
  'applicant.address': ['अर्जदाराचा पत्ता', 'पत्ता', 'Address', 'Applicant Address'],
  'applicant.mobile': ['मोबाईल क्रमांक', 'मोबाइल नं.', 'मोबाईल नं.', 'मोबाईल', 'दूरध्वनी क्रमांक', 'Mobile', 'Mobile No', 'Phone', 'Contact No'],
  'applicant.email': ['ई-मेल', 'ईमेल', 'Email', 'E-mail ID'],
  office: ['विभाग / क्षेत्रीय कार्यालय', 'क्षेत्रीय कार्यालय', 'विभाग', 'संबंधित विभाग', 'Ward Office', 'Department', 'Office'],
  subject: ['विषय', 'तक्रारीचा विषय', 'Subject'],
  description: ['तक्रारीचा तपशील', 'तक्रारीचे स्वरूप', 'तपशील', 'Description', 'Grievance', 'Details'],
  earlierToken: ['पूर्वीचा टोकन क्रमांक', 'पूर्वीचा टोकन नं.', 'Earlier Token', 'Earlier Token No', 'Previous Token'],
  escalation: ['अपील', 'Escalation', 'Appeal'],
  attachments: ['कागदपत्रे', 'सोबत जोडलेली कागदपत्रे', 'Attachments', 'Documents'],
};

/**
 * How headers are compared: case, spaces, punctuation and invisible marks do not count, so "Token No." is
 * "token no", "टोकन नं." is "टोकन नं", and a BOM or a zero-width joiner typed into "ई-मेल" changes nothing.
 * Devanagari vowel signs are letters here (\p{M}) and are kept.
 */
export function headerKey(header: string): string {
  return header.normalize('NFC').toLowerCase().replace(/[\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}\s]+/gu, '');
}

/**
 * Staff's extra header names over the defaults: added after them, so a default keeps its precedence. A name
 * given for a field is taken away from any other field it was under, so the config's word is the last one.
 * An unknown field is refused with the list of known ones (a typo in config must not pass silently).
 */
export function mergeColumns(defaults: ColumnMap, extra: ColumnMap): ColumnMap {
  const unknown = Object.keys(extra).filter((f) => !(FIELDS as readonly string[]).includes(f));
  if (unknown.length > 0) throw new Error(`register columns: unknown field ${unknown.map((f) => `"${f}"`).join(', ')}; the fields are ${FIELDS.join(', ')}`);
  const claimed = new Map<string, string>();
  for (const [field, names] of Object.entries(extra)) for (const n of names) claimed.set(headerKey(n), field);
  const out: ColumnMap = {};
  for (const field of new Set([...Object.keys(defaults), ...Object.keys(extra)])) {
    const kept = (defaults[field] ?? []).filter((n) => (claimed.get(headerKey(n)) ?? field) === field);
    const added = (extra[field] ?? []).filter((n) => !kept.some((k) => headerKey(k) === headerKey(n)));
    out[field] = [...kept, ...added];
  }
  return out;
}

export interface HeaderMatch {
  /** field → 0-based index of the column that feeds it */
  columns: Map<string, number>;
  /** required fields no header names, each with the names looked for */
  missing: { field: string; lookedFor: string[] }[];
  /** the refusal for a person, naming every missing field and what it looked for; undefined when none is missing */
  error?: string;
}

/** Which column feeds which field. Two columns that fit one field: the name earlier in the map wins. */
export function matchHeaders(headers: readonly string[], columns: ColumnMap): HeaderMatch {
  const indexOf = new Map<string, number>();
  headers.forEach((h, i) => {
    const key = headerKey(h);
    if (key && !indexOf.has(key)) indexOf.set(key, i);
  });
  const found = new Map<string, number>();
  const missing: HeaderMatch['missing'] = [];
  for (const [field, names] of Object.entries(columns)) {
    const at = names.map((n) => indexOf.get(headerKey(n))).find((i) => i !== undefined);
    if (at !== undefined) found.set(field, at);
    else if ((REQUIRED_FIELDS as readonly string[]).includes(field)) missing.push({ field, lookedFor: names });
  }
  for (const field of REQUIRED_FIELDS)
    if (!(field in columns)) missing.push({ field, lookedFor: [] });
  if (missing.length === 0) return { columns: found, missing };
  const what = missing.map((m) => `${m.field} (a header ${m.lookedFor.length ? m.lookedFor.map((n) => `"${n}"`).join(' or ') : 'configured for it'})`);
  const seen = headers.filter((h) => h.trim()).map((h) => `"${h.trim()}"`).join(', ') || 'none';
  return { columns: found, missing, error: `no column for ${what.join('; ')}. The headers found are: ${seen}` };
}
