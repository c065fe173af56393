import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/http/logger.ts';
import { scrubText } from '../../src/http/redact.ts';

describe('log scrubbing', () => {
  it('removes Indian phone numbers in every common form, and emails', () => {
    for (const s of ['+919876543210', '098765 43210', '98765-43210', '+91 98765 43210', '९८७६५४३२१०', 'citizen@example.in'])
      expect(scrubText(`from ${s} ok`)).not.toMatch(/\d{5}|[०-९]{5}|@/u);
  });

  it('leaves ticket numbers, PIN codes and short numbers alone', () => {
    expect(scrubText('PMC10001 at 411038, 3 days')).toBe('PMC10001 at 411038, 3 days');
  });

  it('leaves a calendar date alone, and still scrubs a number written with dashes like one', () => {
    expect(scrubText('digest of 2026-12-02 queued')).toBe('digest of 2026-12-02 queued');
    expect(scrubText('call 2026-123-456')).toBe('call [phone]');
    expect(scrubText('call 9876-54-3210')).toBe('call [phone]');
  });

  it('keeps them out of what the logger writes, in fields and in messages', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) });
    const log = createLogger('info', sink);
    log.info({ from: '+919876543210', note: 'मेल citizen@example.in' }, 'reply to +91 98765 43210');
    log.error({ err: new Error('invalid To +919876543210') }, 'send failed');
    const out = lines.join('');
    expect(out).not.toContain('98765');
    expect(out).not.toContain('example.in');
    expect(out).toContain('[phone]');
  });

  it("keeps a page's or X account's id under accountId, and still scrubs a citizen's number there or anywhere else", () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) });
    const log = createLogger('info', sink);
    log.warn({ channel: 'facebook', accountId: '104000000000001' }, 'poll failed');
    log.warn({ channel: 'sms', accountId: '+919876543210', psid: '7100000000000001' }, 'x');
    const [fb, sms] = lines.map((l) => JSON.parse(l) as Record<string, string>);
    expect(fb!.accountId).toBe('104000000000001');
    expect(sms!.accountId).toBe('[phone]');
  });
});

describe('request logs', () => {
  it('keep method and path, drop the query string', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) });
    const log = createLogger('info', sink);
    // like fastify's request: method and url are getters on the prototype
    class Req {
      id = 'req-1';
      get method() {
        return 'POST';
      }
      get url() {
        return '/webhooks/sms/twilio?From=%2B919876543210';
      }
    }
    log.info({ req: new Req() }, 'incoming request');
    const entry = JSON.parse(lines[0]!) as { req: { method: string; path: string } };
    expect(entry.req).toMatchObject({ method: 'POST', path: '/webhooks/sms/twilio' });
    expect(lines[0]).not.toContain('98765');
  });
});
