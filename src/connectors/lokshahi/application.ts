import { z } from 'zod';

// Every message names its field, so a 422 or a register row's error reads on its own: "applicant.name is missing".
const present = (field: string) => (iss: { input: unknown }) =>
  iss.input === undefined || iss.input === null ? `${field} is missing` : `${field} must be text`;

const text = (field: string, most: number) =>
  z.string({ error: present(field) }).trim().min(1, `${field} is missing`).max(most, `${field} is longer than ${most} characters`);

// A JSON sender may write a token or a mobile number as a number (412, 9876543210): it is read as its digits.
const textOrNumber = (field: string, most: number) =>
  z.union([z.string(), z.number().int().nonnegative().transform(String)], { error: present(field) }).pipe(text(field, most));

/** Optional text: absent, null or blank all mean "not given", so a form's empty box is not an error. */
const optional = <T extends z.ZodType<string | undefined, unknown>>(schema: T) =>
  z.preprocess((v) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v), schema.optional());

const isoDay = (field: string) =>
  z.iso.date({ error: (iss) => (iss.input === undefined ? `${field} is missing` : `${field} must be a date written YYYY-MM-DD (e.g. 2026-03-05)`) });

// Landlines (020 2550 1000) as well as mobiles (+91 98220 12345): 8 to 13 digits with the usual separators.
const PHONE = /^\+?\d[\d ()-]{6,20}$/;
const phone = (field: string) =>
  textOrNumber(field, 24).refine((v) => PHONE.test(v) && v.replace(/\D/g, '').length >= 8 && v.replace(/\D/g, '').length <= 13, {
    message: `${field} must be a phone number: 10 digits, or +91 and 10 digits`,
  });

const Attachment = z.object({
  name: optional(text('attachment name', 256)),
  url: optional(z.string({ error: 'an attachment url must be text' }).trim().pipe(z.url({ protocol: /^https?$/, error: 'an attachment url must be an http(s) address' }).max(2048))),
});

/**
 * One Lokshahi Din application (Form 1(B) at municipal level), from the signed webhook's JSON or a register row.
 * Unknown keys are dropped. Dates are calendar days (YYYY-MM-DD): the register's dd/mm/yyyy is converted first.
 */
export const LokshahiApplication = z.object({
  /** the Lokshahi token number as the office writes it: "LD/2026/0412" or "412" */
  // its key is its NFKC form (tokenKey), where one character may be many (ﷺ is 18): the key is held to 64 too
  token: textOrNumber('token', 64).refine((t) => [...t.normalize('NFKC')].length <= 64, 'token is longer than 64 characters'),
  applicationDate: isoDay('applicationDate'),
  /** the Lokshahi Din the applicant is called to */
  hearingDate: optional(isoDay('hearingDate')),
  applicant: z.object(
    {
      name: text('applicant.name', 200),
      address: optional(text('applicant.address', 1000)),
      mobile: optional(phone('applicant.mobile')),
      email: optional(z.string({ error: 'applicant.email must be text' }).trim().pipe(z.email({ error: 'applicant.email is not an e-mail address' }).max(254))),
    },
    { error: present('applicant') },
  ),
  /** the ward office or department the grievance is against, as the applicant wrote it */
  office: optional(text('office', 200)),
  subject: text('subject', 500),
  description: text('description', 20_000),
  /** the token of the earlier (lower-level or previous) application this one escalates */
  earlierToken: optional(textOrNumber('earlierToken', 64)),
  /** the applicant says this escalates an earlier application */
  escalation: z.boolean({ error: 'escalation must be true or false' }).optional(),
  attachments: z.array(Attachment, { error: 'attachments must be a list' }).max(50, 'attachments: at most 50').optional(),
}, { error: 'the application must be a JSON object' });
export type LokshahiApplication = z.infer<typeof LokshahiApplication>;

export interface ApplicationIssue {
  /** dotted path of the field at fault, "applicant.name", "attachments[1].url"; "" for the whole body */
  field: string;
  message: string;
}

/** Why a value is not an application, one issue per field at fault; empty when it is one. */
export function applicationIssues(value: unknown): ApplicationIssue[] {
  const parsed = LokshahiApplication.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => ({ field: pathOf(i.path), message: i.message }));
}

/** ['attachments', 1, 'url'] → 'attachments[1].url' */
export function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out;
}
