import { formatDate } from '../bots/format-date.ts';
import type { Department, Ticket, WardOffice } from '../model/index.ts';
import { IST_OFFSET_MS } from '../router/working-calendar.ts';
import type { Listed, WardDigest } from './digest-figures.ts';

/** what a staff mail says: Marathi first, then English, plain text (the mail sender adds the simple HTML) */
export interface StaffMail {
  subject: string;
  text: string;
}

// the mails come from the complaints mailbox; an answer to one would be read as a complaint
const NO_REPLY = { mr: '(हा स्वयंचलित संदेश आहे; कृपया याला उत्तर देऊ नका.)', en: '(An automatic message: please do not reply to it.)' };

const STATUS = {
  mr: { received: 'प्राप्त', forwarded: 'पुढे पाठवली', in_progress: 'कार्यवाही सुरू', resolved: 'निकाली', closed: 'बंद', rejected: 'नाकारली', reopened: 'पुन्हा उघडली' },
  en: { received: 'received', forwarded: 'forwarded', in_progress: 'in progress', resolved: 'resolved', closed: 'closed', rejected: 'rejected', reopened: 'reopened' },
} as const;

const dayIso = (day: string) => `${day}T12:00:00+05:30`;
const hhmm = (iso: string) => new Date(Date.parse(iso) + IST_OFFSET_MS).toISOString().slice(11, 16);

/** "3 — PMC10001, PMC10002, PMC10003" and, past the listed ones, "… and 5 more" */
function listed(l: Listed, more: (n: number) => string): string {
  if (l.count === 0) return '0';
  const rest = l.count - l.ticketNos.length;
  return `${l.count} — ${l.ticketNos.join(', ')}${rest > 0 ? ` ${more(rest)}` : ''}`;
}

/** a ward office's daily digest, to its address */
export function digestMail(d: WardDigest): StaffMail {
  const mr = [
    `${d.ward.name.mr} क्षेत्रीय कार्यालय: ${formatDate(dayIso(d.day), 'mr')} चा तक्रार अहवाल`,
    `प्राप्त तक्रारी: ${d.received}`,
    `पुढे पाठवलेल्या: ${d.forwarded}`,
    `निकाली काढलेल्या: ${d.resolved}`,
    `मुदत संपलेल्या (आज उघड्या): ${listed(d.overdue, (n) => `आणि आणखी ${n}`)}`,
    `पाठपुराव्यासाठी खूण केलेल्या: ${listed(d.followUp, (n) => `आणि आणखी ${n}`)}`,
    NO_REPLY.mr,
  ];
  const en = [
    `${d.ward.name.en} ward office: complaints on ${formatDate(dayIso(d.day), 'en')}`,
    `Received: ${d.received}`,
    `Forwarded: ${d.forwarded}`,
    `Resolved: ${d.resolved}`,
    `Overdue (open now): ${listed(d.overdue, (n) => `and ${n} more`)}`,
    `Flagged for follow-up: ${listed(d.followUp, (n) => `and ${n} more`)}`,
    NO_REPLY.en,
  ];
  return {
    subject: `दैनिक अहवाल ${d.ward.name.mr} / Daily digest ${d.ward.name.en}, ${d.day}`,
    text: `${mr.join('\n')}\n\n${en.join('\n')}`,
  };
}

/** one overdue ticket, to its department's address: where it is and since when it is due; nothing of the citizen */
export function overdueMail(t: Ticket, department: Department, ward: WardOffice | undefined): StaffMail {
  const due = { mr: `${formatDate(t.slaDueAt, 'mr')}, ${hhmm(t.slaDueAt)} भा.प्र.वे.`, en: `${formatDate(t.slaDueAt, 'en')}, ${hhmm(t.slaDueAt)} IST` };
  const mr = [
    `तक्रार ${t.ticketNo} ची मुदत ${due.mr} रोजी संपली, आणि ती अजून निकाली निघालेली नाही.`,
    `विभाग: ${department.name.mr}${ward ? `; क्षेत्रीय कार्यालय: ${ward.name.mr}` : ''}; स्थिती: ${STATUS.mr[t.status]}${t.priority === 'urgent' ? '; तातडीची' : ''}.`,
    NO_REPLY.mr,
  ];
  const en = [
    `Complaint ${t.ticketNo} was due on ${due.en} and is not resolved yet.`,
    `Department: ${department.name.en}${ward ? `; ward office: ${ward.name.en}` : ''}; status: ${STATUS.en[t.status]}${t.priority === 'urgent' ? '; urgent' : ''}.`,
    NO_REPLY.en,
  ];
  return { subject: `मुदत संपली / Overdue: ${t.ticketNo}`, text: `${mr.join('\n')}\n\n${en.join('\n')}` };
}
