import { describe, expect, it } from 'vitest';
import { applicationMessage, tokenKey } from '../../src/connectors/lokshahi/parse.ts';

describe('Lokshahi applications as messages', () => {
  it('reads one token however it is written: spacing, case, Devanagari digits', () => {
    const key = tokenKey('LD/2026/0412');
    for (const same of ['ld / 2026 / 0412 ', 'LD/२०२६/०४१२', 'ＬＤ/2026/0412']) expect(tokenKey(same), same).toBe(key);
    expect(tokenKey('LD/2026/0413')).not.toBe(key);
  });

  it('is answered in Marathi, from the form\'s mobile and address (claimed, not proven), with its token in the note', () => {
    const msg = applicationMessage(
      { token: 'LD/2026/0412', applicationDate: '2026-11-12', hearingDate: '2026-12-07', applicant: { name: 'Rahul Shinde', mobile: '98900 12345', email: 'Rahul@Example.org' }, subject: 'Drainage overflow', description: 'Drainage has been overflowing in Sadashiv Peth for two months.' },
      { accountId: 'lokshahi-din', raw: {} },
    );
    expect(msg).toMatchObject({ channel: 'lokshahi', language: 'mr', sender: { id: '+919890012345', phone: '+919890012345', email: 'rahul@example.org', claimed: true }, receivedAt: '2026-11-12T00:00:00+05:30' });
    expect(msg.note).toContain('LD/2026/0412');
    expect(msg.notAdmissible).toBeUndefined();
  });
});
