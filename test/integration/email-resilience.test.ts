import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { ImapFlow } from 'imapflow';
import { DEFAULT_PASSWORD, DEFAULT_USER, startDovecot, type Dovecot } from '../support/dovecot.ts';
import { composeMail, MAILBOX, startMailBridge, type MailBridge } from '../support/mail-bridge.ts';
import { until } from '../support/wait.ts';
import { describeNeeding } from '../support/system-tools.ts';

const emailTickets = async (m: MailBridge) => (await m.bridge.app.store.listTickets()).filter((t) => t.sources.some((s) => s.channel === 'email'));
const complaint = (i: number) =>
  composeMail({ from: `Citizen ${i} <citizen${i}@example.org>`, subject: `Garbage not collected, lane ${i}`, text: `Garbage has not been collected in lane ${i} of Kothrud for three days.`, messageId: `<bulk-${i}@example.org>` });

// Email when things go wrong: the server restarts mid-sweep, the mailbox is recreated, a backlog arrives at once,
// the password is changed, the SMTP server defers or refuses. Nothing is lost and nothing is filed twice.
describeNeeding('dovecot', 'email when the servers misbehave', () => {
  let dovecot: Dovecot;
  let m: MailBridge | undefined;
  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterEach(async () => {
    await m?.close();
    m = undefined;
  });
  afterAll(async () => {
    await dovecot?.close();
  });

  it('files 200 mails appended at once as 200 tickets, then survives a restart of Dovecot mid-sweep and a recreated mailbox without a duplicate', async () => {
    m = await startMailBridge({ dovecot });
    const mails = await Promise.all(Array.from({ length: 200 }, (_, i) => complaint(i)));
    await dovecot.appendMany(mails);
    // the sweep reads in batches; stop the server while it is at it, and start it again
    const sweeping = m.bridge.app.polls.runAll();
    await until('the first batch archived', async () => {
      const { inbound } = await m!.bridge.app.store.stats();
      return inbound.pending + inbound.done > 0;
    }, 20_000);
    await dovecot.kill();
    await sweeping;
    await dovecot.start();
    await until('200 tickets', async () => {
      await m!.bridge.app.polls.runAll();
      return (await emailTickets(m!)).length >= 200;
    }, 60_000);
    expect(await emailTickets(m)).toHaveLength(200);
    await m.smtp.waitFor(200, 30_000);
    expect(new Set(m.smtp.received.map((r) => r.to[0])).size).toBe(200);

    // the mailbox is recreated with the same mails (a new UIDVALIDITY) and one new one
    const before = (await dovecot.status()).uidValidity;
    await dovecot.recreate('INBOX', [...mails.slice(0, 50), await complaint(200)]);
    // mail staff read in webmail meanwhile is still a complaint; mail read there two years ago is not filed now
    await dovecot.append(await complaint(900), { flags: ['\\Seen'] });
    const old = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: DEFAULT_USER, pass: DEFAULT_PASSWORD }, logger: false });
    await old.connect();
    await old.append('INBOX', await complaint(901), ['\\Seen'], new Date(Date.now() - 2 * 365 * 86_400_000));
    await old.logout();
    expect((await dovecot.status()).uidValidity).not.toBe(before);
    await until('the new mail', async () => {
      await m!.bridge.app.polls.runAll();
      return (await emailTickets(m!)).length >= 202;
    }, 30_000);
    await m.bridge.app.polls.runAll();
    expect(await emailTickets(m)).toHaveLength(202);
    expect((await emailTickets(m)).some((t) => t.sources.some((x) => x.externalId === 'bulk-901@example.org'))).toBe(false);
    await m.smtp.waitFor(202, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(m.smtp.received).toHaveLength(202);
  }, 120_000);

  it('reads a recreated mailbox that is still being filled without filing its old read mail, however the sweeps fall', async () => {
    // its own server: the mailbox holds only what this test puts in it
    m = await startMailBridge();
    const server = m.dovecot;
    await server.append(await complaint(300));
    await m.bridge.app.polls.runAll();
    await until('the first mail', async () => (await emailTickets(m!)).length === 1);
    // a migration recreates the mailbox and copies its mails one by one; a sweep (IDLE, the interval) runs halfway,
    // when the copy holds only what the bridge already has
    await server.recreate('INBOX', [await complaint(300)]);
    await m.bridge.app.polls.runAll();
    // the copy goes on: a mail read in webmail two years ago, then a complaint that came meanwhile
    const old = new ImapFlow({ host: server.host, port: server.port, secure: false, auth: { user: DEFAULT_USER, pass: DEFAULT_PASSWORD }, logger: false });
    await old.connect();
    await old.append('INBOX', await complaint(301), ['\\Seen'], new Date(Date.now() - 2 * 365 * 86_400_000));
    await old.logout();
    await server.append(await complaint(302));
    await until('the complaint that came meanwhile', async () => {
      await m!.bridge.app.polls.runAll();
      return (await emailTickets(m!)).length >= 2;
    }, 20_000);
    await m.bridge.app.polls.runAll();
    const ids = (await emailTickets(m)).flatMap((t) => t.sources.filter((s) => s.channel === 'email').map((s) => s.externalId));
    expect(ids).toContain('bulk-302@example.org');
    expect(ids).not.toContain('bulk-301@example.org');
    expect(await emailTickets(m)).toHaveLength(2);
  });

  it('counts a refused login into channel health, saying which variable to fix, and reads again once it works', async () => {
    // the bridge keeps the password it was given; the mailbox's is changed under it
    const configured = dovecot.url();
    await dovecot.setPassword('complaints', 'changed-password');
    m = await startMailBridge({ dovecot, env: { IMAP_URL: configured } });
    await m.bridge.app.polls.runAll();
    const refused = await until('refused', () => m!.bridge.app.health.list().find((h) => h.channel === 'email' && h.state === 'unauthorised'));
    expect(refused.accountId).toBe(MAILBOX);
    expect(refused.lastError).toMatch(/mailbox password rejected/);
    expect(refused.action).toMatch(/IMAP_URL/);
    // and it is not tried again every few seconds (a server locks an account for that)
    const attempts = () => readFileSync(dovecot.logPath, 'utf8').split('\n').filter((l) => /auth failed|Authentication failed|password mismatch/i.test(l)).length;
    // Dovecot writes its log a moment after it answers
    const seen = await until('the refusal in the server\'s log', () => attempts() || undefined);
    await new Promise((r) => setTimeout(r, 4000));
    expect(attempts()).toBe(seen);
    await dovecot.setPassword('complaints', 's3cret-pass');
    await dovecot.append(await complaint(500));
    // the scheduler waits long after a refusal; the test does not
    await m.bridge.app.polls.runAll();
    await until('the mail after the password was fixed', async () => (await emailTickets(m!)).find((t) => t.sources.some((s) => s.externalId === 'bulk-500@example.org')));
    expect(m.bridge.app.health.list().find((h) => h.channel === 'email')?.state).toBe('ok');
  });

  it('tries a deferred reply (451) again and gives up on a refused recipient (550) with the reason', async () => {
    m = await startMailBridge({ dovecot });
    m.smtp.refuseRecipient('deferred@example.org', 451, 1);
    m.smtp.refuseRecipient('gone@example.org', 550, Infinity);
    await dovecot.append(await composeMail({ from: 'deferred@example.org', subject: 'पाणी येत नाही', text: 'वारजे भागात दोन दिवसांपासून पाणी येत नाही.', messageId: '<deferred-1@example.org>' }));
    await dovecot.append(await composeMail({ from: 'gone@example.org', subject: 'पाणी गळती', text: 'कर्वे रस्त्यावर पाण्याची पाइपलाइन फुटली आहे.', messageId: '<gone-1@example.org>' }));
    await m.bridge.app.polls.runAll();
    const delivered = await until('the deferred reply delivered on a later try', () => m!.smtp.received.find((r) => r.to[0] === 'deferred@example.org'), 20_000);
    expect(delivered.parsed.subject).toMatch(/^\[PMC\d+\]/);
    const dead = await until('the refused reply dead', async () => (await m!.bridge.app.store.listOutbox()).find((e) => e.message.to === 'gone@example.org' && e.state === 'dead'), 20_000);
    expect(dead.lastError).toMatch(/550/);
    expect(dead.attempts).toBe(1);
  });
});
