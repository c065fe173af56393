import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OutboxEntry } from '../../src/model/index.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { freePort, runCli, startBridge } from '../support/bridge-process.ts';
import { startDovecot, type Dovecot } from '../support/dovecot.ts';
import { composeMail, MAIL_FROM, MAILBOX } from '../support/mail-bridge.ts';
import { outageMix } from '../support/outage-mix.ts';
import { facebookMessage, isThreadSource, messageKey, pushChannelsEnv, smsMessage, startPushFakes, xDmMessage, type PushFakes, type PushMessage } from '../support/push-channels.ts';
import { FB_PAGE } from '../support/facebook-webhooks.ts';
import { copyShippedConfig } from '../support/shipped-config.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { X_KEYS } from '../support/social-bridge.ts';
import { describeNeeding } from '../support/system-tools.ts';
import { until } from '../support/wait.ts';

const OUTAGE_MS = 60_000;
// citizens write during the first quarter of the outage, so every reply meets most of it
const WRITING_MS = 15_000;
const MIX = { sms: 12, facebook: 12, xDm: 12, email: 9 };

// retries that outlast the outage (3 minutes before anything is given up), backoff in seconds, and time-outs of
// a second, so a hang is a time-out (an unknown outcome) long before the outage ends
const LOCAL_YAML = `
pipeline: { retry: { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 8000, keepTryingMs: 180000 }, sweepIntervalMs: 1000 }
notify: { digestHour: null }
channels:
  sms: { requestTimeoutMs: 1000 }
  facebook: { requestTimeoutMs: 1000, commentsPollSeconds: 86400 }
  twitter: { requestTimeoutMs: 1000, pollSeconds: 86400, catchUpPollSeconds: 86400 }
  email: { requestTimeoutMs: 1000, sweepSeconds: 10 }
`;

const MAILS = [
  { subject: 'कोथरूडमध्ये कचरा', text: 'माझ्या भागात तीन दिवसांपासून कचरा उचलला गेला नाही, कोथरूड.' },
  { subject: 'हडपसर में पानी नहीं', text: 'हडपसर में हमारी गली में दो दिन से पानी नहीं आ रहा है।' },
  { subject: 'Garbage in Baner', text: 'Garbage has not been collected for three days in Baner.' },
];

/** a citizen's complaint by mail: "acknowledged" once it is in the mailbox; a reply is one Message-ID (copies of one collapse) */
function emailMessage(dovecot: Dovecot, smtp: SmtpSink, i: number): PushMessage & { address: string; copies(): number } {
  const address = `citizen.${i}@example.org`;
  const messageId = `chaos-outbound-${i}@example.org`;
  const mine = () => smtp.received.filter((r) => r.to.includes(address));
  return {
    label: `email #${i}`,
    key: `email|${MAILBOX}|${messageId}`,
    address,
    redelivered: false,
    send: async () => {
      const m = MAILS[i % MAILS.length]!;
      const raw = await composeMail({ from: `Citizen ${i} <${address}>`, subject: `${m.subject} #${i}`, text: `${m.text} #${i}`, messageId: `<${messageId}>` });
      return dovecot.append(raw).then(() => 200, () => 'error' as const);
    },
    replies: async () => [...new Map(mine().map((r) => [r.parsed.messageId, `${r.parsed.subject ?? ''}\n${r.parsed.text ?? ''}`])).values()],
    copies: () => mine().length,
  };
}

// The bridge as an operator runs it, SMS, Messenger, X DMs and email on, while every call it makes to the providers
// fails for a minute: 5xx, 429s with each provider's own headers, hangs and resets after the provider acted. After
// it, each reply is with its citizen exactly once, or a dead letter saying why; the retries kept their distance.
describeNeeding('dovecot', 'chaos: a minute of failing providers on every outbound channel', () => {
  let dir: string;
  let fakes: PushFakes;
  let smtp: SmtpSink;
  let dovecot: Dovecot;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pmc-chaos-outbound-'));
    const configDir = join(dir, 'config');
    copyShippedConfig(configDir);
    writeFileSync(join(configDir, 'local.yaml'), LOCAL_YAML);
    [fakes, smtp, dovecot] = await Promise.all([
      startPushFakes(),
      startSmtpSink(),
      startDovecot(),
    ]);
    env = {
      ...pushChannelsEnv(dir, configDir, fakes),
      IMAP_URL: dovecot.url(), SMTP_URL: smtp.url, MAIL_FROM,
    };
  });
  afterAll(async () => {
    await Promise.all([fakes?.twilio.close(), fakes?.graph.close(), fakes?.x.close(), smtp?.close(), dovecot?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('every acknowledged message is one ticket whose reply reached its citizen exactly once, or a dead letter saying why', async () => {
    const bridge = await startBridge(env, await freePort());
    const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
    try {
      const emails = Array.from({ length: MIX.email }, (_, i) => emailMessage(dovecot, smtp, i));
      const lanes: PushMessage[][] = [
        Array.from({ length: MIX.sms }, (_, i) => smsMessage(fakes, i)),
        Array.from({ length: MIX.facebook }, (_, i) => facebookMessage(fakes, i)),
        Array.from({ length: MIX.xDm }, (_, i) => xDmMessage(fakes, i)),
        emails,
      ];
      const all = lanes.flatMap((lane) => lane.map((m, k) => ({ m, at: (k + 0.5) / lane.length }))).sort((a, b) => a.at - b.at).map((x) => x.m);
      // two replies no retry can deliver: a citizen who closed their DMs, a mailbox that no longer exists
      const xGone = lanes[2]![5]!;
      const gone = new Set([xGone.key, emails[4]!.key]);
      fakes.x.blockDms(fakes.x.dms.find((d) => `twitter|${X_KEYS.X_ACCOUNT_ID}|dm:${d.id}` === xGone.key)!.sender_id);
      smtp.refuseRecipient(emails[4]!.address, 550, Infinity);

      const mix = outageMix(FB_PAGE);
      fakes.twilio.outage(OUTAGE_MS, mix.twilio);
      fakes.graph.outage(OUTAGE_MS, mix.graph);
      fakes.x.outage(OUTAGE_MS, mix.x);
      smtp.outage(OUTAGE_MS, mix.smtp);
      const outageStart = Date.now();
      const outageEnd = outageStart + OUTAGE_MS;

      const answered = new Map<PushMessage, number | 'error'>();
      for (const [k, m] of all.entries()) {
        await new Promise((r) => setTimeout(r, outageStart + (k * WRITING_MS) / all.length - Date.now()));
        answered.set(m, await m.send(bridge.url));
      }
      const ok = (s: number | 'error' | undefined) => typeof s === 'number' && s >= 200 && s < 300;
      // taking messages in does not depend on the providers: every one was acknowledged
      expect(all.filter((m) => !ok(answered.get(m))).map((m) => `${m.label}: ${answered.get(m)}`)).toEqual([]);

      // what the providers had carried out, unanswered, by the end: sends in doubt the bridge must not repeat
      await new Promise((r) => setTimeout(r, outageEnd - Date.now()));
      const inDoubt = { sms: fakes.twilio.sent.length, facebook: fakes.graph.sentMessages().length, twitter: fakes.x.dmsSent().length, email: smtp.received.length };
      const met = { ...mix.counted };
      expect(Object.values(inDoubt).every((n) => n > 0), `sends carried out unanswered: ${JSON.stringify(inDoubt)}`).toBe(true);

      let stats = await store.stats();
      await until('every message processed and every reply sent or given up', async () => {
        stats = await store.stats();
        return stats.inbound.done >= all.length && stats.inbound.pending === 0 && stats.outbox.pending === 0 && stats.outbox.sending === 0;
      }, 60_000).catch((e: Error) => {
        throw new Error(`${e.message}: ${JSON.stringify(stats)}\n${bridge.output().slice(-4000)}`);
      });
      const outbox = await store.listOutbox();

      // one ticket per message, and each reply with its citizen once (its number in what the provider has) or dead
      const ticketOf = new Map<string, string[]>();
      for (const t of await store.listTickets()) {
        const key = messageKey(t.sources.find((s) => !isThreadSource(s))!);
        ticketOf.set(key, [...(ticketOf.get(key) ?? []), t.ticketNo]);
      }
      const deadFor = (ticketNo: string): OutboxEntry[] => outbox.filter((e) => e.state === 'dead' && e.message.ticketNo === ticketNo);
      const problems: string[] = [];
      for (const m of all) {
        const tickets = ticketOf.get(m.key) ?? [];
        if (tickets.length !== 1) {
          problems.push(`${m.label}: tickets ${JSON.stringify(tickets)}`);
          continue;
        }
        const ticketNo = tickets[0]!;
        const replies = await m.replies();
        const dead = deadFor(ticketNo);
        const delivered = replies.length === 1 && replies[0]!.includes(ticketNo) && dead.length === 0;
        const given = replies.length === 0 && dead.length === 1 && gone.has(m.key);
        if (!delivered && !given) problems.push(`${m.label} ${ticketNo}: replies ${JSON.stringify(replies)}, dead ${JSON.stringify(dead.map((e) => e.lastError))}`);
      }
      expect(problems).toEqual([]);
      expect(ticketOf.size, 'tickets from no message of ours').toBe(all.length);

      // the dead letters say why, in words, and the operator's CLI lists exactly them
      const dead = outbox.filter((e) => e.state === 'dead');
      expect(dead.map((e) => e.lastError).sort()).toEqual([
        expect.stringMatching(/^PermanentSendError: X 403: You cannot send messages to this user\.$/),
        expect.stringMatching(/^PermanentSendError: the mail server refused the message for its recipient \(550\): .*Recipient address rejected/),
      ]);
      const listed = await runCli(['dead-letters', '--json'], env);
      expect(listed.code, listed.stderr).toBe(0);
      expect((JSON.parse(listed.stdout) as { kind: string; id: number; error: string }[]).map((d) => `${d.kind}:${d.id} ${d.error}`).sort())
        .toEqual(dead.map((e) => `outbound:${e.id} ${e.lastError}`).sort());

      // no storm: each channel's requests during the outage, per second of replies waiting, stay well under one
      const waited = (channel: string): number =>
        outbox.filter((e) => e.message.channel === channel).reduce((s, e) => s + Math.max(0, outageEnd - Math.max(outageStart, Date.parse(e.createdAt))) / 1000, 0);
      const rates = Object.fromEntries(Object.entries(met).map(([ch, n]) => [ch, n / waited(ch)]));
      for (const [ch, rate] of Object.entries(rates)) expect(rate, `${ch}: ${met[ch as keyof typeof met]} requests over ${waited(ch).toFixed(0)} reply-seconds`).toBeLessThan(0.5);
      // nothing was taken for sent while every answer was a failure
      const sent = outbox.filter((e) => e.state === 'sent');
      expect(sent.filter((e) => Date.parse(e.updatedAt) < outageEnd - 1000).map((e) => e.id)).toEqual([]);

      const lastDelivery = Math.max(...sent.map((e) => Date.parse(e.updatedAt)));
      const copies = emails.reduce((n, e) => n + e.copies(), 0);
      const mailIds = new Set(smtp.received.map((r) => r.parsed.messageId)).size;
      console.log(
        `chaos-outbound: ${all.length} messages (${JSON.stringify(MIX)}), outage ${OUTAGE_MS / 1000} s\n` +
          `  requests the outage met: ${Object.values(met).reduce((a, b) => a + b, 0)} ${JSON.stringify(met)}; per waiting reply-second ${JSON.stringify(Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, Number(v.toFixed(3))])))}\n` +
          `  carried out but unanswered during it (in doubt): ${JSON.stringify(inDoubt)}\n` +
          `  delivered after: ${sent.length}, dead-lettered: ${dead.length}, attempts per reply max ${Math.max(...outbox.map((e) => e.attempts))}\n` +
          `  outage end to last delivery: ${((lastDelivery - outageEnd) / 1000).toFixed(1)} s; email copies of ${mailIds} Message-IDs: ${copies}`,
      );
    } finally {
      await store.close();
      bridge.proc.kill('SIGTERM');
      await bridge.exited;
    }
  }, 180_000);
});
