import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '../support/dovecot.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { describeNeeding } from '../support/system-tools.ts';

/**
 * The email test harness itself, against the real packages: a private Dovecot that imapflow talks to, and an
 * smtp-server sink that nodemailer sends to. The observed error shapes are written down next to the checks.
 */

const MARATHI = 'कोथरूड येथे कचरा उचलला नाही';

function complaintMail(n: number): string {
  return [
    'From: =?UTF-8?B?' + Buffer.from('सुनीता पाटील').toString('base64') + '?= <citizen@example.in>',
    'To: complaints@pmc.example',
    `Subject: =?UTF-8?B?${Buffer.from(MARATHI).toString('base64')}?=`,
    `Message-ID: <complaint-${n}@example.in>`,
    'Date: Mon, 01 Dec 2025 09:30:00 +0530',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(`${MARATHI}. तीन दिवस झाले. (${n})\n`).toString('base64'),
    '',
  ].join('\r\n');
}

function client(dovecot: Dovecot, pass = 's3cret-pass'): ImapFlow {
  return new ImapFlow({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    doSTARTTLS: false,
    auth: { user: 'complaints', pass },
    logger: false,
  });
}

describeNeeding('dovecot', 'Dovecot test server and imapflow', () => {
  let dovecot: Dovecot;
  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterAll(async () => {
    await dovecot?.close();
  });

  it('logs in, and an appended Devanagari mail comes back with its UID and UIDVALIDITY', async () => {
    expect(dovecot.url()).toBe(`imap://complaints:s3cret-pass@127.0.0.1:${dovecot.port}`);
    const uid = await dovecot.append(complaintMail(1));
    const imap = client(dovecot);
    await imap.connect();
    try {
      const mailbox = await imap.mailboxOpen('INBOX');
      expect(typeof mailbox.uidValidity).toBe('bigint');
      expect(mailbox.uidValidity).toBe((await dovecot.status()).uidValidity);
      const msg = await imap.fetchOne(String(uid), { uid: true, envelope: true, source: true }, { uid: true });
      expect(msg).not.toBe(false);
      if (msg === false) return;
      expect(msg.uid).toBe(uid);
      expect(msg.envelope?.subject).toBe(MARATHI);
      expect(msg.envelope?.messageId).toBe('<complaint-1@example.in>');
      const parsed = await simpleParser(msg.source!);
      expect(parsed.subject).toBe(MARATHI);
      expect(parsed.text).toContain(MARATHI);
    } finally {
      await imap.logout();
    }
    expect(await dovecot.list()).toEqual([{ uid, flags: [], messageId: '<complaint-1@example.in>', mailbox: 'INBOX' }]);
  });

  it('recreate gives a mailbox a new UIDVALIDITY, INBOX too', async () => {
    await dovecot.appendMany([complaintMail(2), complaintMail(3)], { mailbox: 'Processed' });
    const before = await dovecot.status({ mailbox: 'Processed' });
    await dovecot.recreate('Processed', [complaintMail(4)]);
    const after = await dovecot.status({ mailbox: 'Processed' });
    expect(after.uidValidity).not.toBe(before.uidValidity);
    expect((await dovecot.list({ mailbox: 'Processed' })).map((m) => m.messageId)).toEqual(['<complaint-4@example.in>']);
    const seen = await dovecot.append(complaintMail(6), { mailbox: 'Processed', flags: ['\\Seen'] });
    expect((await dovecot.list({ mailbox: 'Processed' })).at(-1)).toEqual({
      uid: seen,
      flags: ['\\Seen'],
      messageId: '<complaint-6@example.in>',
      mailbox: 'Processed',
    });

    const inboxBefore = await dovecot.status();
    await dovecot.recreate('INBOX', [complaintMail(5)]);
    const inboxAfter = await dovecot.status();
    expect(inboxAfter.uidValidity).not.toBe(inboxBefore.uidValidity);
    expect((await dovecot.list()).map((m) => m.messageId)).toEqual(['<complaint-5@example.in>']);
  });

  // Seen: only 'close' fires (no 'error'), the same for a clean stop and a crash; the pending idle() resolves (with
  // false) rather than rejecting; a command afterwards rejects with "Connection not available" (code NoConnection)
  it.each(['stop', 'kill'] as const)('%s() ends open sessions; start() brings the same mail back', async (how) => {
    const imap = client(dovecot);
    const events: string[] = [];
    imap.on('close', () => events.push('close'));
    imap.on('error', (err: Error & { code?: string }) => events.push(`error:${err.code}`));
    await imap.connect();
    await imap.mailboxOpen('INBOX');
    const idle = imap.idle();
    await dovecot[how]();
    try {
      expect(await idle).toBe(false);
      // a server that exits closes its sessions; one SIGKILLed may leave the kernel to reset a socket that still
      // held unread bytes, so its client can see ECONNRESET just before the close (seen once in CI)
      expect(events).toEqual(how === 'kill' && events[0] === 'error:ECONNRESET' ? ['error:ECONNRESET', 'close'] : ['close']);
      expect(imap.usable).toBe(false);
      await expect(imap.status('INBOX', { messages: true })).rejects.toMatchObject({ code: 'NoConnection' });
      // and nobody is listening now
      await expect(client(dovecot).connect()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      // the next tests need the server, whatever happened above
      await dovecot.start();
    }
    expect((await dovecot.list()).map((m) => m.messageId)).toEqual(['<complaint-5@example.in>']);
  });

  it('setPassword makes the old password fail with an authentication failure', async () => {
    await dovecot.setPassword('complaints', 'n3w-pass');
    const old = client(dovecot);
    old.on('error', () => undefined);
    // Seen (imapflow 2.10.2, Dovecot 2.3.19): a plain Error, message 'Command failed', with
    //   authenticationFailed: true, serverResponseCode: 'AUTHENTICATIONFAILED', responseStatus: 'NO',
    //   responseText: 'Authentication failed.', executedCommand: '2 AUTHENTICATE PLAIN',
    //   response: '2 NO [AUTHENTICATIONFAILED] Authentication failed.'
    // (no `code`); then 'close'. It takes ~0.5 s (auth_failure_delay = 0 is checked every 500 ms).
    const err = await old.connect().then(
      () => undefined,
      (e: unknown) => e as Record<string, unknown>,
    );
    expect(err).toMatchObject({
      authenticationFailed: true,
      serverResponseCode: 'AUTHENTICATIONFAILED',
      responseStatus: 'NO',
      message: 'Command failed',
    });
    expect(err?.code).toBeUndefined();

    const fresh = client(dovecot, 'n3w-pass');
    await fresh.connect(); // no penalty delay after the failure
    await fresh.logout();
    expect(dovecot.url()).toBe(`imap://complaints:n3w-pass@127.0.0.1:${dovecot.port}`);
  });
});

describe('SMTP sink and nodemailer', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink?.close();
  });

  const mail = (to: string | string[]) => ({
    from: 'PMC Complaints <complaints@pmc.example>',
    to,
    subject: `Re: ${MARATHI}`,
    text: 'तुमची तक्रार नोंदवली आहे. क्रमांक PMC-1.',
  });

  it('receives what nodemailer sends', async () => {
    const transport = createTransport(sink.url);
    const info = await transport.sendMail(mail('citizen@example.in'));
    expect(info.accepted).toEqual(['citizen@example.in']);
    const [got] = await sink.waitFor(1);
    expect(got!.from).toBe('complaints@pmc.example');
    expect(got!.to).toEqual(['citizen@example.in']);
    expect(got!.parsed.subject).toBe(`Re: ${MARATHI}`);
    expect(got!.parsed.text).toContain('तक्रार नोंदवली');
    expect(got!.parsed.messageId).toBe(info.messageId);
    expect(got!.raw.toString('latin1')).toMatch(/^Subject: /m);
    transport.close();
  });

  it('refused recipients: 550 permanent, 451 temporary', async () => {
    const transport = createTransport(sink.url);
    sink.refuseRecipient('gone@example.in', 550);
    // Seen (nodemailer 10.6.1): message "Can't send mail - all recipients were rejected: 550 5.1.1 …",
    //   code 'EENVELOPE', responseCode 550, permanent: true, command 'RCPT TO', rejected: ['gone@example.in'],
    //   rejectedErrors: [{ code: 'EENVELOPE', responseCode: 550, permanent: true, command: 'RCPT TO',
    //   recipient: 'gone@example.in', response: '550 5.1.1 Recipient address rejected: User unknown' }]
    await expect(transport.sendMail(mail('gone@example.in'))).rejects.toMatchObject({
      code: 'EENVELOPE',
      responseCode: 550,
      permanent: true,
      command: 'RCPT TO',
      rejected: ['gone@example.in'],
      response: '550 5.1.1 Recipient address rejected: User unknown',
    });
    // the same with 451, permanent: false
    sink.refuseRecipient('*', 451);
    await expect(transport.sendMail(mail('later@example.in'))).rejects.toMatchObject({
      code: 'EENVELOPE',
      responseCode: 451,
      permanent: false,
      command: 'RCPT TO',
      rejected: ['later@example.in'],
    });
    // only one of two refused: sendMail resolves, naming the refused one
    sink.refuseRecipient('gone@example.in', 550);
    const info = await transport.sendMail(mail(['gone@example.in', 'citizen@example.in']));
    expect(info.accepted).toEqual(['citizen@example.in']);
    expect(info.rejected).toEqual(['gone@example.in']);
    expect(sink.received.at(-1)!.to).toEqual(['citizen@example.in']);
    // each refusal was used up: the next send goes through
    await transport.sendMail(mail('later@example.in'));
    transport.close();
  });

  it('a dropped connection after DATA and a hung DATA fail the send', async () => {
    const transport = createTransport(`${sink.url}?socketTimeout=500`);
    const before = sink.received.length;
    sink.dropAfterData();
    // Seen: message 'Connection closed unexpectedly', code 'ECONNECTION', command 'CONN' (not 'DATA'),
    // no responseCode
    const dropped = await transport.sendMail(mail('citizen@example.in')).catch((e: unknown) => e as Record<string, unknown>);
    expect(dropped).toMatchObject({ code: 'ECONNECTION', command: 'CONN', message: 'Connection closed unexpectedly' });
    expect(dropped).not.toHaveProperty('responseCode');

    sink.hangOnData(1500);
    // Seen: message 'Timeout', code 'ETIMEDOUT', timeoutType 'SOCKET_TIMEOUT', command 'CONN'
    await expect(transport.sendMail(mail('citizen@example.in'))).rejects.toMatchObject({
      code: 'ETIMEDOUT',
      timeoutType: 'SOCKET_TIMEOUT',
      command: 'CONN',
    });
    // neither was delivered (the hung one: the client had gone when the sink would have answered)
    await new Promise((r) => setTimeout(r, 1200));
    expect(sink.received.length).toBe(before);
    await expect(sink.waitFor(before + 1, 50)).rejects.toThrow(/for \d+ message\(s\), \d+ came/);
    transport.close();
  });
});
