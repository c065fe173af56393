import { createHash, randomBytes, scryptSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findToken, issueToken } from '../../src/admin/auth/api-tokens.ts';
import { authenticate, csrfOk, type Actor } from '../../src/admin/auth/authenticate.ts';
import { ensureBootstrapAdmin } from '../../src/admin/auth/bootstrap.ts';
import { cookieValue } from '../../src/admin/auth/cookie-header.ts';
import { LoginLimiter } from '../../src/admin/auth/login-limiter.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../../src/admin/auth/password.ts';
import { closeSession, openSession, readSession } from '../../src/admin/auth/sessions.ts';
import { StaffUser } from '../../src/model/staff.ts';
import type { AdminStore } from '../../src/store/admin-store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

const T0 = new Date('2025-06-02T04:30:00.000Z');
const MINUTE = 60_000;
const later = (ms: number) => new Date(T0.getTime() + ms);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

let dir: string;
let store: SqliteStore;
let admin: AdminStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pmc-admin-auth-'));
  store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
  admin = store.admin;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function addUser(id: string, extra: Partial<StaffUser> = {}): Promise<StaffUser> {
  const user = StaffUser.parse({ id, name: 'सुनीता पाटील', role: 'officer', wards: ['kasba-vishrambaug'], ...extra });
  await admin.saveRecords([{ kind: 'user', id, data: user, action: 'create' }], 'cli:test', T0);
  return user;
}

describe('passwords', () => {
  it('a hash verifies its own password and no other', async () => {
    const stored = await hashPassword('कसबा-पेठ-वार्ड-१५');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('कसबा-पेठ-वार्ड-१५', stored)).toBe(true);
    expect(await verifyPassword('कसबा-पेठ-वार्ड-१६', stored)).toBe(false);
    expect(await hashPassword('कसबा-पेठ-वार्ड-१५')).not.toBe(stored); // a fresh salt each time
  });

  it('a tampered or malformed stored value never verifies', async () => {
    const stored = await hashPassword('correct horse battery');
    const parts = stored.split('$');
    const key = Buffer.from(parts[5]!, 'base64url');
    key[0] = key[0]! ^ 1;
    expect(await verifyPassword('correct horse battery', [...parts.slice(0, 5), key.toString('base64url')].join('$'))).toBe(false);
    expect(await verifyPassword('correct horse battery', [parts[0], '16384', ...parts.slice(2)].join('$'))).toBe(false);
    for (const bad of ['', 'scrypt', stored.slice(0, -1) + '!', `scrypt$1000$8$1$${parts[4]}$${parts[5]}`, `scrypt$1073741824$8$1$${parts[4]}$${parts[5]}`, `bcrypt$${parts.slice(1).join('$')}`]) {
      expect(await verifyPassword('correct horse battery', bad)).toBe(false);
    }
  });

  it('reads the parameters from the stored value, so older hashes keep working', async () => {
    const salt = randomBytes(16);
    const key = scryptSync('पुणे महानगरपालिका', salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const older = `scrypt$16384$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
    expect(await verifyPassword('पुणे महानगरपालिका', older)).toBe(true);
  });

  it('the same Marathi password typed as different code points is the same password', async () => {
    const stored = await hashPassword('\u0958िल्ला-शनिवारवाडा'); // क़ as one code point
    expect(await verifyPassword('\u0915\u093cिल्ला-शनिवारवाडा', stored)).toBe(true); // क + nukta
  });

  it('says what a new password needs', () => {
    expect(passwordProblem('short')).toBe('Choose a password of at least 10 characters.');
    expect(passwordProblem('पासवर्ड')).toMatch(/at least 10/); // 7 letters, more UTF-16 units
    expect(passwordProblem('x'.repeat(201))).toBe('Choose a password of at most 200 characters.');
    expect(passwordProblem('aaaaaaaaaaaa')).toBe('Choose a password that is not one character repeated.');
    expect(passwordProblem('सुनीता-पाटील-२०२५')).toBeUndefined();
  });
});

describe('API tokens', () => {
  it('issues a secret that is never stored and finds its token by hashing what is presented', async () => {
    const user = await addUser('sunita');
    const { secret, token } = issueToken('sunita', 'ward report script', T0);
    expect(secret).toMatch(/^pmc_[A-Za-z0-9_-]{43}$/);
    expect(token).toEqual({ id: sha256(secret).slice(0, 16), userId: 'sunita', name: 'ward report script', hash: sha256(secret), createdAt: T0.toISOString() });
    expect(JSON.stringify(token)).not.toContain(secret.slice(4));
    await admin.saveRecords([{ kind: 'token', id: token.id, data: token, action: 'create' }], 'user:sunita', T0);

    expect(await findToken(admin, secret, later(MINUTE))).toEqual({ token, user });
    expect(await findToken(admin, secret + 'x', T0)).toBeUndefined();
    expect(await findToken(admin, '', T0)).toBeUndefined();
  });

  it('a record whose full hash differs is not the token, though its id matches', async () => {
    await addUser('sunita');
    const { secret, token } = issueToken('sunita', 'script', T0);
    const forged = { ...token, hash: token.hash.slice(0, 16) + '0'.repeat(48) };
    await admin.saveRecords([{ kind: 'token', id: token.id, data: forged, action: 'create' }], 'user:sunita', T0);
    expect(await findToken(admin, secret, T0)).toBeUndefined();
  });

  it('refuses a revoked token, an expired one, and one whose user is disabled or gone', async () => {
    await addUser('sunita');
    const revoked = issueToken('sunita', 'revoked', T0);
    const expiring = issueToken('sunita', 'expiring', T0, later(60 * MINUTE));
    const orphan = issueToken('ganesh', 'orphan', T0);
    await admin.saveRecords(
      [
        { kind: 'token', id: revoked.token.id, data: { ...revoked.token, revokedAt: T0.toISOString() }, action: 'create' },
        { kind: 'token', id: expiring.token.id, data: expiring.token, action: 'create' },
        { kind: 'token', id: orphan.token.id, data: orphan.token, action: 'create' },
      ],
      'user:sunita',
      T0,
    );
    expect(await findToken(admin, revoked.secret, T0)).toBeUndefined();
    expect(await findToken(admin, expiring.secret, later(59 * MINUTE))).toBeDefined();
    expect(await findToken(admin, expiring.secret, later(60 * MINUTE))).toBeUndefined();
    expect(await findToken(admin, orphan.secret, T0)).toBeUndefined();

    const user = (await admin.getRecord('user', 'sunita'))!;
    await admin.saveRecords([{ kind: 'user', id: 'sunita', data: { ...(user.data as StaffUser), enabled: false }, expectVersion: user.version, action: 'disable' }], 'user:admin', T0);
    expect(await findToken(admin, expiring.secret, T0)).toBeUndefined();
  });
});

describe('the bootstrap administrator', () => {
  const SECRET = 'Jm3v9QxZ1kP0sT7wYb2nR5cL8dF4gH6a';

  it('is made once, with a token whose secret is the variable, in one audited change', async () => {
    expect(await ensureBootstrapAdmin(admin, undefined, T0)).toBe('no-token');
    expect(await ensureBootstrapAdmin(admin, '  ', T0)).toBe('no-token');
    expect(await admin.listRecords('user')).toEqual([]);

    expect(await ensureBootstrapAdmin(admin, SECRET, T0)).toBe('created');
    const found = await findToken(admin, SECRET, T0);
    expect(found?.user).toMatchObject({ id: 'admin', name: 'Administrator', role: 'admin', enabled: true });
    expect(found?.user.passwordHash).toBeUndefined();
    expect(found?.token).toMatchObject({ id: sha256(SECRET).slice(0, 16), hash: sha256(SECRET), name: 'bootstrap', userId: 'admin' });
    const audit = await admin.listAudit({ actor: 'bootstrap', limit: 10 });
    expect(audit.map((a) => [a.kind, a.action])).toEqual([
      ['token', 'create'],
      ['user', 'create'],
    ]);
    expect(JSON.stringify(audit)).not.toContain(SECRET);

    expect(await ensureBootstrapAdmin(admin, 'a different secret of enough length', later(MINUTE))).toBe('users-exist');
    expect(await admin.listRecords('token')).toHaveLength(1);
  });

  it('does nothing once users exist', async () => {
    await addUser('sunita');
    expect(await ensureBootstrapAdmin(admin, SECRET, T0)).toBe('users-exist');
    expect(await admin.listRecords('token')).toEqual([]);
  });

  it('refuses a short secret, saying what is wanted', async () => {
    await expect(ensureBootstrapAdmin(admin, 'admin123', T0)).rejects.toThrow(/ADMIN_BOOTSTRAP_TOKEN must be at least 24 random characters/);
    await expect(ensureBootstrapAdmin(admin, 'twenty four characters with spaces', T0)).rejects.toThrow(/ADMIN_BOOTSTRAP_TOKEN/);
    expect(await admin.listRecords('user')).toEqual([]);
  });
});

describe('sessions', () => {
  it('keeps only the hash of the cookie, and ends when it expires', async () => {
    await addUser('sunita');
    const opened = await openSession(admin, 'sunita', T0);
    expect(opened.cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(opened.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(opened.expiresAt).toEqual(later(8 * 60 * MINUTE));
    expect(await admin.getSession(opened.cookie, T0)).toBeUndefined();
    expect(await admin.getSession(sha256(opened.cookie), T0)).toMatchObject({ userId: 'sunita', csrf: opened.csrf });

    expect(await readSession(admin, opened.cookie, later(8 * 60 * MINUTE - 1))).toMatchObject({ userId: 'sunita' });
    expect(await readSession(admin, opened.cookie, later(8 * 60 * MINUTE))).toBeUndefined();
    expect(await readSession(admin, 'not-a-cookie', T0)).toBeUndefined();
  });

  it('is gone once closed', async () => {
    const short = await openSession(admin, 'sunita', T0, 5 * MINUTE);
    expect(await readSession(admin, short.cookie, later(4 * MINUTE))).toBeDefined();
    await closeSession(admin, short.cookie);
    expect(await readSession(admin, short.cookie, later(4 * MINUTE))).toBeUndefined();
  });
});

describe('the login limiter', () => {
  it('locks a username from one address after 5 failures, and opens again 15 minutes after them; its owner elsewhere still signs in', () => {
    const limiter = new LoginLimiter();
    for (let i = 0; i < 5; i++) {
      expect(limiter.check('sunita', '203.0.113.7', later(i * 1000))).toEqual({ ok: true });
      limiter.fail('sunita', '203.0.113.7', later(i * 1000));
    }
    expect(limiter.check('sunita', '203.0.113.7', later(5000))).toEqual({ ok: false, retryAfterSeconds: 900 - 5 });
    expect(limiter.check('Sunita ', '203.0.113.7', later(5000)).ok).toBe(false); // as the login reads it
    expect(limiter.check('ganesh', '203.0.113.7', later(5000))).toEqual({ ok: true });
    // someone guessing her name cannot lock her out at her ward office
    expect(limiter.check('sunita', '198.51.100.2', later(5000))).toEqual({ ok: true });
    expect(limiter.check('sunita', '203.0.113.7', later(15 * MINUTE - 1)).ok).toBe(false);
    expect(limiter.check('sunita', '203.0.113.7', later(15 * MINUTE))).toEqual({ ok: true });
  });

  it('locks an address after 20 failures, whatever the names; a /64 is one address', () => {
    const limiter = new LoginLimiter();
    for (let i = 0; i < 20; i++) limiter.fail(`user${i}`, `2001:db8:5:7::${i + 1}`, T0);
    expect(limiter.check('someone', '2001:db8:5:7:ffff::9', later(MINUTE)).ok).toBe(false);
    expect(limiter.check('someone', '2001:db8:5:8::1', later(MINUTE))).toEqual({ ok: true });
  });

  it('a success clears the username and takes back its own attempt', () => {
    const limiter = new LoginLimiter({ perUsername: 5, perAddress: 2, windowMs: 15 * MINUTE, mostKeys: 100 });
    for (let i = 0; i < 4; i++) limiter.fail('sunita', '::ffff:203.0.113.7', T0);
    limiter.succeed('sunita', '203.0.113.7');
    // the address had its 2 (the limit); the successful attempt's own failure was taken back
    expect(limiter.check('ganesh', '203.0.113.7', T0)).toEqual({ ok: true });
    for (let i = 0; i < 4; i++) limiter.fail('sunita', '198.51.100.1', T0);
    expect(limiter.check('sunita', '198.51.100.3', T0)).toEqual({ ok: true });
  });

  it('remembers a bounded number of keys, forgetting the stalest first', () => {
    const limiter = new LoginLimiter({ perUsername: 1, perAddress: 1000, windowMs: 15 * MINUTE, mostKeys: 10 });
    for (let i = 0; i < 50; i++) limiter.fail(`user${i}`, '203.0.113.7', later(i));
    expect(limiter.check('user0', '203.0.113.7', later(100))).toEqual({ ok: true });
    expect(limiter.check('user49', '203.0.113.7', later(100)).ok).toBe(false);
    expect((limiter as unknown as { failures: Map<string, number[]> }).failures.size).toBeLessThanOrEqual(10);
  });
});

describe('authenticate and csrfOk', () => {
  it('knows a Bearer token and a session cookie, and nothing else', async () => {
    await addUser('sunita');
    const { secret, token } = issueToken('sunita', 'script', T0);
    await admin.saveRecords([{ kind: 'token', id: token.id, data: token, action: 'create' }], 'user:sunita', T0);
    const session = await openSession(admin, 'sunita', T0);

    expect(await authenticate(admin, { headers: { authorization: `Bearer ${secret}` } }, T0)).toMatchObject({ kind: 'token', tokenId: token.id, ref: `token:${token.id}`, user: { id: 'sunita' } });
    expect(await authenticate(admin, { headers: { cookie: `lang=mr; pmc_admin=${session.cookie}` } }, T0)).toMatchObject({ kind: 'user', ref: 'user:sunita', csrf: session.csrf });
    // a wrong token is not rescued by the cookie
    expect(await authenticate(admin, { headers: { authorization: 'Bearer pmc_wrong', cookie: `pmc_admin=${session.cookie}` } }, T0)).toBeUndefined();
    expect(await authenticate(admin, { headers: { authorization: `Basic ${secret}` } }, T0)).toBeUndefined();
    expect(await authenticate(admin, { headers: { cookie: 'pmc_admin=' + 'A'.repeat(43) } }, T0)).toBeUndefined();
    expect(await authenticate(admin, { headers: {} }, T0)).toBeUndefined();
  });

  it('refuses the session of a disabled user', async () => {
    const user = await addUser('sunita');
    const session = await openSession(admin, 'sunita', T0);
    await admin.saveRecords([{ kind: 'user', id: 'sunita', data: { ...user, enabled: false }, action: 'disable' }], 'user:admin', T0);
    expect(await authenticate(admin, { headers: { cookie: `pmc_admin=${session.cookie}` } }, T0)).toBeUndefined();
  });

  it('asks a session, not a token, for its CSRF token on unsafe methods', () => {
    const user = StaffUser.parse({ id: 'sunita', name: 'सुनीता पाटील', role: 'officer' });
    const browser: Actor = { kind: 'user', user, ref: 'user:sunita', csrf: 'c'.repeat(43) };
    const machine: Actor = { kind: 'token', user, tokenId: 'abcdef0123456789', ref: 'token:abcdef0123456789' };
    expect(csrfOk(machine, { method: 'POST', headers: {} })).toBe(true);
    expect(csrfOk(browser, { method: 'GET', headers: {} })).toBe(true);
    expect(csrfOk(browser, { method: 'POST', headers: {} })).toBe(false);
    expect(csrfOk(browser, { method: 'DELETE', headers: { 'x-csrf-token': 'c'.repeat(42) } })).toBe(false);
    expect(csrfOk(browser, { method: 'PATCH', headers: { 'x-csrf-token': 'c'.repeat(43) } })).toBe(true);
    const form = Object.assign(Object.create(null) as Record<string, unknown>, { _csrf: 'c'.repeat(43) });
    expect(csrfOk(browser, { method: 'POST', headers: {}, body: form })).toBe(true);
    expect(csrfOk(browser, { method: 'POST', headers: {}, body: { _csrf: ['c'.repeat(43), 'x'] } })).toBe(false);
    expect(csrfOk({ ...browser, csrf: undefined }, { method: 'PUT', headers: { 'x-csrf-token': '' } })).toBe(false);
  });

  it('reads one cookie out of a Cookie header', () => {
    expect(cookieValue('a=1; pmc_admin=xyz; pmc_admin=other', 'pmc_admin')).toBe('xyz');
    expect(cookieValue('xpmc_admin=no;pmc_admin="q"', 'pmc_admin')).toBe('q');
    expect(cookieValue('a=1', 'pmc_admin')).toBeUndefined();
    expect(cookieValue(undefined, 'pmc_admin')).toBeUndefined();
  });
});
