import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli, startBridge, type BridgeProcess } from '../support/bridge-process.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { copyShippedConfig } from '../support/shipped-config.ts';
import { postSigned, smsBridgeEnv, smsParams } from '../support/sms-webhooks.ts';
import { until } from '../support/wait.ts';

const HOOK_PUBLIC = 'https://bridge.example.test/webhooks/sms/twilio';

// The bridge as an operator runs it (a child process), SMS through the real twilio SDK to a fake Twilio API, the
// changes made by our CLI and by another system writing the store's file.
describe('status updates (the bridge as a child process)', () => {
  let dir: string;
  let fake: FakeTwilioApi;
  let env: Record<string, string>;
  let port: number;
  let bridge: BridgeProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pmc-status-it-'));
    const configDir = join(dir, 'config');
    copyShippedConfig(configDir);
    writeFileSync(join(configDir, 'local.yaml'), 'pipeline: { sweepIntervalMs: 200 }\n');
    fake = await startFakeTwilioApi();
    port = await freePort();
    // a short settle time (the test environment has none, and no quiet hours: it runs at any hour)
    env = { ...smsBridgeEnv(join(dir, 'bridge.db'), fake.url), PMC_CONFIG_DIR: configDir, NOTIFY_SETTLE_SECONDS: '2' };
  });
  afterAll(async () => {
    bridge?.proc.kill('SIGKILL');
    await bridge?.exited;
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const to = (phone: string) => fake.sent.filter((m) => m.To === phone);

  it('tells each change once, across a SIGKILL between the change and the send, and a change written straight into the store', async () => {
    bridge = await startBridge(env, port);
    const params = smsParams(1, { Body: 'आमच्या गल्लीत तीन दिवसांपासून कचरा उचलला नाही, कोथरूड' });
    const phone = params.From!;
    expect((await postSigned(`${bridge.url}/webhooks/sms/twilio`, HOOK_PUBLIC, params)).status).toBeLessThan(300);
    const ack = await until('the acknowledgement', () => to(phone)[0]);
    const ticketNo = /PMC\d+/.exec(ack.Body ?? '')![0];

    // the officer starts work from the CLI: one SMS, in Marathi, without the internal note
    const started = await runCli(['tickets', 'status', ticketNo, 'in_progress', '--note', 'मुकादम शिंदे यांच्याकडे'], env);
    expect(started.code, started.stderr).toBe(0);
    const working = await until('the in-progress update', () => to(phone)[1]);
    expect(working.Body).toContain(`तक्रार क्रमांक ${ticketNo} वर काम सुरू झाले आहे`);
    expect(working.Body).not.toContain('शिंदे');

    // resolved with a note for the citizen, and the bridge killed before the update could go
    const resolved = await runCli(['tickets', 'status', ticketNo, 'resolved', '--note', 'internal', '--public-note', 'कचरा उचलला, परिसर स्वच्छ केला'], env);
    expect(resolved.code, resolved.stderr).toBe(0);
    bridge.proc.kill('SIGKILL');
    await bridge.exited;
    expect(to(phone).some((m) => m.Body?.includes('निकाली'))).toBe(false);
    bridge = await startBridge(env, port);
    const done = await until('the resolution update after the restart', () => to(phone).find((m) => m.Body?.includes('निकाली')));
    expect(done.Body).toContain('अधिकाऱ्यांची टीप: कचरा उचलला, परिसर स्वच्छ केला');

    // another system reopens it by writing the shared store
    const db = new Database(join(dir, 'bridge.db'));
    db.prepare(`UPDATE tickets SET status = 'reopened', updated_at = ? WHERE ticket_no = ?`).run(new Date().toISOString(), ticketNo);
    db.close();
    await until('the reopened update', () => to(phone).find((m) => m.Body?.includes('पुन्हा उघडली')));

    // a few sweeps later, still one message per change (the rating question came with the resolution)
    await new Promise((r) => setTimeout(r, 2500));
    const updates = to(phone).filter((m) => /काम सुरू|निकाली काढण्यात|पुन्हा उघडली आहे;/u.test(m.Body ?? ''));
    expect(updates.map((m) => m.Body!.slice(0, 40))).toHaveLength(3);
  }, 60_000);
});
