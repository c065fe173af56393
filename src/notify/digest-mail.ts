import type { Connector } from '../connectors/connector.ts';
import type { OutboundMessage } from '../model/index.ts';
import type { StaffMail } from './digest-text.ts';

/**
 * Staff mail goes from the email connector's first mailbox, as a copy to a citizen's address does
 * (src/pipeline/reach-elsewhere.ts); undefined when email is off. No `ticketNo`: it is not part of any citizen's
 * conversation (the ticket page lists what names the ticket) and its Message-ID names no ticket.
 *
 * Quiet hours do not hold it: they spare citizens' phones at night, and a mail waits in its mailbox for the
 * morning anyway; holding it would only make a department's mail arrive later than it could.
 */
export function staffMailer(connectors: readonly Connector[]): ((to: string, mail: StaffMail, idempotencyKey: string) => OutboundMessage) | undefined {
  const email = connectors.find((c) => c.channel === 'email');
  const accountId = email?.accountIds[0];
  if (!accountId) return undefined;
  return (to, mail, idempotencyKey) => ({
    channel: 'email',
    accountId,
    threadKey: `to:${to}`,
    to,
    subject: mail.subject,
    text: mail.text,
    // Marathi first: the staff's language, and the mail's
    language: 'mr',
    kind: 'staff',
    idempotencyKey,
  });
}
