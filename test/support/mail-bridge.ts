import MailComposer from 'nodemailer/lib/mail-composer';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { FakeTwilioApi } from './fake-twilio-api.ts';
import { startDovecot, type Dovecot } from './dovecot.ts';
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts';
import { merge, startSocialBridge, type Plain, type SocialBridge } from './social-bridge.ts';

/** the bridge's mailbox in the tests */
export const MAILBOX = 'complaints@pmc.example.in';
export const MAIL_FROM = `PMC तक्रार <${MAILBOX}>`;

export interface MailOptions {
  from?: string;
  subject?: string;
  text?: string;
  html?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  attachments?: { filename: string; content: Buffer; contentType: string; cid?: string }[];
  date?: Date;
}

/** a mail as a mail program writes it (nodemailer's composer: encoded words, quoted-printable, multipart) */
export async function composeMail(o: MailOptions): Promise<Buffer> {
  const composer = new MailComposer({
    from: o.from ?? 'Sunita Jadhav <sunita.jadhav@example.org>',
    to: MAILBOX,
    subject: o.subject ?? 'कचरा',
    ...(o.text !== undefined ? { text: o.text } : {}),
    ...(o.html !== undefined ? { html: o.html } : {}),
    ...(o.messageId ? { messageId: o.messageId } : {}),
    ...(o.inReplyTo ? { inReplyTo: o.inReplyTo } : {}),
    ...(o.references ? { references: o.references } : {}),
    ...(o.headers ? { headers: o.headers } : {}),
    ...(o.attachments ? { attachments: o.attachments } : {}),
    date: o.date ?? new Date(),
  });
  return composer.compile().build();
}

export interface MailBridge {
  dovecot: Dovecot;
  smtp: SmtpSink;
  bridge: SocialBridge;
  close(): Promise<void>;
}

/**
 * A real Dovecot, an SMTP sink and the whole bridge reading the one and sending through the other. The sweep is
 * daily unless `localYaml` says otherwise: IDLE, or a test's `app.polls.runAll()`, brings the mail.
 */
export async function startMailBridge(opts: { localYaml?: string; env?: Record<string, string>; twilio?: FakeTwilioApi; dovecot?: Dovecot } = {}): Promise<MailBridge> {
  const dovecot = opts.dovecot ?? (await startDovecot());
  const smtp = await startSmtpSink();
  const bridge = await startSocialBridge(opts.twilio ? { twilio: opts.twilio } : {}, {
    localYaml: stringifyYaml(merge({ channels: { email: { sweepSeconds: 86400 } } }, (parseYaml(opts.localYaml ?? '') ?? {}) as Plain)),
    env: { IMAP_URL: dovecot.url(), SMTP_URL: smtp.url, MAIL_FROM, ...opts.env },
  });
  return {
    dovecot,
    smtp,
    bridge,
    close: async () => {
      await bridge.close();
      await smtp.close();
      if (!opts.dovecot) await dovecot.close();
    },
  };
}
