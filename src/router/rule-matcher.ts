import type { RoutingRule } from '../model/index.ts';
import { PhraseIndex } from '../normalizer/match-key.ts';
import type { RoutingFacts } from './routing-facts.ts';

/** Staff's regular expressions see at most this much of a complaint, so a careless one stays cheap. */
const PATTERN_TEXT_LIMIT = 4000;

export interface RuleHit {
  ruleId: string;
  ruleName: string;
  /** the rule looked at the category: the department is the category's, worth telling the citizen */
  byCategory: boolean;
}

export interface RuleDecision {
  department?: RuleHit & { value: string };
  ward?: RuleHit & { value: string };
  priority?: RuleHit & { value: 'urgent' | 'normal' };
}

interface CompiledRule {
  rule: RoutingRule;
  keywords?: PhraseIndex<true>;
  pattern?: RegExp;
}

/** great-circle distance in km */
function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** the rule's regular expression, or why it is not one */
export function compilePattern(pattern: string): RegExp | string {
  try {
    return new RegExp(pattern, 'iu');
  } catch (err) {
    return (err as Error).message;
  }
}

function compile(rule: RoutingRule): CompiledRule {
  const compiled: CompiledRule = { rule };
  if (rule.when.keywords) {
    const index = new PhraseIndex<true>();
    for (const k of rule.when.keywords) index.add(k, true);
    compiled.keywords = index;
  }
  if (rule.when.pattern) {
    const re = compilePattern(rule.when.pattern);
    // validated when saved; a bad one read from an old store matches nothing rather than stopping routing
    compiled.pattern = typeof re === 'string' ? /(?!)/u : re;
  }
  return compiled;
}

function matches({ rule, keywords, pattern }: CompiledRule, facts: RoutingFacts, ward: string | undefined): boolean {
  const w = rule.when;
  if (w.channels && !w.channels.includes(facts.channel)) return false;
  if (w.categories && !(facts.category && w.categories.includes(facts.category))) return false;
  if (w.wards && !(ward && w.wards.includes(ward))) return false;
  if (w.pinCodes && !(facts.pinCodes ?? []).some((p) => w.pinCodes!.includes(p))) return false;
  if (w.near && !(facts.location && distanceKm(facts.location, w.near) <= w.near.radiusKm)) return false;
  if (keywords && keywords.scan(facts.text).length === 0) return false;
  if (pattern && !pattern.test(facts.text.slice(0, PATTERN_TEXT_LIMIT))) return false;
  return true;
}

/**
 * Compiles the rules once; the returned function is pure. Rules are read in their order (then id); for each of
 * department, ward and priority, the first enabled rule that matches and sets it decides it.
 */
export function compileRules(rules: readonly RoutingRule[]): (facts: RoutingFacts, ward: string | undefined) => RuleDecision {
  const ordered = rules
    .filter((r) => r.enabled)
    .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id))
    .map(compile);
  return (facts, ward) => {
    const decision: RuleDecision = {};
    for (const c of ordered) {
      const { then } = c.rule;
      const wanted = (then.department && !decision.department) || (then.ward && !decision.ward) || (then.priority && !decision.priority);
      if (!wanted || !matches(c, facts, ward)) continue;
      const hit = { ruleId: c.rule.id, ruleName: c.rule.name, byCategory: c.rule.when.categories !== undefined };
      if (then.department && !decision.department) decision.department = { ...hit, value: then.department };
      if (then.ward && !decision.ward) decision.ward = { ...hit, value: then.ward };
      if (then.priority && !decision.priority) decision.priority = { ...hit, value: then.priority };
      if (decision.department && decision.ward && decision.priority) break;
    }
    return decision;
  };
}
