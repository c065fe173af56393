import { EventEmitter } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { Outage, type FaultPlan } from './outage.ts';

/**
 * A real SMTP server (smtp-server) on 127.0.0.1 and a free port that accepts every message and keeps it — and,
 * when a test asks, behaves like a rude relay: refuses recipients (451 / 550), drops the connection after the
 * message was sent but before the reply, or leaves DATA unanswered for a while. nodemailer is pointed at `url`.
 *
 * No TLS (STARTTLS is disabled), no authentication needed; AUTH PLAIN / LOGIN are offered and any credentials
 * are accepted, for a client configured with them.
 */

export interface ReceivedMail {
  /** MAIL FROM ('' for the null sender) */
  from: string;
  /** the accepted RCPT TO addresses */
  to: string[];
  /** the message as it came over DATA (dot-unstuffed) */
  raw: Buffer;
  parsed: ParsedMail;
}

/**
 * What one mail transaction meets in an outage: a number is the answer to RCPT TO (421, 451 …); after DATA,
 * `drop-after-data` drops the connection and loses the mail, `accept-then-drop` keeps the mail and drops the
 * connection before the reply, `hang` keeps it and never answers. A recipient refused with refuseRecipient is
 * refused all the same (the server keeps nothing for it).
 */
export type SmtpFault = number | 'drop-after-data' | 'accept-then-drop' | 'hang';

export interface SmtpSink {
  url: string; // smtp://127.0.0.1:PORT (no auth needed; also accepts any AUTH PLAIN/LOGIN if the client offers it)
  port: number;
  /** every accepted message: envelope, raw bytes and mailparser's simpleParser result */
  readonly received: ReceivedMail[];
  /** waits until `count` messages were received (throws after timeoutMs, default 10 s, saying how many came) */
  waitFor(count: number, timeoutMs?: number): Promise<SmtpSink['received']>;
  /**
   * the next `times` (default 1; Infinity for always) RCPT TO for this address (case-insensitive; '*' for any)
   * are answered with this code and text: 451 temporary, 550 permanent. A refusal for the address itself goes
   * before one for '*'.
   */
  refuseRecipient(address: string, code: number, times?: number, text?: string): void;
  /**
   * the next `times` (default 1) sessions are dropped (socket destroyed) right after the message of DATA was
   * received, before the reply. The message is not recorded in `received`.
   */
  dropAfterData(times?: number): void;
  /**
   * the next `times` (default 1) sessions get no answer to DATA for ms (a hang). Then the message is accepted
   * and recorded as usual — unless the client has hung up meanwhile, in which case it is not recorded.
   */
  hangOnData(ms: number, times?: number): void;
  /** how many DATA commands were completed by clients (accepted, dropped, hung or not), for "was it retried" checks */
  readonly dataAttempts: number;
  /** a bad spell: for the next `ms` every RCPT TO (one per mail sent) meets the plan's fault */
  outage(ms: number, plan: FaultPlan<SmtpFault>): void;
  close(): Promise<void>;
}

const DEFAULT_TEXT: Record<number, string> = {
  421: '4.3.2 Service not available, closing transmission channel',
  450: '4.2.1 Mailbox busy, try again later',
  451: '4.3.0 Temporary local problem, try again later',
  452: '4.2.2 Mailbox full',
  550: '5.1.1 Recipient address rejected: User unknown',
  551: '5.1.6 User not local',
  552: '5.2.2 Mailbox full',
  553: '5.1.3 Mailbox name not allowed',
  554: '5.7.1 Recipient address rejected: Access denied',
};

interface Refusal {
  code: number;
  text: string;
  left: number;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const events = new EventEmitter();
  const refusals = new Map<string, Refusal[]>(); // lower-cased address or '*'
  let drops = 0;
  const hangs: { ms: number; left: number }[] = [];
  let dataAttempts = 0;
  const timers = new Set<NodeJS.Timeout>();
  const outage = new Outage<SmtpFault>();
  // the fault an outage gave the session's current transaction, for its DATA
  const atData = new Map<string, Exclude<SmtpFault, number>>();

  // the session's socket, to drop it: smtp-server's connection of the same id holds it
  const socketOf = (session: SMTPServerSession): Socket | undefined => {
    for (const connection of server.connections) if (connection.id === session.id) return connection._socket;
    return undefined;
  };

  const takeRefusal = (address: string): Refusal | undefined => {
    for (const key of [address.toLowerCase(), '*']) {
      const list = refusals.get(key);
      const refusal = list?.find((r) => r.left > 0);
      if (refusal) {
        refusal.left--;
        return refusal;
      }
    }
    return undefined;
  };

  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    disableReverseLookup: true,
    banner: 'pmc test sink',
    size: 200 * 1024 * 1024,
    // a hung DATA must not be cut short by the server itself
    socketTimeout: 10 * 60 * 1000,
    closeTimeout: 1000,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'anyone' });
    },
    onRcptTo(address, session, callback) {
      const fault = outage.next('RCPT TO');
      if (typeof fault === 'number') return callback(Object.assign(new Error(DEFAULT_TEXT[fault] ?? '4.0.0 Try again later'), { responseCode: fault }));
      if (fault === undefined) atData.delete(session.id);
      else atData.set(session.id, fault);
      const refusal = takeRefusal(address.address);
      if (!refusal) return callback();
      const err = Object.assign(new Error(refusal.text), { responseCode: refusal.code });
      callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        dataAttempts++;
        const raw = Buffer.concat(chunks);
        const fault = atData.get(session.id);
        atData.delete(session.id);
        if (fault === 'drop-after-data' || (fault === undefined && drops > 0)) {
          if (fault === undefined) drops--;
          socketOf(session)?.destroy();
          return; // never answered
        }
        const keep = async (): Promise<void> => {
          const mailFrom = session.envelope.mailFrom;
          received.push({ from: mailFrom ? mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw, parsed: await simpleParser(raw) });
          events.emit('received');
        };
        if (fault !== undefined) {
          // the server has the mail; its answer is lost (or never comes, until the client hangs up)
          void keep().then(() => fault === 'accept-then-drop' && socketOf(session)?.destroy(), () => socketOf(session)?.destroy());
          return;
        }
        const accept = async () => {
          const socket = socketOf(session);
          if (!socket || socket.destroyed) return; // the client gave up: nothing delivered
          try {
            await keep();
            callback(null, `2.0.0 Ok: queued as ${received.length}`);
          } catch (err) {
            callback(err as Error);
          }
        };
        const hang = hangs.find((h) => h.left > 0);
        if (hang) {
          hang.left--;
          const timer = setTimeout(() => {
            timers.delete(timer);
            void accept();
          }, hang.ms);
          timers.add(timer);
          return;
        }
        void accept();
      });
    },
  });
  server.on('error', () => undefined); // a client hanging up mid-command is no failure of the sink

  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port));
  });

  let closed = false;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    get dataAttempts() {
      return dataAttempts;
    },
    outage: (ms, plan) => outage.start(ms, plan),
    waitFor(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        if (received.length >= count) return resolve(received);
        const onReceived = () => {
          if (received.length >= count) {
            clearTimeout(timer);
            events.off('received', onReceived);
            resolve(received);
          }
        };
        const timer = setTimeout(() => {
          events.off('received', onReceived);
          reject(new Error(`SMTP sink: waited ${timeoutMs} ms for ${count} message(s), ${received.length} came`));
        }, timeoutMs);
        events.on('received', onReceived);
      });
    },
    refuseRecipient(address, code, times = 1, text) {
      const key = address === '*' ? '*' : address.toLowerCase();
      const list = refusals.get(key) ?? [];
      list.push({ code, text: text ?? DEFAULT_TEXT[code] ?? (code >= 500 ? '5.0.0 Refused' : '4.0.0 Try again later'), left: times });
      refusals.set(key, list);
    },
    dropAfterData(times = 1) {
      drops += times;
    },
    hangOnData(ms, times = 1) {
      hangs.push({ ms, left: times });
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        // open sessions would hold close() for closeTimeout
        for (const connection of server.connections) connection._socket.destroy();
      });
    },
  };
}
