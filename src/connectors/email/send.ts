import { createTransport } from 'nodemailer';
import type { Language, OutboundMessage } from '../../model/index.ts';
import type { Store } from '../../store/store.ts';
import { PermanentSendError, RetryableSendError, type HealthReporter, type SendResult } from '../connector.ts';
import { AccountHold } from '../account-hold.ts';
import type { Mailbox } from './config.ts';
import { OWN_MAIL_HEADER } from '../../normalizer/index.ts';
import { isLoopback } from './imap-session.ts';
import { domainOf, ourMessageId } from './thread.ts';

type Transport = ReturnType<typeof createTransport>;

interface SmtpError {
  code?: string;
  responseCode?: number;
  command?: string;
  message: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** the reply as simple HTML beside the plain text: paragraphs, in the reply's language, nothing to load */
export function htmlOf(text: string, lang: string): string {
  const paragraphs = text.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`);
  return `<!doctype html><html lang="${lang}"><body style="font-family:sans-serif;font-size:16px;line-height:1.5">${paragraphs.join('')}</body></html>`;
}

export const smtpAction = (m: Mailbox): string =>
  `the mail server refuses to send for this mailbox: check the user and password in ${m.env.smtp} (smtp://user:password@host:587), and that the server relays for the address in ${m.env.from}; then restart the bridge`;

/**
 * Replies over SMTP from the mailbox's own address: the ticket number in the subject (the renderer put it there),
 * In-Reply-To and References so the citizen's mail program shows one thread, plain text and simple HTML. 4xx and
 * lost connections are tried again; 5xx for the recipient is permanent; a refused login holds the mailbox's
 * replies until a person fixes the password.
 */
export function createMailSender(d: { mailboxes: ReadonlyMap<string, Mailbox>; store: Store; health: HealthReporter; timeoutMs: number; subjects: Record<Language, string> }) {
  const transports = new Map<string, Transport>();
  const hold = new AccountHold('email', d.health, 'smtp');
  const transportOf = (m: Mailbox): Transport => {
    let t = transports.get(m.id);
    if (!t) {
      // smtp:// must upgrade with STARTTLS before the password goes (a server on this machine excepted)
      const local = isLoopback(new URL(m.smtpUrl).hostname);
      t = createTransport({ url: m.smtpUrl, pool: true, maxConnections: 3, connectionTimeout: d.timeoutMs, greetingTimeout: d.timeoutMs, socketTimeout: d.timeoutMs * 2, ...(local ? {} : { requireTLS: true }) } as never);
      transports.set(m.id, t);
    }
    return t;
  };

  /** the thread the reply answers: the citizen's mail and what it referenced */
  async function threadOf(msg: OutboundMessage): Promise<string[]> {
    if (!msg.inReplyTo) return [];
    const original = await d.store.getInboundBySource({ channel: 'email', accountId: msg.accountId, externalId: msg.inReplyTo });
    const earlier = (original?.message.raw as { references?: string[] } | undefined)?.references ?? [];
    return original ? [...earlier, msg.inReplyTo] : [msg.inReplyTo];
  }

  return {
    async send(msg: OutboundMessage, opts: { outboxId: number }): Promise<SendResult> {
      const m = d.mailboxes.get(msg.accountId);
      if (!m) throw new PermanentSendError(`no mailbox ${msg.accountId} is configured to send from`);
      // a mail that came with no usable sender address: there is nobody to answer
      if (!/^[^\s@]+@[^\s@]+$/.test(msg.to)) throw new PermanentSendError('the mail gave no address to answer (no From or Reply-To)');
      hold.check(m.id, Date.now(), `replies from ${m.env.from} wait: the SMTP server refused the login`);
      const messageId = ourMessageId({ ticketNo: msg.ticketNo, outboxId: opts.outboxId, key: msg.idempotencyKey, domain: domainOf(m.id), notice: msg.kind === 'info' && msg.ticketNo !== undefined });
      const references = await threadOf(msg);
      try {
        await transportOf(m).sendMail({
          from: m.from,
          to: msg.to,
          subject: msg.subject ?? `${msg.ticketNo ? `[${msg.ticketNo}] ` : ''}${d.subjects[msg.language]}`,
          text: msg.text,
          html: htmlOf(msg.text, msg.language),
          messageId: `<${messageId}>`,
          ...(msg.inReplyTo ? { inReplyTo: `<${msg.inReplyTo}>` } : {}),
          ...(references.length > 0 ? { references: references.map((r) => `<${r}>`) } : {}),
          // RFC 3834: an answer made by a program; well-behaved auto-responders do not answer it (no loops)
          headers: { 'Auto-Submitted': 'auto-replied', [OWN_MAIL_HEADER]: 'reply', 'Content-Language': msg.language },
        });
      } catch (err) {
        throw classify(err as SmtpError, m);
      }
      hold.worked(m.id);
      return { providerId: messageId };
    },
    async close(): Promise<void> {
      for (const t of transports.values()) t.close();
    },
  };

  function classify(err: SmtpError, m: Mailbox): Error {
    const code = err.responseCode;
    // the server will not take mail from us at all (login refused, authentication or TLS required, relay denied):
    // every reply of the mailbox waits for a person, none is dead-lettered as if its recipient were wrong
    const relayDenied = code !== undefined && code >= 500 && /relay|authenticat|not (permitted|allowed)/i.test(err.message);
    const refusesUs =
      err.code === 'EAUTH'
        ? code === undefined || code >= 500
        : code !== undefined && code >= 500 && (relayDenied || code === 530 || code === 534 || code === 535 || err.command === 'MAIL FROM' || err.command === 'CONN' || err.command === 'EHLO' || err.command === 'HELO');
    if (refusesUs) {
      const said = `the SMTP server refuses mail from this mailbox (${code ?? err.code}, ${m.env.smtp}): ${err.message}`;
      return hold.refused(m.id, Date.now(), said, smtpAction(m), said);
    }
    // 5xx for the recipient (RCPT TO, or the message itself at DATA): this address will not take it
    if (code !== undefined && code >= 500) return new PermanentSendError(`the mail server refused the message for its recipient (${code}): ${err.message}`, code);
    if (code !== undefined && code >= 400) return new RetryableSendError(`the mail server deferred the message (${code}): ${err.message}`);
    // a connection lost or silent (nodemailer says command CONN either way) may have delivered the message: the
    // next attempt sends the same Message-ID
    const unsure = err.code === 'ECONNECTION' || err.code === 'ETIMEDOUT' || err.code === 'ESOCKET';
    return new RetryableSendError(`sending mail failed (${err.code ?? 'error'}): ${err.message}`, undefined, unsure);
  }
}
