import type { Config } from '../../config/schema.ts';
import { mailEnv } from '../../config/channel-secrets.ts';
import type { MailLimits } from './parse.ts';

/** Where a mailbox is read: imapflow's connection options, from IMAP_URL. */
export interface ImapServer {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
}

export interface Mailbox {
  /** its address, lower-cased: the account id */
  id: string;
  imap: ImapServer;
  smtpUrl: string;
  /** the From of replies, as configured ("PMC तक्रार <complaints@pmc.gov.in>") */
  from: string;
  folder: string;
  moveTo: string | null;
  /** the variables it came from, for the messages that say what to fix */
  env: { imap: string; smtp: string; from: string };
}

/** Everything the email connector needs, already validated by the config loader. */
export interface EmailConnectorOptions {
  mailboxes: Mailbox[];
  /** the config's mailboxes that are off (their variables not set), for the start banner */
  skipped: string[];
  sweepMs: number;
  firstSync: 'unseen' | 'all';
  limits: MailLimits & { maxMessageBytes: number };
  requestTimeoutMs: number;
  /** ticket numbers' prefix (PMC): how a subject or one of our Message-IDs names a ticket */
  ticketPrefix: string;
}

/** imap://user:password@host:port → the connection; user and password may be URL-encoded ("%40" for "@") */
export function imapServerOf(url: string): ImapServer {
  const u = new URL(url);
  const secure = u.protocol === 'imaps:';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(u.username),
    pass: decodeURIComponent(u.password),
  };
}

export function emailOptionsFromConfig(config: Readonly<Config>): EmailConnectorOptions | { off: string } {
  const email = config.channels.email;
  const skipped = email.secrets?.skipped.length ? `; off: ${email.secrets.skipped.join(', ')}` : '';
  if (!email.secrets || email.secrets.mailboxes.length === 0) return { off: `IMAP_URL, SMTP_URL and MAIL_FROM are not set${skipped}` };
  return {
    mailboxes: email.secrets.mailboxes.map((m) => ({
      id: m.id,
      imap: imapServerOf(m.imapUrl),
      smtpUrl: m.smtpUrl,
      from: m.from,
      folder: m.folder,
      moveTo: m.moveTo,
      env: { imap: mailEnv(m.envPrefix, 'IMAP_URL'), smtp: mailEnv(m.envPrefix, 'SMTP_URL'), from: mailEnv(m.envPrefix, 'MAIL_FROM') },
    })),
    skipped: email.secrets.skipped,
    sweepMs: email.sweepSeconds * 1000,
    firstSync: email.firstSync,
    limits: { maxAttachmentBytes: email.maxAttachmentBytes, maxAttachments: email.maxAttachments, maxMessageBytes: email.maxMessageBytes },
    requestTimeoutMs: email.requestTimeoutMs,
    ticketPrefix: config.tickets.prefix,
  };
}
