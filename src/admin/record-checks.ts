import { isMessageKey, placeholderProblems } from '../bots/messages.ts';
import type { ChannelMapping, RoutingRule, SlaPolicy, StaffUser } from '../model/index.ts';
import { matchTokens } from '../normalizer/match-key.ts';
import { slowOnHardTexts } from '../router/pattern-runner.ts';
import { patternRisk } from '../router/pattern-safety.ts';
import { accountKey } from '../router/resolve-mapping.ts';
import { compilePattern } from '../router/rule-matcher.ts';
import { ruleOrder } from '../router/rule-order.ts';
import type { RecordKind } from '../store/admin-store.ts';
import type { FieldProblem } from './admin-error.ts';

/** What a record is checked against: the categories of config, and the other records as stored. */
export interface CheckContext {
  categories: ReadonlySet<string>;
  records<T>(kind: RecordKind): Promise<T[]>;
}

const ids = async (ctx: CheckContext, kind: 'department' | 'ward') => new Set((await ctx.records<{ id: string; enabled?: boolean }>(kind)).map((r) => r.id));

async function known(ctx: CheckContext, kind: 'department' | 'ward', field: string, values: readonly (string | undefined)[]): Promise<FieldProblem[]> {
  const have = await ids(ctx, kind);
  return values
    .map((v, i) => ({ v, i }))
    .filter(({ v }) => v !== undefined && !have.has(v))
    .map(({ v, i }) => ({ field: values.length > 1 ? `${field}.${i}` : field, message: `no ${kind} "${v}" (add it first, or pick one of: ${[...have].slice(0, 20).join(', ')})` }));
}

export async function checkMapping(m: ChannelMapping, ctx: CheckContext): Promise<FieldProblem[]> {
  const problems = [...(await known(ctx, 'department', 'department', [m.department])), ...(await known(ctx, 'ward', 'ward', [m.ward]))];
  if (m.channel === 'sms' && m.accountId !== '*' && !/^\+[1-9]\d{6,14}$/.test(m.accountId))
    problems.push({ field: 'accountId', message: 'an SMS number in international form, like +912025501000, or * for every number' });
  // compared as routing compares them: Takrar@pmc.gov.in is the mailbox takrar@pmc.gov.in already mapped
  const key = accountKey(m.channel, m.accountId);
  const clash = (await ctx.records<ChannelMapping>('mapping')).find((o) => o.id !== m.id && o.channel === m.channel && accountKey(o.channel, o.accountId) === key);
  if (clash) problems.push({ field: 'accountId', message: `${m.channel} account ${m.accountId} is already mapped by "${clash.id}" (as ${clash.accountId}): edit that mapping instead` });
  return problems;
}

const LISTS = ['channels', 'categories', 'wards', 'pinCodes'] as const;

/**
 * whether every complaint `narrow` matches is matched by `broad` too: each condition of `broad` is one of `narrow`'s
 * and at least as wide (a list holding all of narrow's items; the same keywords, pattern or area)
 */
function covers(broad: RoutingRule['when'], narrow: RoutingRule['when']): boolean {
  for (const key of LISTS) {
    const b = broad[key];
    if (b === undefined) continue;
    const n = narrow[key];
    if (!n || !n.every((x) => (b as readonly string[]).includes(x))) return false;
  }
  const sameSet = (a?: readonly string[], b?: readonly string[]) => a === undefined || (b !== undefined && [...a].sort().join('\n') === [...b].sort().join('\n'));
  if (!sameSet(broad.keywords, narrow.keywords)) return false;
  if (broad.pattern !== undefined && broad.pattern !== narrow.pattern) return false;
  if (broad.near && !(narrow.near && broad.near.lat === narrow.near.lat && broad.near.lon === narrow.near.lon && broad.near.radiusKm >= narrow.near.radiusKm)) return false;
  return true;
}

/** an enabled rule read earlier (the matcher's own order) that always decides, before this one, everything this one sets */
function shadowOf(rule: RoutingRule, rules: readonly RoutingRule[]): RoutingRule | undefined {
  const sets = (r: RoutingRule) => ['department', 'ward', 'priority'].filter((k) => r.then[k as keyof RoutingRule['then']] !== undefined);
  const mine = sets(rule);
  return rules.find((o) => o.id !== rule.id && o.enabled && ruleOrder(o, rule) < 0 && covers(o.when, rule.when) && mine.every((k) => sets(o).includes(k)));
}

/** the enabled rules read after this one that it would now always decide first */
function shadowedBy(rule: RoutingRule, rules: readonly RoutingRule[]): RoutingRule[] {
  return rules.filter((o) => o.id !== rule.id && o.enabled && shadowOf(o, [rule]) !== undefined);
}

export async function checkRule(rule: RoutingRule, ctx: CheckContext): Promise<FieldProblem[]> {
  const { when, then } = rule;
  const problems = [
    ...(await known(ctx, 'department', 'then.department', [then.department])),
    ...(await known(ctx, 'ward', 'then.ward', [then.ward])),
    ...(await known(ctx, 'ward', 'when.wards', when.wards ?? [])),
  ];
  (when.categories ?? []).forEach((c, i) => {
    if (!ctx.categories.has(c)) problems.push({ field: `when.categories.${i}`, message: `no category "${c}" in config/categories.yaml (one of: ${[...ctx.categories].join(', ')})` });
  });
  (when.keywords ?? []).forEach((k, i) => {
    if (matchTokens(k).length === 0) problems.push({ field: `when.keywords.${i}`, message: `"${k}" has no letters or digits: it can never match` });
  });
  if (when.pattern !== undefined) {
    const re = compilePattern(when.pattern);
    const risk = patternRisk(when.pattern);
    if (typeof re === 'string') problems.push({ field: 'when.pattern', message: `not a valid regular expression: ${re}` });
    else if (risk) problems.push({ field: 'when.pattern', message: `${risk}: write it without that, or use keywords` });
    else if (slowOnHardTexts(re)) problems.push({ field: 'when.pattern', message: 'too slow on some texts (it backtracks): write it more simply, or use keywords' });
    else if (re.test('')) problems.push({ field: 'when.pattern', message: 'matches an empty text, so it matches every complaint: use a rule with no pattern for that' });
  }
  if (rule.enabled) {
    const others = await ctx.records<RoutingRule>('rule');
    const shadow = shadowOf(rule, others);
    if (shadow) problems.push({ field: 'order', message: `can never decide anything: rule "${shadow.id}" (order ${shadow.order}) comes first, matches everything this one does and sets the same; give this one a lower order` });
    const hidden = shadowedBy(rule, others);
    if (hidden.length > 0) problems.push({ field: 'order', message: `would leave ${hidden.slice(0, 5).map((h) => `"${h.id}"`).join(', ')} never deciding anything: it comes first and matches everything they do; give it a higher order or narrower conditions` });
  }
  return problems;
}

export async function checkSla(s: SlaPolicy, ctx: CheckContext): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  if (s.category !== '*' && !ctx.categories.has(s.category)) problems.push({ field: 'category', message: `no category "${s.category}" (use * for every category)` });
  const twin = (await ctx.records<SlaPolicy>('sla')).find((o) => o.id !== s.id && o.enabled && s.enabled && o.category === s.category && o.priority === s.priority);
  if (twin) problems.push({ field: 'category', message: `"${twin.id}" already sets the time for ${s.category}${s.priority ? ` (${s.priority})` : ''}: edit that one` });
  return problems;
}

export interface ReplyText {
  id: string;
  lang: 'mr' | 'hi' | 'en';
  key: string;
  text: string;
}

export function checkText(t: ReplyText): FieldProblem[] {
  if (t.id !== `${t.lang}.${t.key}`) return [{ field: 'id', message: `must be "${t.lang}.${t.key}" (language.key)` }];
  if (!isMessageKey(t.key)) return [{ field: 'key', message: `no reply text "${t.key}" (see config/messages/${t.lang}.yaml)` }];
  if (t.key === 'no')
    return [{ field: 'key', message: 'the "no" button is also a word the bot must recognise when the citizen types it: change it in config/messages and config/intents together' }];
  return placeholderProblems(t.key, t.text).map((message) => ({ field: 'text', message }));
}

export async function checkUser(u: StaffUser, ctx: CheckContext): Promise<FieldProblem[]> {
  const problems = [...(await known(ctx, 'ward', 'wards', u.wards)), ...(await known(ctx, 'department', 'departments', u.departments))];
  if (u.role === 'officer' && u.wards.length === 0 && u.departments.length === 0)
    problems.push({ field: 'wards', message: 'an officer needs at least one ward office or department, whose tickets they see' });
  return problems;
}

/** a department or ward office still named by a mapping, rule or user cannot be deleted (disable it instead) */
export async function usesOf(kind: 'department' | 'ward', id: string, ctx: CheckContext): Promise<FieldProblem[]> {
  const field = kind === 'department' ? 'department' : 'ward';
  const mappings = (await ctx.records<ChannelMapping>('mapping')).filter((m) => m[field] === id).map((m) => `mapping ${m.id}`);
  const rules = (await ctx.records<RoutingRule>('rule'))
    .filter((r) => r.then[field] === id || (kind === 'ward' && r.when.wards?.includes(id)))
    .map((r) => `rule ${r.id}`);
  const users = (await ctx.records<StaffUser>('user')).filter((u) => (kind === 'ward' ? u.wards : u.departments).includes(id)).map((u) => `user ${u.id}`);
  const uses = [...mappings, ...rules, ...users];
  return uses.length ? [{ field: 'id', message: `still used by ${uses.slice(0, 10).join(', ')}: change those first, or disable this ${kind}` }] : [];
}
