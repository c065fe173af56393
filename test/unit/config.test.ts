import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.ts';

describe('configuration', () => {
  it('loads the defaults with SMS off when no TWILIO_* is set', () => {
    const { config } = loadConfig({ env: {} });
    expect(config.server.port).toBe(3978);
    expect(config.store.url).toBe('sqlite:data/bridge.db');
    expect(config.channels.sms.twilio).toBeUndefined();
    expect(config.bot.enabled).toBe(true);
  });

  it('takes the web chat token secret from WEBCHAT_TOKEN_SECRET only, and refuses a short one', () => {
    const secret = 'a-test-secret-that-is-long-enough-0123456789';
    expect(loadConfig({ env: { WEBCHAT_TOKEN_SECRET: secret } }).config.channels.webchat.tokenSecret).toBe(secret);
    expect(loadConfig({ env: {} }).config.channels.webchat.tokenSecret).toBeUndefined();
    expect(() => loadConfig({ env: { WEBCHAT_TOKEN_SECRET: 'short' } })).toThrow(/WEBCHAT_TOKEN_SECRET must be at least 32 characters/);
  });

  it('stops on a bad value and names the key and the variable', () => {
    expect(() => loadConfig({ env: { PORT: 'abc' } })).toThrow(/server\.port \(PORT\)/);
    expect(() => loadConfig({ env: { STORE_URL: 'postgres://x' } })).toThrow(/store\.url/);
  });

  it('names the missing Twilio variable when only some are set', () => {
    expect(() => loadConfig({ env: { TWILIO_ACCOUNT_SID: 'AC' + '0'.repeat(32) } })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { TWILIO_ACCOUNT_SID: 'AC' + '0'.repeat(32) } })).toThrow(/TWILIO_AUTH_TOKEN/);
  });

  it('takes Twilio secrets from the environment and freezes the result', () => {
    const { config } = loadConfig({
      env: { TWILIO_ACCOUNT_SID: 'AC' + 'a'.repeat(32), TWILIO_AUTH_TOKEN: 'secret-token-1', TWILIO_FROM: '+912012345678' },
    });
    expect(config.channels.sms.twilio?.from).toBe('+912012345678');
    expect(Object.isFrozen(config.server)).toBe(true);
  });

  it('refuses a secret written in a config file, naming the file and the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmc-config-'));
    try {
      copyFileSync('config/default.yaml', join(dir, 'default.yaml'));
      writeFileSync(join(dir, 'local.yaml'), 'channels:\n  sms:\n    twilio:\n      authToken: not-in-a-file\n');
      expect(() => loadConfig({ dir, env: {} })).toThrow(/local\.yaml: channels\.sms\.twilio\.authToken is a secret/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

