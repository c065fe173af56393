import type { AttachmentStore } from '../../attachments/attachment-store.ts';
import type { Logger } from '../../http/logger.ts';
import type { InboundMessage, Language } from '../../model/index.ts';
import type { Store } from '../../store/store.ts';
import type { Connector, HealthReporter } from '../connector.ts';
import type { EmailConnectorOptions, Mailbox } from './config.ts';
import { MailboxSession } from './imap-session.ts';
import { mailboxPoller } from './poll.ts';
import { createMailSender } from './send.ts';
import { answersOurNotice, domainOf, ticketRefOf } from './thread.ts';

export { emailOptionsFromConfig } from './config.ts';
export type { EmailConnectorOptions } from './config.ts';

export interface EmailDeps {
  store: Store;
  attachments: AttachmentStore;
  health: HealthReporter;
  logger: Logger;
  /** the subject of a mail that answers none of the citizen's, per language (config/messages emailSubject) */
  subjects: Record<Language, string>;
}

/**
 * Email for every configured mailbox: read over IMAP (IDLE for new mail within seconds, and a UID sweep through
 * the pipeline's scheduler), answered over SMTP from the mailbox's address. Each mail is one message; the mails
 * of one thread, and a mail naming its ticket, join that ticket while it is open.
 */
export function createEmailConnector(opts: EmailConnectorOptions, deps: EmailDeps): Connector {
  const mailboxes = new Map<string, Mailbox>(opts.mailboxes.map((m) => [m.id, m]));
  const ourDomains = [...new Set(opts.mailboxes.map((m) => domainOf(m.id)))];
  const thread = (msg: InboundMessage): InboundMessage => {
    const o = { prefix: opts.ticketPrefix, ourDomains };
    const ticketRef = ticketRefOf(msg, o);
    return { ...msg, threaded: true, ...(ticketRef ? { ticketRef } : {}), ...(answersOurNotice(msg, o) ? { quiet: true } : {}) };
  };
  const sessions = opts.mailboxes.map((m) => new MailboxSession(m, { timeoutMs: opts.requestTimeoutMs, logger: deps.logger }));
  const sender = createMailSender({ mailboxes, store: deps.store, health: deps.health, timeoutMs: opts.requestTimeoutMs, subjects: deps.subjects });
  return {
    channel: 'email',
    accountIds: [...mailboxes.keys()],
    // the number goes in the subject; a mail carries photos, and no location pin
    limits: { subject: true, carries: { photos: true, location: false } },
    pollers: sessions.map((s) => mailboxPoller(s, { opts, attachments: deps.attachments, store: deps.store, logger: deps.logger, thread })),
    send: (message, o) => sender.send(message, o),
    resend: {
      kind: 'idempotent',
      how: 'every outbox entry goes with one Message-ID made from it; a resend after an unknown outcome carries the same id, which mail stores that collapse duplicates (Gmail, Exchange) show once',
    },
    close: async () => {
      await Promise.all(sessions.map((s) => s.close()));
      await sender.close();
    },
  };
}
