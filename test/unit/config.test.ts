import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
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

  it('reads a mailbox from IMAP_URL, SMTP_URL and MAIL_FROM, and names a broken URL without echoing its password', () => {
    const env = { IMAP_URL: 'imaps://complaints%40pmc.gov.in:S3cret%23x@imap.example.in:993', SMTP_URL: 'smtp://complaints%40pmc.gov.in:S3cret%23x@smtp.example.in:587', MAIL_FROM: 'PMC तक्रार <Complaints@PMC.gov.in>' };
    const [box] = loadConfig({ env }).config.channels.email.secrets!.mailboxes;
    expect(box).toMatchObject({ id: 'complaints@pmc.gov.in', envPrefix: '' });
    let said = '';
    try {
      loadConfig({ env: { ...env, IMAP_URL: 'imaps://complaints%40pmc.gov.in:Secr#t2026@imap.example.in:993' } });
    } catch (err) {
      said = (err as Error).message;
    }
    expect(said).toMatch(/IMAP_URL is not a URL/);
    expect(said).toMatch(/# is %23/);
    expect(said).not.toContain('Secr');
    // a part of a mailbox set is a mistake; none of it is email off
    expect(() => loadConfig({ env: { IMAP_URL: env.IMAP_URL } })).toThrow(/SMTP_URL, MAIL_FROM not set/);
    expect(loadConfig({ env: {} }).config.channels.email.secrets).toBeUndefined();
  });

  it('stops on a bad value and names the key and the variable', () => {
    expect(() => loadConfig({ env: { PORT: 'abc' } })).toThrow(/server\.port \(PORT\)/);
    expect(() => loadConfig({ env: { STORE_URL: 'postgres://x' } })).toThrow(/store\.url/);
  });

  it('names the missing Twilio variable when only some are set', () => {
    expect(() => loadConfig({ env: { TWILIO_ACCOUNT_SID: 'AC' + '0'.repeat(32) } })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { TWILIO_ACCOUNT_SID: 'AC' + '0'.repeat(32) } })).toThrow(/TWILIO_AUTH_TOKEN/);
  });

  it('builds the Facebook pages and X accounts from the environment, naming what is missing or malformed', () => {
    const fb = { FACEBOOK_APP_SECRET: 'app-secret-0123456789', FACEBOOK_VERIFY_TOKEN: 'verify-123', FACEBOOK_PAGE_ID: '104000000000001', FACEBOOK_PAGE_TOKEN: 'EAApagetoken000000000001' };
    expect(loadConfig({ env: fb }).config.channels.facebook.secrets?.pages).toEqual([{ id: '104000000000001', token: 'EAApagetoken000000000001', humanAgentTag: false }]);
    expect(loadConfig({ env: {} }).config.channels.facebook.secrets).toBeUndefined();
    expect(() => loadConfig({ env: { ...fb, FACEBOOK_VERIFY_TOKEN: '' } })).toThrow(/FACEBOOK_VERIFY_TOKEN not set/);
    expect(() => loadConfig({ env: { ...fb, FACEBOOK_PAGE_TOKEN: undefined } })).toThrow(/FACEBOOK_PAGE_TOKEN not set/);
    expect(() => loadConfig({ env: { ...fb, FACEBOOK_PAGE_ID: 'pmc-pune' } })).toThrow(/FACEBOOK_PAGE_ID: must be a numeric id/);
    const x = { X_ACCOUNT_ID: '1700000000000000001', X_API_KEY: 'key-0123456789', X_API_SECRET: 'secret-0123456789', X_ACCESS_TOKEN: 'token-0123456789', X_ACCESS_SECRET: 'asecret-0123456789' };
    expect(loadConfig({ env: x }).config.channels.twitter.secrets?.accounts[0]).toMatchObject({ id: '1700000000000000001', appKey: 'key-0123456789' });
    expect(() => loadConfig({ env: { ...x, X_ACCESS_SECRET: '' } })).toThrow(/X_ACCESS_SECRET not set/);
    expect(() => loadConfig({ env: { ...x, X_API_BASE: 'http://x.example.org' } })).toThrow(/X_API_BASE: must be an https origin/);
  });

  it('takes more pages and accounts from the config files, each secret from the variable it names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmc-config-'));
    try {
      copyFileSync(join('config', 'default.yaml'), join(dir, 'default.yaml'));
      writeFileSync(
        join(dir, 'local.yaml'),
        "channels:\n  facebook: { pages: [{ id: '104000000000002', tokenEnv: FB_TOKEN_WARD5, humanAgentTag: true }] }\n  twitter: { accounts: [{ id: '1700000000000000002', envPrefix: X_WARD5 }] }\n",
      );
      const app = { FACEBOOK_APP_SECRET: 'app-secret-0123456789', FACEBOOK_VERIFY_TOKEN: 'verify-123' };
      expect(() => loadConfig({ dir, env: app })).toThrow(/page 104000000000002 takes its token from FB_TOKEN_WARD5, which is not set/);
      const ward = { X_WARD5_API_KEY: 'key-0123456789', X_WARD5_API_SECRET: 'secret-0123456789', X_WARD5_ACCESS_TOKEN: 'token-0123456789', X_WARD5_ACCESS_SECRET: 'short' };
      expect(() => loadConfig({ dir, env: { ...app, FB_TOKEN_WARD5: 'EAApagetoken000000000002', ...ward } })).toThrow(/X_WARD5_ACCESS_SECRET/);
      const { config } = loadConfig({ dir, env: { ...app, FB_TOKEN_WARD5: 'EAApagetoken000000000002', ...ward, X_WARD5_ACCESS_SECRET: 'asecret-0123456789' } });
      expect(config.channels.facebook.secrets?.pages).toEqual([{ id: '104000000000002', token: 'EAApagetoken000000000002', humanAgentTag: true }]);
      expect(config.channels.twitter.secrets?.accounts.map((a) => a.id)).toEqual(['1700000000000000002']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("starts on a folder's older copy of default.yaml: the keys added since come from the shipped one, and are named", () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmc-config-'));
    try {
      // an operator's copy made before pipeline.burst existed, with a prefix and quiet hours of their own
      const shipped = parseYaml(readFileSync('config/default.yaml', 'utf8')) as Record<string, Record<string, unknown>>;
      const { burst: _burst, ...pipeline } = shipped.pipeline!;
      const copy = { ...shipped, pipeline, tickets: { ...shipped.tickets, prefix: 'PMX' }, notify: { ...shipped.notify, quietHours: null } };
      writeFileSync(join(dir, 'default.yaml'), stringifyYaml(copy));
      const { config, fromShipped, files } = loadConfig({ dir, env: {} });
      expect(fromShipped).toEqual(['pipeline.burst']);
      expect(config.pipeline.burst).toEqual(loadConfig({ env: {} }).config.pipeline.burst);
      // what the copy says stands, a null included
      expect(config.tickets.prefix).toBe('PMX');
      expect(config.notify.quietHours).toBeNull();
      expect(files).toEqual([join(process.cwd(), 'config', 'default.yaml'), join(dir, 'default.yaml')]);
      // a complete copy reads as it is
      copyFileSync('config/default.yaml', join(dir, 'default.yaml'));
      expect(loadConfig({ dir, env: {} })).toMatchObject({ fromShipped: [], files: [join(dir, 'default.yaml')] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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

