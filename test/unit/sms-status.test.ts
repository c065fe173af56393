import { describe, expect, it } from 'vitest';
import { SmsPayloadError } from '../../src/connectors/sms/parse.ts';
import { parseStatusCallback } from '../../src/connectors/sms/status.ts';

const SID = 'SM' + 'b'.repeat(32);
const callback = (status: string, extra: Record<string, string> = {}) => ({
  MessageSid: SID,
  SmsSid: SID,
  MessageStatus: status,
  SmsStatus: status,
  AccountSid: 'AC' + '0'.repeat(32),
  From: '+912066000000',
  To: '+919812345678',
  ApiVersion: '2010-04-01',
  ...extra,
});

describe('parseStatusCallback', () => {
  it.each([
    ['queued', 'sent'],
    ['sending', 'sent'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'delivered'],
  ] as const)('maps %s to %s', (status, state) => {
    expect(parseStatusCallback(callback(status))).toEqual({ providerId: SID, state });
  });

  it.each(['undelivered', 'failed'])('maps %s to undelivered with the ErrorCode', (status) => {
    expect(parseStatusCallback(callback(status, { ErrorCode: '30003' }))).toEqual({ providerId: SID, state: 'undelivered', error: '30003' });
  });

  it.each(['accepted', 'scheduled', 'canceled', 'receiving', 'received', 'constructor', 'something-new'])('ignores %s', (status) => {
    expect(parseStatusCallback(callback(status))).toBeUndefined();
  });

  it('reads the deprecated SmsStatus when MessageStatus is absent', () => {
    expect(parseStatusCallback({ SmsSid: SID, SmsStatus: 'delivered' })).toEqual({ providerId: SID, state: 'delivered' });
  });

  it('refuses a callback without a sid or a status', () => {
    expect(() => parseStatusCallback({ MessageStatus: 'sent' })).toThrow(SmsPayloadError);
    expect(() => parseStatusCallback({ MessageSid: SID })).toThrow(/MessageStatus is missing/);
  });
});
