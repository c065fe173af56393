import { ImapFlow } from 'imapflow';
import type { Logger } from '../../http/logger.ts';
import { AccountRefusedError } from '../connector.ts';
import type { Mailbox } from './config.ts';

// IDLE starts this soon after the last command, so new mail is heard of within seconds
const IDLE_AFTER_MS = 1000;
// after a lost connection, the next try waits this long, doubling up to a minute
const FIRST_RECONNECT_MS = 1000;
const MOST_RECONNECT_MS = 60_000;

export const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || /^127\./.test(host);

export const refusedAction = (m: Mailbox): string =>
  `the mail server refused the mailbox's login: set the right user and password in ${m.env.imap} (imap://user:password@host:port, the password URL-encoded) and restart the bridge`;

/**
 * One mailbox's IMAP connection, shared by its UID sweep and IDLE. An ImapFlow instance never reconnects: when the
 * connection is lost a new one is made, on the next sweep or after a backoff that starts at a second, so new mail
 * is heard of again soon after the server comes back. A refused login is an AccountRefusedError.
 */
export class MailboxSession {
  private client: ImapFlow | undefined;
  private opening: Promise<ImapFlow> | undefined;
  private closed = false;
  private reconnectMs = FIRST_RECONNECT_MS;
  private reconnectTimer: NodeJS.Timeout | undefined;
  /** called when the server says a mail arrived (IDLE), and when a lost connection should be made again */
  onNews: (() => void) | undefined;

  constructor(
    readonly mailbox: Mailbox,
    private readonly opts: { timeoutMs: number; logger: Logger },
  ) {}

  /** the open connection with the folder selected, made if there is none */
  open(): Promise<ImapFlow> {
    if (this.closed) return Promise.reject(new Error('the email connector is stopping'));
    if (this.client?.usable) return Promise.resolve(this.client);
    this.opening ??= this.connect().finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async connect(): Promise<ImapFlow> {
    const m = this.mailbox;
    const client = new ImapFlow({
      host: m.imap.host,
      port: m.imap.port,
      secure: m.imap.secure,
      // imap:// upgrades with STARTTLS, and refuses to send the password in the clear when the server does not offer
      // it (or someone in between strips it); only a server on this machine may be spoken to in the clear
      ...(m.imap.secure || isLoopback(m.imap.host) ? {} : { doSTARTTLS: true }),
      auth: { user: m.imap.user, pass: m.imap.pass },
      logger: false,
      connectionTimeout: this.opts.timeoutMs,
      greetingTimeout: this.opts.timeoutMs,
      autoIdleDelay: IDLE_AFTER_MS,
      // the sweep re-reads by UID anyway; a short IDLE restart keeps a silently dead socket from hiding mail long
      maxIdleTime: 4 * 60_000,
    });
    client.on('error', (err: Error) => this.opts.logger.warn({ mailbox: m.env.from, error: err.message }, 'imap connection error'));
    client.on('exists', () => this.onNews?.());
    client.on('close', () => {
      // only a session that was up is made again soon; a failed login or connect waits for the scheduler's backoff
      // (a refused password tried every few seconds gets the account locked)
      if (this.client !== client) return;
      this.client = undefined;
      if (!this.closed) this.reconnectLater();
    });
    try {
      await client.connect();
      await client.mailboxOpen(m.folder);
    } catch (err) {
      client.close();
      if ((err as { authenticationFailed?: boolean }).authenticationFailed)
        throw new AccountRefusedError(`mailbox password rejected by the IMAP server (${m.env.imap})`, refusedAction(m));
      if ((err as { mailboxMissing?: boolean }).mailboxMissing) throw new Error(`the folder "${m.folder}" does not exist in the mailbox (channels.email.folder)`);
      throw err;
    }
    if (this.closed) {
      // the connector stopped while this connection was being made: nobody would ever close it
      await client.logout().catch(() => client.close());
      throw new Error('the email connector is stopping');
    }
    this.reconnectMs = FIRST_RECONNECT_MS;
    this.client = client;
    return client;
  }

  /** the connection dropped: try again soon, then less and less often (the sweep also tries, on its interval) */
  private reconnectLater(): void {
    clearTimeout(this.reconnectTimer);
    const wait = this.reconnectMs;
    this.reconnectMs = Math.min(MOST_RECONNECT_MS, this.reconnectMs * 2);
    this.reconnectTimer = setTimeout(() => this.onNews?.(), wait);
    this.reconnectTimer.unref();
  }

  /** a command failed in a way that leaves the connection in doubt: drop it, the next use makes a new one */
  discard(): void {
    const c = this.client;
    this.client = undefined;
    c?.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const c = this.client;
    this.client = undefined;
    if (!c) return;
    try {
      await c.logout();
    } catch {
      c.close();
    }
  }
}
