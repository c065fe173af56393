import type { Attachment, InboundMessage } from '../../model/index.ts';
import { numericForm } from '../../normalizer/digits.ts';
import { extractPhones } from '../../normalizer/phone.ts';
import { checkAdmissibility, type AdmissibilityOptions } from './admissibility.ts';
import type { LokshahiApplication } from './application.ts';

/** "ld / 2026 / 0412 ", "LD/2026/0412" and "LD/२०२६/०४१२" are one token: what the archive dedupes and `tickets list --token` finds */
export function tokenKey(token: string): string {
  return `token:${numericForm(token.normalize('NFKC')).trim().toUpperCase().replace(/\s*([/\-.])\s*/g, '$1').replace(/\s+/g, ' ')}`;
}

/** the day an application was made, at the start of that day in Pune */
const dayInPune = (day: string): string => `${day}T00:00:00+05:30`;

/** staff's note on the ticket: the token, its hearing and what it escalates, and the office it is against */
function noteOf(app: LokshahiApplication): string {
  return [
    `Lokshahi Din token ${app.token}`,
    app.hearingDate ? `hearing ${app.hearingDate}` : undefined,
    app.earlierToken ? `escalates token ${app.earlierToken}` : undefined,
    app.office ? `against: ${app.office}` : undefined,
  ]
    .filter(Boolean)
    .join('; ');
}

/**
 * One application as the pipeline's message: the token is its id (the same token twice is one ticket), the
 * applicant its sender, found again by mobile or email; answered in Marathi, as Lokshahi Din is held. The
 * admissibility rules of the Lokshahi Din orders are checked here and ride along as the message's verdict.
 */
export function applicationMessage(app: LokshahiApplication, o: { accountId: string; raw: unknown; admissibility?: AdmissibilityOptions }): InboundMessage {
  const phone = app.applicant.mobile ? extractPhones(app.applicant.mobile)[0] : undefined;
  const email = app.applicant.email?.toLowerCase();
  const verdict = checkAdmissibility(app, o.admissibility);
  const attachments: Attachment[] = (app.attachments ?? []).flatMap((a) => (a.url ? [{ kind: 'file' as const, url: a.url, ...(a.name ? { name: a.name } : {}) }] : []));
  const key = tokenKey(app.token);
  return {
    channel: 'lokshahi',
    accountId: o.accountId,
    externalId: key,
    threadKey: key,
    // the mobile and email are what the applicant wrote on the form
    sender: { id: phone ?? email ?? key, name: app.applicant.name, ...(phone ? { phone } : {}), ...(email ? { email } : {}), claimed: true },
    receivedAt: dayInPune(app.applicationDate),
    subject: app.subject,
    text: app.applicant.address ? `${app.description}\n${app.applicant.address}` : app.description,
    attachments,
    language: 'mr',
    note: noteOf(app),
    ...(verdict.admissible ? {} : { notAdmissible: { rule: verdict.rule, reason: verdict.reason } }),
    raw: o.raw,
  };
}
