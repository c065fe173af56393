// The checks a rule must pass before it is saved: a rule that can never decide anything, or one that would leave
// others never deciding, is refused by field; areas, keyword order and ties are compared as the router reads them.
import { describe, expect, it } from 'vitest';
import { checkMapping, checkRule, checkText, type CheckContext } from '../../src/admin/record-checks.ts';
import { ChannelMapping, type ChannelMappingInput, type RoutingRule } from '../../src/model/index.ts';
import { resolveMapping } from '../../src/router/resolve-mapping.ts';

const rule = (over: Partial<RoutingRule> & Pick<RoutingRule, 'id' | 'order' | 'when' | 'then'>): RoutingRule => ({ name: over.id, enabled: true, ...over });
function context(rules: RoutingRule[]): CheckContext {
  const records: Record<string, unknown[]> = { rule: rules, department: [{ id: 'SWM' }, { id: 'HEALTH' }, { id: 'WATER' }], ward: [{ id: 'aundh-baner' }, { id: 'hadapsar-mundhwa' }] };
  return { categories: new Set(['garbage', 'drainage']), records: async <T>(kind: string) => (records[kind] ?? []) as T[] };
}
const fields = async (r: RoutingRule, others: RoutingRule[]) => (await checkRule(r, context(others))).map((p) => p.field);

describe('a rule that can never decide anything', () => {
  it('two rules for two different areas are both fine', async () => {
    const magarpatta = rule({ id: 'magarpatta', order: 1, when: { near: { lat: 18.5158, lon: 73.9272, radiusKm: 1.5 } }, then: { ward: 'hadapsar-mundhwa' } });
    const baner = rule({ id: 'baner', order: 2, when: { near: { lat: 18.559, lon: 73.7868, radiusKm: 2 } }, then: { ward: 'aundh-baner' } });
    expect(await fields(baner, [magarpatta])).toEqual([]);
  });

  it('the same keywords in another order, and a narrower rule after a broader one, are caught', async () => {
    const first = rule({ id: 'a-first', order: 10, when: { keywords: ['dead dog', 'मेलेला कुत्रा'] }, then: { department: 'HEALTH' } });
    expect(await fields(rule({ id: 'b-again', order: 20, when: { keywords: ['मेलेला कुत्रा', 'dead dog'] }, then: { department: 'HEALTH' } }), [first])).toEqual(['order']);
    const garbage = rule({ id: 'garbage', order: 10, when: { categories: ['garbage'] }, then: { department: 'SWM' } });
    expect(await fields(rule({ id: 'garbage-aundh', order: 20, when: { categories: ['garbage'], wards: ['aundh-baner'] }, then: { department: 'WATER' } }), [garbage])).toEqual(['order']);
    // setting something the earlier rule does not (a priority) is not dead
    expect(await fields(rule({ id: 'garbage-urgent', order: 20, when: { categories: ['garbage'] }, then: { priority: 'urgent' } }), [garbage])).toEqual([]);
  });

  it('ties are broken as the router breaks them (by id, the same on every machine)', async () => {
    const upper = rule({ id: 'B-rule', order: 5, when: { categories: ['garbage'] }, then: { department: 'SWM' } });
    const lower = rule({ id: 'a-rule', order: 5, when: { categories: ['garbage'] }, then: { department: 'SWM' } });
    // 'B' < 'a' in code units: B-rule is read first, so a-rule is the dead one
    expect(await fields(lower, [upper])).toEqual(['order']);
    expect(await fields(upper, [lower])).toEqual(['order']); // and saving B-rule would leave a-rule dead
  });

  it('a catch-all put first is refused, naming the rules it would leave dead', async () => {
    const garbage = rule({ id: 'garbage', order: 10, when: { categories: ['garbage'] }, then: { department: 'SWM' } });
    const all = rule({ id: 'everything', order: 0, when: {}, then: { department: 'WATER' } });
    const problems = await checkRule(all, context([garbage]));
    expect(problems).toEqual([{ field: 'order', message: expect.stringContaining('"garbage"') }]);
  });

  it('refuses a pattern that takes exponential time, and one that is slow on texts made to make it backtrack', async () => {
    for (const pattern of ['^(\\p{L}+\\s?)+$', '(a|aa)+$', '(\\w)\\1', '\\w*\\w*\\w*z']) {
      expect(await fields(rule({ id: 'p', order: 1, when: { pattern }, then: { priority: 'urgent' } }), []), pattern).toEqual(['when.pattern']);
    }
    expect(await fields(rule({ id: 'p', order: 1, when: { pattern: '(hospital|रुग्णालय|अस्पताल)\\s*(gate|जवळ|के पास)' }, then: { priority: 'urgent' } }), [])).toEqual([]);
  });
});

describe('reply texts', () => {
  it('keeps the ticket number in a text that must have it, and the "no" button out of reach', () => {
    expect(checkText({ id: 'mr.filed', lang: 'mr', key: 'filed', text: 'तक्रार नोंदवली, मुदत {dueDate}' }).map((p) => p.field)).toEqual(['text']);
    expect(checkText({ id: 'mr.filed', lang: 'mr', key: 'filed', text: 'आपली तक्रार क्र. {ticketNo} नोंदवली. मुदत {dueDate}.' })).toEqual([]);
    expect(checkText({ id: 'hi.no', lang: 'hi', key: 'no', text: 'नहीं, धन्यवाद' }).map((p) => p.field)).toEqual(['key']);
  });
});

describe('a mapping for an account another mapping has', () => {
  const mapping = (over: Partial<ChannelMappingInput> & Pick<ChannelMappingInput, 'id' | 'channel' | 'accountId'>) =>
    ChannelMapping.parse({ department: 'SWM', defaultLanguage: 'mr', replyPolicy: 'one-shot', ...over });
  const stored = [
    mapping({ id: 'email-takrar', channel: 'email', accountId: 'takrar@pmc.gov.in' }),
    mapping({ id: 'x-pmc', channel: 'twitter', accountId: 'PMCPune' }),
    mapping({ id: 'fb-page', channel: 'facebook', accountId: '104729384756' }),
    mapping({ id: 'sms-ward5', channel: 'sms', accountId: '+912066005555' }),
  ];
  const ctx: CheckContext = { ...context([]), records: async <T>(kind: string) => (kind === 'mapping' ? stored : kind === 'department' ? [{ id: 'SWM' }] : []) as T[] };
  const clash = async (m: ChannelMapping) => (await checkMapping(m, ctx)).filter((p) => p.field === 'accountId').map((p) => p.message);

  it('is refused, whatever the capitals of a mailbox address or an X handle', async () => {
    expect(await clash(mapping({ id: 'email-new', channel: 'email', accountId: 'Takrar@PMC.gov.in' }))).toEqual([
      'email account Takrar@PMC.gov.in is already mapped by "email-takrar" (as takrar@pmc.gov.in): edit that mapping instead',
    ]);
    expect(await clash(mapping({ id: 'x-new', channel: 'twitter', accountId: 'pmcpune' }))).toHaveLength(1);
    expect(await clash(mapping({ id: 'sms-new', channel: 'sms', accountId: '+912066005555' }))).toHaveLength(1);
  });

  it('is fine for another account, the same account on another channel, and the mapping itself', async () => {
    expect(await clash(mapping({ id: 'email-other', channel: 'email', accountId: 'tax@pmc.gov.in' }))).toEqual([]);
    expect(await clash(mapping({ id: 'x-mail', channel: 'email', accountId: 'pmcpune' }))).toEqual([]);
    expect(await clash(mapping({ id: 'fb-other', channel: 'facebook', accountId: '104729384757' }))).toEqual([]);
    expect(await clash(mapping({ id: 'email-takrar', channel: 'email', accountId: 'Takrar@pmc.gov.in' }))).toEqual([]);
  });

  it('routes a mail to the mailbox however either side writes it, as the check treats them as one', () => {
    const defaults = { department: 'call-centre', language: 'mr' as const, slaHours: 72 };
    expect(resolveMapping(stored, 'email', 'TAKRAR@pmc.gov.in', defaults).id).toBe('email-takrar');
    expect(resolveMapping(stored, 'twitter', 'pmcpune', defaults).id).toBe('x-pmc');
    // an SMS number is matched as written
    expect(resolveMapping(stored, 'sms', '+912066005556', defaults).id).toBe('default-sms');
  });
});
