import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { freePort, ROOT, runCli, startBridge, type BridgeProcess } from '../support/bridge-process.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { smsBridgeEnv, TEST_FROM } from '../support/sms-webhooks.ts';

const FOLDER = 'test/fixtures/twilio/replay';
/** each fixture file and the language its complaints are written in (romanised text: whatever the detector says) */
const FILES: Record<string, 'mr' | 'hi' | 'en' | undefined> = {
  '01-marathi.json': 'mr',
  '02-hindi.json': 'hi',
  '03-english.json': 'en',
  '04-romanised.txt': undefined,
};

/** The fixture webhooks, read here independently of the CLI's own reader. */
const WEBHOOKS = Object.entries(FILES).flatMap(([file, lang]) => {
  const text = readFileSync(join(ROOT, FOLDER, file), 'utf8');
  const list: Record<string, string>[] = file.endsWith('.json')
    ? [JSON.parse(text)].flat()
    : text.split('\n').filter((l) => l.trim() !== '').map((l) => Object.fromEntries(new URLSearchParams(l)));
  return list.map((params) => ({ file, lang, params, sid: params.MessageSid! }));
});
const N = WEBHOOKS.length;

interface ListedTicket {
  ticketNo: string;
  status: string;
  language: string;
  history: { from: string | null; to: string }[];
  attachments: { kind: string; mime?: string; url?: string }[];
  sources: { externalId: string }[];
  sourceMessages: { externalId: string; text: string; sender: { id: string }; raw?: unknown }[];
}

async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const summary = (stdout: string) => {
  const m = /(\d+) webhooks sent, (\d+) accepted, (\d+) failed/u.exec(stdout);
  return m ? { sent: Number(m[1]), accepted: Number(m[2]), failed: Number(m[3]) } : undefined;
};

describe('pmc-bridge CLI beside a running bridge', () => {
  let dir: string;
  let fake: FakeTwilioApi;
  let bridge: BridgeProcess;
  let env: Record<string, string>;
  let store: SqliteStore;
  let firstReplay: Awaited<ReturnType<typeof runCli>>;
  let tickets: ListedTicket[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pmc-cli-'));
    fake = await startFakeTwilioApi();
    const port = await freePort();
    env = { ...smsBridgeEnv(join(dir, 'bridge.db'), fake.url), PORT: String(port) };
    bridge = await startBridge(env, port);
    store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
    firstReplay = await runCli(['replay', FOLDER, '--no-progress'], env);
    await until('every replayed complaint filed and answered', async () => {
      const s = await store.stats();
      return s.tickets >= N && s.outbox.sent + s.outbox.delivered >= N;
    });
    const listed = await runCli(['tickets', 'list', '--json'], env);
    expect(listed.code).toBe(0);
    tickets = JSON.parse(listed.stdout) as ListedTicket[];
  });
  afterAll(async () => {
    await store?.close();
    bridge?.proc.kill('SIGTERM');
    await bridge?.exited;
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // the folder also holds a README.md: replay must skip it, not send its lines as webhooks
  it('replays the fixture folder: exit 0, every webhook accepted, nothing failed', () => {
    expect(firstReplay.stdout).toContain(`${N} webhooks sent, ${N} accepted, 0 failed`);
    expect(firstReplay.code).toBe(0);
  });

  it('the bridge accepts every recorded webhook the replay sends', () => {
    expect(N).toBe(9);
    const s = summary(firstReplay.stdout);
    expect(s?.accepted).toBe(N);
    expect(s!.sent).toBe(N);
    expect(firstReplay.stderr).not.toMatch(/README\.md/u);
  });

  it('tickets list --json: one ticket per webhook, with its source message and language', () => {
    expect(tickets).toHaveLength(N);
    for (const w of WEBHOOKS) {
      const mine = tickets.filter((t) => t.sources.some((s) => s.externalId === w.sid));
      expect(mine, w.sid).toHaveLength(1);
      const t = mine[0]!;
      expect(t.status).toBe('received');
      expect(t.sourceMessages).toHaveLength(1);
      expect(t.sourceMessages[0]).toMatchObject({ externalId: w.sid, text: w.params.Body, sender: { id: w.params.From } });
      expect(t.sourceMessages[0]).not.toHaveProperty('raw');
      if (w.lang) expect(t.language, w.params.Body).toBe(w.lang);
      else expect(['mr', 'hi', 'en']).toContain(t.language);
    }
    const mms = WEBHOOKS.find((w) => w.params.NumMedia === '1')!;
    const withPhoto = tickets.find((t) => t.sources[0]!.externalId === mms.sid)!;
    expect(withPhoto.attachments).toEqual([{ kind: 'image', mime: 'image/jpeg', url: mms.params.MediaUrl0 }]);
  });

  it('tickets list --json --limit 2: exactly the two newest', async () => {
    const r = await runCli(['tickets', 'list', '--json', '--limit', '2'], env);
    expect(r.code).toBe(0);
    const two = JSON.parse(r.stdout) as ListedTicket[];
    const numbers = tickets.map((t) => Number(t.ticketNo.slice(3))).sort((a, b) => b - a);
    expect(two.map((t) => t.ticketNo)).toEqual(numbers.slice(0, 2).map((n) => `PMC${n}`));
  });

  it('tickets list (table) shows ticket numbers and the Marathi complaints', async () => {
    const r = await runCli(['tickets', 'list'], env);
    expect(r.code).toBe(0);
    const kothrud = WEBHOOKS.find((w) => w.params.Body!.startsWith('कोथरूड'))!;
    const t = tickets.find((x) => x.sources[0]!.externalId === kothrud.sid)!;
    const row = r.stdout.split('\n').find((l) => l.startsWith(t.ticketNo));
    expect(r.stdout.split('\n')[0]).toMatch(/^ticket\s+status\s+lang\s+department\s+created\s+complaint$/u);
    expect(row).toMatch(/^PMC\d+\s+received\s+mr\s+SWM\s+.*कोथरूडमधील आमच्या सोसायटीसमोरचा/u);
  });

  it('tickets show: history and source messages; a missing ticket is named', async () => {
    const t = tickets.find((x) => x.language === 'hi')!;
    const r = await runCli(['tickets', 'show', t.ticketNo.toLowerCase(), '--json'], env);
    expect(r.code).toBe(0);
    const shown = JSON.parse(r.stdout) as ListedTicket;
    expect(shown.ticketNo).toBe(t.ticketNo);
    expect(shown.history).toEqual([expect.objectContaining({ from: null, to: 'received' })]);
    expect(shown.sourceMessages).toEqual([expect.objectContaining({ externalId: t.sources[0]!.externalId, text: t.sourceMessages[0]!.text })]);

    const text = await runCli(['tickets', 'show', t.ticketNo], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(t.sourceMessages[0]!.text);
    expect(text.stdout).toMatch(/^history:\n\s+\S+\s+— → received/mu);

    const missing = await runCli(['tickets', 'show', 'PMC1'], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('no ticket PMC1');
  });

  it('outbox list --json: one sent acknowledgement per ticket, to the citizen who wrote', async () => {
    const r = await runCli(['outbox', 'list', '--json'], env);
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.stdout) as { state: string; message: { ticketNo?: string; to: string; inReplyTo?: string } }[];
    expect(entries).toHaveLength(N);
    expect(entries.every((e) => e.state === 'sent' || e.state === 'delivered')).toBe(true);
    expect(new Set(entries.map((e) => e.message.ticketNo))).toEqual(new Set(tickets.map((t) => t.ticketNo)));
    for (const w of WEBHOOKS) {
      const e = entries.find((x) => x.message.inReplyTo === w.sid)!;
      expect(e.message.to).toBe(w.params.From);
      // and the bridge really sent it, once, carrying the number
      expect(fake.sent.filter((m) => m.To === w.params.From && m.Body?.includes(e.message.ticketNo!))).toHaveLength(1);
    }
  });

  it('bad options stop with exit 64 and say which option', async () => {
    const limit = await runCli(['tickets', 'list', '--limit', 'abc'], env);
    expect(limit.code).toBe(64);
    expect(limit.stderr).toContain('--limit');
    expect(limit.stdout).toBe('');
    const status = await runCli(['tickets', 'list', '--status', 'nonsense'], env);
    expect(status.code).toBe(64);
    expect(status.stderr).toContain('--status must be one of received');
  });

  it('dead-letters --json: none', async () => {
    const r = await runCli(['dead-letters', '--json'], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('replaying again: the bridge answers 200 and drops the duplicates, no new tickets or replies', async () => {
    const sentBefore = fake.sent.length;
    const again = await runCli(['replay', FOLDER, '--no-progress', '--concurrency', '3'], env);
    expect(summary(again.stdout)?.accepted).toBe(N);
    for (const w of WEBHOOKS) {
      const archived = await store.getInboundBySource({ channel: 'sms', accountId: TEST_FROM, externalId: w.sid });
      expect(archived?.duplicates, w.sid).toBe(1);
    }
    const s = await store.stats();
    expect(s.tickets).toBe(N);
    expect(s.outbox.sent + s.outbox.delivered).toBe(N);
    expect(fake.sent.length).toBe(sentBefore);
  });

  it('replay without TWILIO_AUTH_TOKEN stops and names it', async () => {
    const before = await store.stats();
    const { TWILIO_AUTH_TOKEN: _token, ...noToken } = env;
    const r = await runCli(['replay', FOLDER, '--no-progress'], noToken);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('TWILIO_AUTH_TOKEN');
    expect(r.stdout).not.toMatch(/webhooks sent/u);
    const { TWILIO_ACCOUNT_SID: _s, TWILIO_FROM: _f, TWILIO_API_BASE: _b, ...noTwilio } = noToken;
    const bare = await runCli(['replay', FOLDER, '--no-progress'], noTwilio);
    expect(bare.code).toBe(64);
    expect(bare.stderr).toContain('TWILIO_AUTH_TOKEN');
    expect(await store.stats()).toEqual(before); // nothing reached the bridge
  });

  // Number('abc') is NaN, which once made replay run no worker and report "0 webhooks sent" with exit 0
  it('replay --concurrency abc is a usage error, not a silent no-op', async () => {
    const r = await runCli(['replay', FOLDER, '--no-progress', '--concurrency', 'abc'], env);
    expect(r.stdout).not.toContain('0 webhooks sent');
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('--concurrency');
  });

  it('replay of a missing path stops with a clear message', async () => {
    const r = await runCli(['replay', 'test/fixtures/twilio/no-such-folder', '--no-progress'], env);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('test/fixtures/twilio/no-such-folder: no such file or folder');
    expect(r.stdout).toBe('');
  });

  it('tickets status: staff resolve a ticket and the running bridge asks its citizen for a rating by SMS', async () => {
    const t = tickets.find((x) => x.language === 'mr')!;
    const from = t.sourceMessages[0]!.sender.id;
    const wrong = await runCli(['tickets', 'status', t.ticketNo, 'reopened'], env);
    expect(wrong.code).toBe(64); // a ticket not yet settled cannot be reopened
    expect(wrong.stderr).toContain(`ticket ${t.ticketNo} cannot move from received to reopened`);
    const bad = await runCli(['tickets', 'status', t.ticketNo, 'done'], env);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('status must be one of received');

    expect((await runCli(['tickets', 'status', t.ticketNo, 'in_progress'], env)).code).toBe(0);
    const resolved = await runCli(['tickets', 'status', t.ticketNo.toLowerCase(), 'resolved', '--note', 'कचरा उचलला'], env);
    expect(resolved.code).toBe(0);
    expect(resolved.stdout).toBe(`${t.ticketNo}  in_progress → resolved\n`);
    // the bridge sweeps every few seconds: the question goes out on the SMS conversation the complaint came by
    const asked = await until('the rating question sent', async () =>
      fake.sent.some((m) => m.To === from && m.Body?.includes(t.ticketNo) && m.Body.includes('1 ते 5')),
    ).then(() => fake.sent.filter((m) => m.To === from && m.Body?.includes('1 ते 5')));
    expect(asked).toHaveLength(1);
    expect((await store.getTicket(t.ticketNo))?.history.at(-1)).toMatchObject({ to: 'resolved', by: `cli:${userInfo().username}`, note: 'कचरा उचलला' });
    expect((await store.admin.listAudit({ kind: 'ticket', recordId: t.ticketNo, limit: 1 }))[0]).toMatchObject({ actor: `cli:${userInfo().username}`, after: { status: 'resolved' } });
  });
});
