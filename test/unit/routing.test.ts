// Routing as staff configure it: the shipped rules (one per category, plus config/routing.yaml's), SLA policies
// and the holiday calendar, on complaints in Marathi, Hindi, English and Marathi/Hindi typed in Latin letters.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCalendar } from '../../src/config/calendar.ts';
import { loadRoutingSeed } from '../../src/config/routing-seed.ts';
import { ChannelMapping, type RoutingRule, type SlaPolicy } from '../../src/model/index.ts';
import { categoryRules } from '../../src/router/category-rules.ts';
import { compileRouting, routeComplaint, type Route } from '../../src/router/route.ts';
import { SHIPPED } from '../support/bot-parts.ts';

const seed = loadRoutingSeed(join(SHIPPED.dir, 'routing.yaml'));
const calendar = loadCalendar(join(SHIPPED.dir, 'holidays.yaml'));
const SHIPPED_RULES: RoutingRule[] = [...seed.rules, ...categoryRules(SHIPPED.gazetteer.categories)];
const MAPPING = ChannelMapping.parse({ id: 'sms-main', channel: 'sms', accountId: '+912066000000', department: 'call-centre', defaultLanguage: 'mr', replyPolicy: 'conversational', slaHours: 72 });
const WARD5 = ChannelMapping.parse({ ...MAPPING, id: 'sms-ward5', accountId: '+912066005555', ward: 'kothrud-bavdhan' });
/** an instant given as India time */
const ist = (local: string) => new Date(`${local}+05:30`);

/** routes a citizen's text the way the pipeline does: what the normalizer finds is what the rules see */
function route(text: string, opts: { rules?: RoutingRule[]; slas?: SlaPolicy[]; at?: Date; mapping?: ChannelMapping; location?: { lat: number; lon: number } } = {}): Route {
  const n = SHIPPED.normalize({ channel: 'sms', accountId: MAPPING.accountId, externalId: 'x', threadKey: 't', sender: { id: '+919800000001' }, receivedAt: (opts.at ?? ist('2026-03-09T10:00')).toISOString(), text, attachments: [], raw: {} });
  const e = n.entities;
  return routeComplaint(compileRouting({ rules: opts.rules ?? SHIPPED_RULES, slas: opts.slas ?? seed.sla, calendar }), opts.mapping ?? MAPPING, {
    channel: 'sms',
    accountId: MAPPING.accountId,
    receivedAt: opts.at ?? ist('2026-03-09T10:00'),
    text: n.text,
    ...(e.categories[0] ? { category: e.categories[0].categoryId } : {}),
    ...(e.ward ? { ward: e.ward.wardId } : {}),
    pinCodes: e.pinCodes.map((p) => p.pin),
    ...(opts.location ? { location: opts.location } : {}),
  });
}

// the table's due dates: working days for most categories, hours on the clock for what is urgent
const TABLE_SLAS: SlaPolicy[] = [
  { id: 'garbage', category: 'garbage', workingDays: 2, enabled: true },
  { id: 'water', category: 'water-supply', workingDays: 3, enabled: true },
  { id: 'urgent', category: '*', priority: 'urgent', hours: 24, enabled: true },
  { id: 'default', category: '*', workingDays: 5, enabled: true },
];

describe('routing tables: department, ward, priority and due date', () => {
  it.each([
    // Saturday 7 March is the first Saturday (worked); Sunday 8 is skipped → Monday 9, Tuesday 10
    ['mr', 'कोथरूडमध्ये तीन दिवसांपासून कचरा उचलला नाही', '2026-03-07T11:00', 'SWM', 'kothrud-bavdhan', 'normal', '2026-03-10T18:00'],
    ['hi', 'हडपसर में नाली ओवरफ्लो हो रही है, बहुत बदबू है', '2026-03-09T10:00', 'DRAINAGE', 'hadapsar-mundhwa', 'urgent', '2026-03-10T10:00'],
    // Gudhi Padwa (Thursday 19), Ramzan-Id (Saturday 21) and the Sunday are skipped → Friday 20, Monday 23, Tuesday 24
    ['hi', 'बाणेर में तीन दिन से पानी नहीं आ रहा है', '2026-03-18T10:00', 'WATER', 'aundh-baner', 'normal', '2026-03-24T18:00'],
    // urgent: 24 hours on the clock, through the second Saturday
    ['en', 'Dead dog lying on the road near Baner for two days', '2026-03-13T16:30', 'HEALTH', 'aundh-baner', 'urgent', '2026-03-14T16:30'],
    // Holi (Tuesday 3 March) is skipped → Wednesday 4, Thursday 5, Friday 6
    ['mr-latn', 'baner la 2 divas pani nahi yet', '2026-03-02T09:00', 'WATER', 'aundh-baner', 'normal', '2026-03-06T18:00'],
    ['hi-latn', 'kothrud me gatar tumbla hai, pura rasta ganda', '2026-03-09T10:00', 'DRAINAGE', 'kothrud-bavdhan', 'urgent', '2026-03-10T10:00'],
    ['mr', 'वारजे येथे पाईपलाईन फुटली आहे, पाणी वाया जात आहे', '2026-03-15T21:00', 'WATER', 'warje-karvenagar', 'urgent', '2026-03-16T21:00'],
    // roads has no policy of its own: the default's 5 working days from Friday 13 (16, 17, 18, 20, 23), past the
    // 2nd Saturday, two Sundays, Gudhi Padwa and Ramzan-Id
    ['en', 'Big pothole on Karve Road near Warje bridge', '2026-03-13T10:00', 'ROADS', 'warje-karvenagar', 'normal', '2026-03-23T18:00'],
  ])('%s: "%s" at %s → %s, %s, %s, due %s', (_lang, text, at, department, ward, priority, due) => {
    const r = route(text, { at: ist(at), slas: TABLE_SLAS });
    expect(r.department).toBe(department);
    expect(r.ward).toBe(ward);
    expect(r.priority).toBe(priority);
    expect(r.slaDueAt).toBe(ist(due).toISOString());
    expect(r.routing.unrouted).toBeUndefined();
    expect(r.routing.department.by).toBe('rule');
  });

  it('a rule read earlier wins: "dead animal" goes to health before the stray-animals category sends it to ANIMALS', () => {
    const r = route('मेलेला कुत्रा रस्त्यावर पडला आहे, बाणेर');
    expect(r.department).toBe('HEALTH');
    expect(r.routing.department).toEqual({ by: 'rule', ruleId: 'dead-animal', ruleName: expect.any(String) });
    expect(r.routing.priority?.ruleId).toBe('dead-animal');
    // reordered by staff, the category decides
    const reordered = SHIPPED_RULES.map((x) => (x.id === 'dead-animal' ? { ...x, order: 5000 } : x));
    expect(route('dead dog near Baner', { rules: reordered }).department).toBe('ANIMALS');
  });

  it('no rule gives a department: the mapping\'s, and the ticket waits in the unrouted queue', () => {
    const r = route('नमस्कार, मला एका गोष्टीबद्दल बोलायचे आहे');
    expect(r.department).toBe('call-centre');
    expect(r.routing).toMatchObject({ mappingId: 'sms-main', department: { by: 'mapping' }, unrouted: true });
    expect(route('कचरा उचलला नाही').routing.unrouted).toBeUndefined();
  });

  it('the ward: a ward office\'s own number first, else what the citizen names, and a rule on a PIN code or a pin where neither says', () => {
    expect(route('कचरा उचलला नाही', { mapping: WARD5 })).toMatchObject({ ward: 'kothrud-bavdhan', routing: { ward: { by: 'mapping' } } });
    expect(route('बाणेरमध्ये कचरा उचलला नाही', { mapping: WARD5 })).toMatchObject({ ward: 'kothrud-bavdhan', routing: { ward: { by: 'mapping' } } });
    expect(route('Baner road par kachra pada hai')).toMatchObject({ ward: 'aundh-baner', routing: { ward: { by: 'text' } } });
    const pin: RoutingRule = { id: 'pin-411028', name: '411028 → Hadapsar', order: 1, when: { pinCodes: ['411028'] }, then: { ward: 'hadapsar-mundhwa' }, enabled: true };
    expect(route('garbage not collected, pin code 411028', { rules: [pin, ...SHIPPED_RULES] })).toMatchObject({ ward: 'hadapsar-mundhwa', department: 'SWM', routing: { ward: { by: 'rule', ruleId: 'pin-411028' } } });
    // a ward a PIN code gave is the ward other rules go by
    const hadapsarGarbage: RoutingRule = { id: 'hadapsar-garbage', name: 'Hadapsar garbage → its own contractor desk', order: 2, when: { wards: ['hadapsar-mundhwa'], categories: ['garbage'] }, then: { department: 'WATER' }, enabled: true };
    expect(route('garbage not collected, pin code 411028', { rules: [pin, hadapsarGarbage, ...SHIPPED_RULES] })).toMatchObject({ ward: 'hadapsar-mundhwa', department: 'WATER', routing: { department: { ruleId: 'hadapsar-garbage' }, ward: { ruleId: 'pin-411028' } } });
    const area: RoutingRule = { id: 'magarpatta', name: 'Magarpatta by its pin', order: 1, when: { near: { lat: 18.5158, lon: 73.9272, radiusKm: 1.5 } }, then: { ward: 'hadapsar-mundhwa' }, enabled: true };
    expect(route('street light not working', { rules: [area, ...SHIPPED_RULES], location: { lat: 18.52, lon: 73.93 } }).ward).toBe('hadapsar-mundhwa');
    expect(route('street light not working', { rules: [area, ...SHIPPED_RULES], location: { lat: 18.60, lon: 73.80 } }).ward).toBeUndefined();
  });

  it('keywords match in any script and form; a pattern catches what keywords cannot; a disabled rule is skipped', () => {
    const school: RoutingRule = { id: 'school', name: 'Near a school is urgent', order: 1, when: { keywords: ['शाळेजवळ', 'school ke paas', 'near school', 'शाळा'] }, then: { priority: 'urgent' }, enabled: true };
    expect(route('SHALA jawal kachra', { rules: [school, ...SHIPPED_RULES] }).priority).toBe('normal');
    expect(route('शाळेजवळ कचऱ्याचा ढीग', { rules: [school, ...SHIPPED_RULES] }).priority).toBe('urgent');
    expect(route('Garbage near SCHOOL gate', { rules: [school, ...SHIPPED_RULES] }).priority).toBe('urgent');
    const hospital: RoutingRule = { id: 'hospital', name: 'Hospital by pattern', order: 2, when: { pattern: '(hospital|रुग्णालय|अस्पताल)\\s*(gate|जवळ|के पास)' }, then: { priority: 'urgent', department: 'HEALTH' }, enabled: true };
    expect(route('ससून रुग्णालय जवळ कचरा', { rules: [hospital, ...SHIPPED_RULES] })).toMatchObject({ department: 'HEALTH', priority: 'urgent' });
    expect(route('ससून रुग्णालय जवळ कचरा', { rules: [{ ...hospital, enabled: false }, ...SHIPPED_RULES] })).toMatchObject({ department: 'SWM', priority: 'normal' });
  });

  it('a rule for one channel leaves the others alone', () => {
    const email: RoutingRule = { id: 'email-tax', name: 'Mail → tax', order: 1, when: { channels: ['email'] }, then: { department: 'TAX' }, enabled: true };
    expect(route('कचरा उचलला नाही', { rules: [email, ...SHIPPED_RULES] }).department).toBe('SWM');
  });
});

describe('the shipped urgent and dead-animal rules, on the ways people say it', () => {
  it.each([
    'The drain is overflowing in front of our building',
    'overflowing drains near Kothrud depot',
    'sewage overflowing on the road since morning',
    'गटार तुंबलं आहे, घाण पाणी रस्त्यावर',
    'कोथरूडमध्ये गटार तुंबली आहे',
    'पाईपलाईन फुटल्याने पाणी वाया जात आहे',
    'हमारे यहाँ पाइपलाइन फट गई है',
    'gatar tumbli ahe baner la',
    'pipeline fatli aahe warje madhe',
  ])('"%s" is urgent', (text) => {
    const r = route(text);
    expect(r.priority).toBe('urgent');
    expect(r.routing.priority?.ruleId).toMatch(/urgent-overflow|dead-animal/);
  });

  it.each(['Dead dogs lying near Kothrud depot', 'mara hua kutta pada hai gali me', 'रस्त्यावर मेलेला कुत्रा पडला आहे', 'मृत जनावर पडले आहे'])('"%s" goes to health, urgently', (text) => {
    expect(route(text)).toMatchObject({ department: 'HEALTH', priority: 'urgent' });
  });

  it.each(['the drain is clean now, thank you', 'my dog is barking all night', 'a dead tree fell on the road', 'पाईपलाईनचे काम चालू आहे'])('"%s" is not urgent', (text) => {
    expect(route(text).priority).toBe('normal');
  });
});

describe('staff patterns under a time limit', () => {
  it('a pattern that backtracks for minutes is cut off, matches nothing, and is reported once; the other rules still decide', () => {
    const slow: string[] = [];
    const bad: RoutingRule = { id: 'slow', name: 'slow', order: 1, when: { pattern: '\\w*\\w*\\w*z' }, then: { priority: 'urgent' }, enabled: true };
    const routing = compileRouting({ rules: [bad, ...SHIPPED_RULES], slas: [], onSlowPattern: (id) => slow.push(id) });
    const facts = { channel: 'sms' as const, accountId: MAPPING.accountId, receivedAt: ist('2026-03-09T10:00'), text: `kachra ${'a'.repeat(1500)}`, category: 'garbage' };
    const started = Date.now();
    expect(routeComplaint(routing, MAPPING, facts)).toMatchObject({ department: 'SWM', priority: 'normal' });
    expect(routeComplaint(routing, MAPPING, facts).priority).toBe('normal');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(slow).toEqual(['slow']);
  });
});

describe('due dates: hours, or working days of the city calendar', () => {
  const slas: SlaPolicy[] = [
    { id: 'garbage', category: 'garbage', workingDays: 2, enabled: true },
    { id: 'urgent', category: '*', priority: 'urgent', hours: 24, enabled: true },
    { id: 'default', category: '*', workingDays: 7, enabled: true },
  ];

  it('skips the second Saturday and the Sunday', () => {
    // Friday 13 March 2026: Saturday 14 is the second Saturday, Sunday 15 → Tuesday 17 at the end of the day
    const r = route('कचरा उचलला नाही', { slas, at: ist('2026-03-13T10:00') });
    expect(r.slaDueAt).toBe(ist('2026-03-17T18:00').toISOString());
    expect(r.routing.sla).toEqual({ policyId: 'garbage', workingDays: 2, skipped: ['2026-03-14 second Saturday', '2026-03-15 Sunday'] });
  });

  it('skips a public holiday (Holi, 3 March 2026), and a complaint made on a Sunday counts from Monday', () => {
    expect(route('garbage not picked up', { slas, at: ist('2026-03-02T11:00') }).slaDueAt).toBe(ist('2026-03-05T18:00').toISOString());
    expect(route('kachra uchalla nahi', { slas, at: ist('2026-03-08T20:00') }).slaDueAt).toBe(ist('2026-03-10T18:00').toISOString());
  });

  it('an urgent complaint gets its own time on the clock; a category without a policy gets the default', () => {
    const urgent = route('नाली ओवरफ्लो हो रही है', { slas, at: ist('2026-03-13T10:00') });
    expect(urgent.slaDueAt).toBe(ist('2026-03-14T10:00').toISOString());
    expect(urgent.routing.sla).toEqual({ policyId: 'urgent', hours: 24 });
    // 7 working days from Monday 9 March: 10–13, 16, 17, 18 (14 and 15 off) → Wednesday 18
    expect(route('street light not working', { slas }).slaDueAt).toBe(ist('2026-03-18T18:00').toISOString());
  });

  it('an urgent complaint keeps its shorter time when its category has a policy of its own', () => {
    const r = route('गटार तुंबलं आहे, कचरा पण आहे', { slas, at: ist('2026-03-13T10:00') });
    expect(r.priority).toBe('urgent');
    expect(r.routing.sla.policyId).toBe('urgent');
  });

  it('says so on the ticket when the count went into a year the holiday list does not cover', () => {
    const r = route('कचरा उचलला नाही', { slas, at: ist('2026-12-30T10:00') });
    expect(r.routing.sla).toMatchObject({ policyId: 'garbage', workingDays: 2, uncovered: 2027 });
  });

  it('without any policy, the mapping\'s hours', () => {
    const r = route('street light not working', { slas: [] });
    expect(r.slaDueAt).toBe(new Date(ist('2026-03-09T10:00').getTime() + 72 * 3_600_000).toISOString());
    expect(r.routing.sla).toEqual({ hours: 72 });
  });
});
