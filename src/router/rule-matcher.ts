import type { RoutingRule } from '../model/index.ts';
import { compileKeywords } from './keyword-match.ts';
import { PatternRunner } from './pattern-runner.ts';
import { ruleOrder } from './rule-order.ts';
import { patternRisk } from './pattern-safety.ts';
import type { RoutingFacts } from './routing-facts.ts';

/** Staff's regular expressions see at most this much of a complaint, so a careless one stays cheap. */
const PATTERN_TEXT_LIMIT = 2000;

export interface RuleHit {
  ruleId: string;
  ruleName: string;
}

export interface RuleDecision {
  department?: RuleHit & { value: string };
  ward?: RuleHit & { value: string };
  priority?: RuleHit & { value: 'urgent' | 'normal' };
}

interface CompiledRule {
  rule: RoutingRule;
  keywords?: (text: string) => boolean;
  /** its place in the PatternRunner */
  pattern?: number;
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

function compile(rule: RoutingRule, patterns: RegExp[]): CompiledRule {
  const compiled: CompiledRule = { rule };
  if (rule.when.keywords) compiled.keywords = compileKeywords(rule.when.keywords);
  if (rule.when.pattern) {
    const re = compilePattern(rule.when.pattern);
    // validated when saved; a bad or risky one written some other way matches nothing rather than stall routing
    compiled.pattern = patterns.push(typeof re === 'string' || patternRisk(rule.when.pattern) ? /(?!)/u : re) - 1;
  }
  return compiled;
}

function matches({ rule, keywords, pattern }: CompiledRule, facts: RoutingFacts, ward: string | undefined, patternHits: () => boolean[]): boolean {
  const w = rule.when;
  if (w.channels && !w.channels.includes(facts.channel)) return false;
  if (w.categories && !(facts.category && w.categories.includes(facts.category))) return false;
  if (w.wards && !(ward && w.wards.includes(ward))) return false;
  if (w.pinCodes && !(facts.pinCodes ?? []).some((p) => w.pinCodes!.includes(p))) return false;
  if (w.near && !(facts.location && distanceKm(facts.location, w.near) <= w.near.radiusKm)) return false;
  if (keywords && !keywords(facts.text)) return false;
  if (pattern !== undefined && !patternHits()[pattern]) return false;
  return true;
}

/**
 * Compiles the rules once; the returned function is pure. Rules are read in their order (then id); for each of
 * department, ward and priority, the first enabled rule that matches and sets it decides it.
 */
export function compileRules(rules: readonly RoutingRule[], onSlowPattern?: (ruleId: string) => void): (facts: RoutingFacts, ward: string | undefined) => RuleDecision {
  const patterns: RegExp[] = [];
  const ordered = rules
    .filter((r) => r.enabled)
    .sort(ruleOrder)
    .map((r) => compile(r, patterns));
  const ruleOfPattern = ordered.filter((c) => c.pattern !== undefined).map((c) => c.rule.id);
  const runner = new PatternRunner(patterns, (i) => onSlowPattern?.(ruleOfPattern[i]!));
  return (facts, ward) => {
    // every pattern of the message in one timed run, the first time a rule needs one
    let hits: boolean[] | undefined;
    const patternHits = () => (hits ??= runner.run(facts.text.slice(0, PATTERN_TEXT_LIMIT)));
    const decision: RuleDecision = {};
    for (const c of ordered) {
      const { then } = c.rule;
      const wanted = (then.department && !decision.department) || (then.ward && !decision.ward) || (then.priority && !decision.priority);
      if (!wanted || !matches(c, facts, ward, patternHits)) continue;
      const hit = { ruleId: c.rule.id, ruleName: c.rule.name };
      if (then.department && !decision.department) decision.department = { ...hit, value: then.department };
      if (then.ward && !decision.ward) decision.ward = { ...hit, value: then.ward };
      if (then.priority && !decision.priority) decision.priority = { ...hit, value: then.priority };
      if (decision.department && decision.ward && decision.priority) break;
    }
    return decision;
  };
}
