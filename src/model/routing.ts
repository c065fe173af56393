import { z } from 'zod';
import { Channel } from './common.ts';

/** How soon a complaint must be acted on; `urgent` ones (an overflowing drain, a dead animal) go first. */
export const Priority = z.enum(['urgent', 'normal']);
export type Priority = z.infer<typeof Priority>;

const Id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, "-", "_" or "." (at most 64)');

/** What a rule looks at; every condition given must hold, and a list holds when any of its items does. */
export const RuleConditions = z
  .object({
    channels: z.array(Channel).min(1).optional(),
    /** category ids of config/categories.yaml, as the words or the source say */
    categories: z.array(z.string().min(1)).min(1).optional(),
    /** ward office ids, from the text, the bot's question or the mapping */
    wards: z.array(z.string().min(1)).min(1).optional(),
    /** six-digit PIN codes written in the message */
    pinCodes: z.array(z.string().regex(/^4\d{5}$/, 'a six-digit PIN code (Pune\'s start with 4)')).min(1).optional(),
    /** words or phrases in any script; case, vowel length and glued Marathi endings do not matter */
    keywords: z.array(z.string().trim().min(1).max(100)).min(1).max(200).optional(),
    /** a regular expression (JavaScript syntax, case-insensitive, Unicode) for what keywords cannot say */
    pattern: z.string().min(1).max(500).optional(),
    /** a shared pin within this distance of a point: an area with no name the citizen would write */
    near: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180), radiusKm: z.number().positive().max(50) }).optional(),
  })
  .strict();
export type RuleConditions = z.infer<typeof RuleConditions>;

export const RuleOutcome = z
  .object({
    department: z.string().min(1).optional(),
    ward: z.string().min(1).optional(),
    priority: Priority.optional(),
  })
  .strict()
  .refine((o) => o.department !== undefined || o.ward !== undefined || o.priority !== undefined, { message: 'a rule must set a department, a ward or a priority' });
export type RuleOutcome = z.infer<typeof RuleOutcome>;

/**
 * A routing rule staff write. Rules are read in `order`; for each of department, ward and priority the first
 * enabled rule that matches and sets it decides it.
 */
export const RoutingRule = z
  .object({
    id: Id,
    name: z.string().trim().min(1).max(120),
    order: z.number().int().min(0).max(1_000_000),
    when: RuleConditions,
    then: RuleOutcome,
    enabled: z.boolean().default(true),
  })
  .strict();
export type RoutingRule = z.infer<typeof RoutingRule>;

/** How long a category's complaints may take: hours on the clock, or working days of the city's calendar. */
export const SlaPolicy = z
  .object({
    id: Id,
    /** a category id, or '*' for every category without its own */
    category: z.string().min(1),
    /** only for complaints of this priority (an urgent one gets less time); absent: any */
    priority: Priority.optional(),
    hours: z.number().positive().max(24 * 365).optional(),
    workingDays: z.number().int().positive().max(365).optional(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .refine((s) => (s.hours === undefined) !== (s.workingDays === undefined), { message: 'give hours or workingDays (one of them, more than zero)', path: ['hours'] });
export type SlaPolicy = z.infer<typeof SlaPolicy>;

export const LocalName = z.object({ en: z.string().trim().min(1), mr: z.string().trim().min(1), hi: z.string().trim().min(1).optional() }).strict();

/** A department complaints go to (SWM, WATER …); its names are what citizens and officers read. */
export const Department = z
  .object({ id: Id, name: LocalName, email: z.string().email().optional(), enabled: z.boolean().default(true) })
  .strict();
export type Department = z.infer<typeof Department>;

/** A ward office (क्षेत्रीय कार्यालय); the places citizens name for it stay in config/wards.yaml. */
export const WardOffice = z
  .object({ id: Id, name: LocalName, email: z.string().email().optional(), enabled: z.boolean().default(true) })
  .strict();
export type WardOffice = z.infer<typeof WardOffice>;

/** Why a ticket went where it did, kept on the ticket so staff can see it and fix the rule or mapping. */
export const RoutingExplanation = z.object({
  mappingId: z.string(),
  department: z.object({ by: z.enum(['rule', 'mapping', 'source', 'staff']), ruleId: z.string().optional(), ruleName: z.string().optional() }),
  ward: z.object({ by: z.enum(['rule', 'mapping', 'text', 'staff']), ruleId: z.string().optional(), ruleName: z.string().optional() }).optional(),
  priority: z.object({ ruleId: z.string(), ruleName: z.string() }).optional(),
  sla: z.object({
    policyId: z.string().optional(),
    hours: z.number().optional(),
    workingDays: z.number().optional(),
    /** days the count skipped and why ("2026-03-03 Holi") */
    skipped: z.array(z.string()).optional(),
    /** a year the count went through that the holiday calendar does not list: its holidays were not skipped */
    uncovered: z.number().int().optional(),
  }),
  /** no rule gave a department: the ticket waits in the unrouted queue with the mapping's default */
  unrouted: z.boolean().optional(),
});
export type RoutingExplanation = z.infer<typeof RoutingExplanation>;
