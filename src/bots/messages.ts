import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../config/load.ts';
import { TicketStatus, type Language } from '../model/index.ts';

/**
 * The texts the bot sends, one YAML file a language in config/messages/ that staff edit. Each text may use only its
 * own placeholders, and must use the ones a citizen needs (the ticket number in a confirmation): a mistake stops
 * the start with the file and key, rather than a citizen reading "{ticketNo}".
 */

// for each text: the placeholders it may use, and (after the bar) those it must use
const PLACEHOLDERS = {
  greeting: [],
  wishToComplain: [],
  askWhat: [],
  askWhatAt: ['|', 'place'],
  askWhere: [],
  askWhereText: [],
  askPhoto: [],
  photoWait: [],
  photoAdded: ['|', 'ticketNo'],
  photoNotReceived: [],
  photoNotAdded: ['|', 'ticketNo'],
  photoLater: ['|', 'ticketNo'],
  needWhere: [],
  filed: ['dueDate', '|', 'ticketNo'],
  department: ['|', 'department'],
  oneShotAskWhere: [],
  publicFiled: ['|', 'ticketNo'],
  addedToComplaint: ['|', 'ticketNo'],
  notAdmissible_court: ['|', 'ticketNo'],
  notAdmissible_service: ['|', 'ticketNo'],
  notAdmissible_rti: ['|', 'ticketNo'],
  notAdmissible_several: ['|', 'ticketNo'],
  notAdmissible_escalation_without_token: ['|', 'ticketNo'],
  notAdmissible_other: ['|', 'ticketNo'],
  emailSubject: [],
  status: ['status', 'dueDate', '|', 'ticketNo'],
  statusDone: ['status', 'date', '|', 'ticketNo'],
  statusNotFound: ['here'],
  statusNone: ['here'],
  askRating: ['|', 'ticketNo'],
  ratingAgain: [],
  thanksRating: [],
  followUp: [],
  reopened: ['|', 'ticketNo'],
  statusForwarded: ['|', 'ticketNo', 'place'],
  statusInProgress: ['dueDate', '|', 'ticketNo'],
  statusResolved: ['|', 'ticketNo'],
  statusRejected: ['|', 'ticketNo'],
  statusReopened: ['|', 'ticketNo'],
  statusNote: ['|', 'note'],
  statusReason: ['|', 'reason'],
  ratingReminder: ['|', 'ticketNo'],
  askComment: [],
  thanksComment: [],
  optedOut: [],
  optedIn: [],
  info: [],
  languageSet: [],
  cancelled: [],
  abuse: [],
  offTopic: [],
  outsideArea: ['place', '|', 'authority'],
  outsideContact: ['|', 'contact'],
  publicReply: [],
  notUnderstood: [],
  thanks: [],
  yes: [],
  no: [],
} as const satisfies Record<string, readonly string[]>;

export type MessageKey = keyof typeof PLACEHOLDERS;
export const isMessageKey = (key: string): key is MessageKey => Object.hasOwn(PLACEHOLDERS, key);
const KEYS = Object.keys(PLACEHOLDERS) as MessageKey[];
const LANGUAGES: readonly Language[] = ['mr', 'hi', 'en'];
const PLACEHOLDER = /\{(\w+)\}/g;

const text = z.string().trim().min(1, 'must not be empty');
const FaqEntry = z.object({ keywords: z.array(text).min(1), answer: text }).strict();
export type FaqEntry = z.infer<typeof FaqEntry>;
/** the addresses an FAQ answer may name (config `publicContacts`) */
export const CONTACT_PLACEHOLDERS = ['email', 'website', 'facebook', 'x'] as const;
export type PublicContacts = Partial<Record<(typeof CONTACT_PLACEHOLDERS)[number], string | null>>;
const HERE_CHANNELS = ['sms', 'email', 'webchat', 'other'] as const;
const MessageFile = z
  .object({
    ...Object.fromEntries(KEYS.map((k) => [k, text])),
    /** where the citizen writes from, as {here} in the status answers: "या मोबाईल नंबरवरून" */
    here: z.object(Object.fromEntries(HERE_CHANNELS.map((c) => [c, text]))).strict(),
    statuses: z.object(Object.fromEntries(TicketStatus.options.map((s) => [s, text]))).strict(),
    departments: z.record(z.string(), text).default({}),
    faq: z
      .record(z.string().regex(/^[a-z][a-z0-9-]*$/u, 'an FAQ id is lower-case letters, digits and dashes'), FaqEntry)
      .default({}),
  })
  .strict();

export type MessageTexts = Record<MessageKey, string> & {
  here: Record<(typeof HERE_CHANNELS)[number], string>;
  statuses: Record<TicketStatus, string>;
  /** department code → the name a citizen reads */
  departments: Record<string, string>;
  /** id → the words that ask it (in this file's language and its romanised spelling) and the answer */
  faq: Record<string, FaqEntry>;
};
export type Messages = Readonly<Record<Language, MessageTexts>>;

/** what is wrong with a text for `key` (an unknown placeholder, a missing {ticketNo}); empty when nothing */
export function placeholderProblems(key: MessageKey, value: string): string[] {
  const spec = PLACEHOLDERS[key] as readonly string[];
  const bar = spec.indexOf('|');
  const allowed = new Set(spec.filter((p) => p !== '|'));
  const required = bar === -1 ? [] : spec.slice(bar + 1);
  const used = new Set([...value.matchAll(PLACEHOLDER)].map((m) => m[1]!));
  const problems = [...used].filter((p) => !allowed.has(p)).map((p) => `${key}: unknown placeholder {${p}}`);
  for (const p of required) if (!used.has(p)) problems.push(`${key}: must contain {${p}}`);
  return problems;
}

/** One language's file: parsed, checked, and every mistake named (file and key) in one error. */
export function parseMessages(source: string, fileName: string): MessageTexts {
  let doc: unknown;
  try {
    doc = parseYaml(source);
  } catch (err) {
    throw new ConfigError(`${fileName}: not valid YAML: ${(err as Error).message}`);
  }
  const parsed = MessageFile.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new ConfigError(`${fileName}: ${issues.join('; ')}`);
  }
  const texts = parsed.data as MessageTexts;
  const problems = KEYS.flatMap((k) => placeholderProblems(k, texts[k]));
  for (const [id, entry] of Object.entries(texts.faq))
    for (const m of entry.answer.matchAll(PLACEHOLDER))
      if (!(CONTACT_PLACEHOLDERS as readonly string[]).includes(m[1]!)) problems.push(`faq.${id}.answer: unknown placeholder {${m[1]}} (an answer may name ${CONTACT_PLACEHOLDERS.map((c) => `{${c}}`).join(', ')})`);
  if (problems.length > 0) throw new ConfigError(`${fileName}: ${problems.join('; ')}`);
  return texts;
}

/** config/messages/{mr,hi,en}.yaml; every language is required, since a citizen may write in any of them. */
export function loadMessages(dir: string): Messages {
  const out: Partial<Record<Language, MessageTexts>> = {};
  for (const lang of LANGUAGES) {
    const file = join(dir, `${lang}.yaml`);
    if (!existsSync(file)) throw new ConfigError(`${file} not found: the bot needs its texts in mr, hi and en`);
    out[lang] = parseMessages(readFileSync(file, 'utf8'), file);
  }
  // a question asked in one language is answered in the citizen's: every file must answer the same questions
  const ids = new Set(LANGUAGES.flatMap((l) => Object.keys(out[l]!.faq)));
  for (const lang of LANGUAGES) {
    const missing = [...ids].filter((id) => !out[lang]!.faq[id]);
    if (missing.length > 0) throw new ConfigError(`${join(dir, `${lang}.yaml`)}: faq lacks ${missing.join(', ')} (the other languages answer it)`);
  }
  return out as Messages;
}

/** {here} in a status answer: where this citizen is writing from */
export function hereOf(messages: Messages, lang: Language, channel: string): string {
  const here = messages[lang].here;
  return channel === 'sms' || channel === 'email' || channel === 'webchat' ? here[channel] : here.other;
}

/**
 * An FAQ answer with the city's addresses filled in; undefined while it names one that is not configured (the bot
 * then gives the helpline: it never tells a citizen an address it does not have).
 */
export function faqAnswer(messages: Messages, lang: Language, id: string, contacts: PublicContacts): string | undefined {
  const entry = messages[lang].faq[id];
  if (!entry) return undefined;
  let complete = true;
  const answer = entry.answer.replace(PLACEHOLDER, (_all, name: string) => {
    const value = contacts[name as keyof PublicContacts];
    if (!value) complete = false;
    return value ?? '';
  });
  return complete ? answer : undefined;
}

/** the FAQ entries that name an address not configured, for the start banner: "faq email: publicContacts.email" */
export function missingContacts(messages: Messages, contacts: PublicContacts): string[] {
  const out = new Set<string>();
  for (const texts of Object.values(messages))
    for (const [id, entry] of Object.entries(texts.faq))
      for (const m of entry.answer.matchAll(PLACEHOLDER)) if (!contacts[m[1] as keyof PublicContacts]) out.add(`faq ${id}: publicContacts.${m[1]} is not set`);
  return [...out];
}

/** A department as the citizen reads it: its name in their language, or the code when the file has none. */
export function departmentName(messages: Messages, lang: Language, code: string): string {
  return messages[lang].departments[code] ?? code;
}

/** A text with its placeholders filled. A value the text needs and was not given is a bug: it throws. */
export function say(messages: Messages, lang: Language, key: MessageKey, values: Record<string, string> = {}): string {
  return messages[lang][key].replace(PLACEHOLDER, (_all, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`message ${lang}.${key} needs {${name}}`);
    return value;
  });
}
