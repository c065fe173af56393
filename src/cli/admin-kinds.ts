import { ruleOrder } from '../router/rule-order.ts';

/**
 * The records `pmc-bridge mappings|rules|sla|users` edit, as flags and table columns. Pure data: the rules a record
 * must follow live in the admin service (src/admin), never here.
 */

export interface FlagSpec {
  /** commander's flag text, e.g. '--sla-hours <n>' */
  flag: string;
  /** where the value goes in the record, dotted: 'slaHours', 'when.keywords' */
  field: string;
  help: string;
  /** number: parsed strictly; many: the flag may be repeated, and collects a list */
  type?: 'number' | 'many';
  /** only for add (an id cannot change) */
  addOnly?: boolean;
}

export interface KindSpec {
  /** the command group: `pmc-bridge <group> list` */
  group: string;
  kind: 'mapping' | 'rule' | 'sla' | 'user';
  about: string;
  flags: readonly FlagSpec[];
  /** what `add` starts from, under --json and the flags */
  addDefaults: Record<string, unknown>;
  /** on edit, a field given by flag that rules out another: --hours removes workingDays */
  clears?: Record<string, string>;
  columns: readonly string[];
  row: (item: Record<string, unknown>) => string[];
  /** the order `list` prints in (else the store's, by id) */
  sort?: (a: Record<string, unknown>, b: Record<string, unknown>) => number;
}

const text = (v: unknown) => (v === undefined || v === null ? '—' : Array.isArray(v) ? v.join(', ') || '—' : String(v));
const yesNo = (v: unknown) => (v === false ? 'no' : 'yes');
const many = 'repeat for several; on edit the list replaces the old one';

// what tells rules apart first: the cell is cut at 48 characters
const WHEN_ORDER = ['keywords', 'pattern', 'categories', 'pinCodes', 'wards', 'near', 'channels'];

/** a rule's conditions in a table cell: "keywords: मेलेले जनावर, dead animal; channels: sms" */
function shortWhen(when: unknown): string {
  const entries = Object.entries((when ?? {}) as Record<string, unknown>).sort(([a], [b]) => WHEN_ORDER.indexOf(a) - WHEN_ORDER.indexOf(b));
  const parts = entries.map(([k, v]) =>
    `${k}: ${Array.isArray(v) ? v.join(', ') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`,
  );
  return parts.join('; ') || 'every complaint';
}

const shortThen = (then: unknown) => Object.entries((then ?? {}) as Record<string, unknown>).map(([k, v]) => `${k} ${String(v)}`).join(', ');

const mappings: KindSpec = {
  group: 'mappings',
  kind: 'mapping',
  about: 'which channel account goes to which department, ward, language and reply policy',
  flags: [
    { flag: '--id <id>', field: 'id', help: 'the mapping id, e.g. sms-ward5', addOnly: true },
    { flag: '--channel <channel>', field: 'channel', help: 'sms, webchat, facebook, twitter, email, lokshahi, phone or api' },
    { flag: '--account <account>', field: 'accountId', help: "the channel's account (an SMS number like +912025501000, a page id), or * for the channel's fallback" },
    { flag: '--department <code>', field: 'department', help: 'the department its complaints go to when no rule says otherwise' },
    { flag: '--ward <ward>', field: 'ward', help: 'the ward office, when the account belongs to one' },
    { flag: '--language <lang>', field: 'defaultLanguage', help: 'mr, hi or en, when the text does not tell (add: mr)' },
    { flag: '--policy <policy>', field: 'replyPolicy', help: 'conversational, one-shot or silent (add: conversational)' },
    { flag: '--sla-hours <n>', field: 'slaHours', help: 'hours to act when no SLA policy says otherwise (add: 72)', type: 'number' },
  ],
  addDefaults: { defaultLanguage: 'mr', replyPolicy: 'conversational', slaHours: 72 },
  columns: ['id', 'channel', 'account', 'department', 'ward', 'language', 'policy', 'enabled'],
  row: (m) => [text(m.id), text(m.channel), text(m.accountId), text(m.department), text(m.ward), text(m.defaultLanguage), text(m.replyPolicy), yesNo(m.enabled)],
};

const rules: KindSpec = {
  group: 'rules',
  kind: 'rule',
  about: 'routing rules, read by order: for department, ward and priority the first matching rule that sets it decides',
  flags: [
    { flag: '--id <id>', field: 'id', help: 'the rule id, e.g. dead-animal-urgent', addOnly: true },
    { flag: '--name <name>', field: 'name', help: 'what the rule is for, as staff read it' },
    { flag: '--order <n>', field: 'order', help: 'lower is read first', type: 'number' },
    { flag: '--category <id>', field: 'when.categories', help: `when the complaint is of this category (${many})`, type: 'many' },
    { flag: '--ward <ward>', field: 'when.wards', help: `when it is in this ward office (${many})`, type: 'many' },
    { flag: '--pin <pin>', field: 'when.pinCodes', help: `when the text names this PIN code, e.g. 411038 (${many})`, type: 'many' },
    { flag: '--keyword <words>', field: 'when.keywords', help: `when the text has these words, any script (${many})`, type: 'many' },
    { flag: '--pattern <regex>', field: 'when.pattern', help: 'when the text matches this regular expression (case-insensitive)' },
    { flag: '--channel <channel>', field: 'when.channels', help: `when it came by this channel (${many})`, type: 'many' },
    { flag: '--department <code>', field: 'then.department', help: 'then send it to this department' },
    { flag: '--set-ward <ward>', field: 'then.ward', help: 'then give it to this ward office' },
    { flag: '--priority <priority>', field: 'then.priority', help: 'then give it this priority: urgent or normal' },
  ],
  addDefaults: { when: {}, then: {} },
  columns: ['order', 'id', 'name', 'when', 'then', 'enabled'],
  row: (r) => [text(r.order), text(r.id), text(r.name), shortWhen(r.when), shortThen(r.then), yesNo(r.enabled)],
  // as the router reads them
  sort: (a, b) => ruleOrder({ order: Number(a.order), id: String(a.id) }, { order: Number(b.order), id: String(b.id) }),
};

const sla: KindSpec = {
  group: 'sla',
  kind: 'sla',
  about: "how long a category's complaints may take: hours on the clock or working days",
  flags: [
    { flag: '--id <id>', field: 'id', help: 'the policy id, e.g. garbage-urgent', addOnly: true },
    { flag: '--category <id>', field: 'category', help: 'a category id of config/categories.yaml, or * for every category without its own' },
    { flag: '--priority <priority>', field: 'priority', help: 'only for complaints of this priority: urgent or normal' },
    { flag: '--hours <n>', field: 'hours', help: 'hours on the clock (or --working-days)', type: 'number' },
    { flag: '--working-days <n>', field: 'workingDays', help: "working days of the city's calendar (or --hours)", type: 'number' },
  ],
  addDefaults: {},
  clears: { hours: 'workingDays', workingDays: 'hours' },
  columns: ['id', 'category', 'priority', 'time', 'enabled'],
  row: (s) => [text(s.id), text(s.category), s.priority === undefined ? 'any' : text(s.priority), s.hours !== undefined ? `${text(s.hours)} h` : `${text(s.workingDays)} working days`, yesNo(s.enabled)],
};

const users: KindSpec = {
  group: 'users',
  kind: 'user',
  about: 'staff who sign in to the web admin or hold API tokens',
  flags: [
    { flag: '--name <name>', field: 'name', help: 'their full name' },
    { flag: '--role <role>', field: 'role', help: 'admin, supervisor or officer' },
    { flag: '--ward <ward>', field: 'wards', help: `an officer sees this ward office's tickets (${many})`, type: 'many' },
    { flag: '--department <code>', field: 'departments', help: `an officer sees this department's tickets (${many})`, type: 'many' },
    { flag: '--language <lang>', field: 'language', help: 'the web admin in mr or en (add: mr)' },
  ],
  addDefaults: {},
  columns: ['id', 'name', 'role', 'wards', 'departments', 'language', 'password', 'enabled'],
  row: (u) => [text(u.id), text(u.name), text(u.role), text(u.wards), text(u.departments), text(u.language), yesNo(u.hasPassword), yesNo(u.enabled)],
};

export const KINDS: readonly KindSpec[] = [mappings, rules, sla, users];
