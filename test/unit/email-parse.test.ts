import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AttachmentStore, StoredFile } from '../../src/attachments/attachment-store.ts';
import { parseMail } from '../../src/connectors/email/parse.ts';
import { ourMessageId, ticketRefOf } from '../../src/connectors/email/thread.ts';
import { senderVerdict } from '../../src/connectors/email/verify.ts';
import { composeMail } from '../support/mail-bridge.ts';

const FIXTURES = new URL('../fixtures/email/', import.meta.url);

/** keeps what it is given, by a running number: enough to see what was stored */
function memoryStore(): AttachmentStore & { kept: Buffer[] } {
  const kept: Buffer[] = [];
  return {
    kept,
    put: async (bytes: Buffer, mime: string): Promise<StoredFile> => {
      kept.push(bytes);
      return { ref: `sha256:${String(kept.length).padStart(64, '0')}`, mime, size: bytes.length };
    },
    get: async () => undefined,
  };
}
const origin = { accountId: 'complaints@pmc.example.in', folder: 'INBOX', uidValidity: '7', uid: 42 };
const limits = { maxAttachmentBytes: 1_000_000, maxAttachments: 3 };
const parse = (raw: Buffer, store = memoryStore()) => parseMail(raw, origin, { attachments: store, limits });

describe('parseMail', () => {
  it('parses every mail fixture (real mail of other projects, and our own) without throwing', async () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.eml'));
    expect(files.length).toBeGreaterThanOrEqual(9);
    for (const f of files) {
      const msg = await parse(readFileSync(new URL(f, FIXTURES)));
      expect(msg.channel, f).toBe('email');
      expect(msg.text.length + (msg.subject?.length ?? 0), f).toBeGreaterThan(0);
    }
  });

  it('reads the stalwart files as stalwart\'s own parser does (subject and sender, its expected output an oracle)', async () => {
    // from resources/eml/*.json of stalwartlabs/mail-parser at the commit the fixtures came from
    const oracle: Record<string, { subject?: string; from?: string }> = {
      'stalwart__legacy_001.eml': { from: 'doug@example.com' },
      'stalwart__legacy_015.eml': { from: 'dwsauder@example.com' },
      'stalwart__rfc_000.eml': { subject: 'A multipart example', from: 'nsb@nsb.fv.com' },
      'stalwart__malformed_021.eml': { subject: 'test multipart, related first', from: 'test@example.com' },
      'stalwart__thirdparty_019.eml': { subject: '30 plaintext + (HTML + embedded image) + attachment', from: 'test@example.com' },
    };
    for (const [file, want] of Object.entries(oracle)) {
      const msg = await parse(readFileSync(new URL(file, FIXTURES)));
      if (want.subject) expect(msg.subject, file).toBe(want.subject);
      if (want.from) expect(msg.sender.email, file).toBe(want.from);
    }
    // the two attached images are kept; its two tiny inline ones (decoration under 4 KB) are not
    const related = await parse(readFileSync(new URL('stalwart__legacy_015.eml', FIXTURES)));
    expect(related.attachments.map((a) => a.name)).toEqual(['blueball.png', 'greenball.png']);
  });

  it('reads Devanagari subjects and bodies, the sender, and References as one id or several', async () => {
    const one = await parse(await composeMail({ from: 'सुनीता <Sunita@Example.org>', subject: 'पाणी येत नाही', text: 'वारजे भागात पाणी येत नाही', messageId: '<a1@example.org>', references: ['<root@example.org>'] }));
    expect(one).toMatchObject({ subject: 'पाणी येत नाही', text: expect.stringContaining('वारजे भागात'), externalId: 'a1@example.org', threadKey: 'root@example.org sunita@example.org', sender: { id: 'sunita@example.org', email: 'sunita@example.org', name: 'सुनीता' } });
    const several = await parse(await composeMail({ text: 'x', messageId: '<a2@example.org>', inReplyTo: '<ours@pmc.example.in>', references: ['<root@example.org>', '<ours@pmc.example.in>'] }));
    expect(several.threadKey).toBe('root@example.org sunita.jadhav@example.org');
    expect(several.inReplyTo).toBe('ours@pmc.example.in');
    expect((several.raw as { references: string[] }).references).toEqual(['root@example.org', 'ours@pmc.example.in']);
  });

  it('gives a mail without a Message-ID an id from its bytes: the same mail found again is the same message', async () => {
    const raw = Buffer.from('From: a@example.org\r\nSubject: kachra\r\n\r\nkachra padla aahe Kothrud madhe\r\n');
    const [a, b] = [await parse(raw), await parseMail(raw, { ...origin, uidValidity: '8', uid: 1 }, { attachments: memoryStore(), limits })];
    expect(a.externalId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b.externalId).toBe(a.externalId);
  });

  it('keeps attachments up to the limits, refusing the part that is too large or one too many, never the mail', async () => {
    const store = memoryStore();
    const photo = (n: number) => ({ filename: `photo${n}.jpg`, content: Buffer.alloc(10_000 + n, n), contentType: 'image/jpeg' });
    const msg = await parse(await composeMail({ text: 'खड्डा', attachments: [photo(1), { filename: 'big.pdf', content: Buffer.alloc(1_500_000, 1), contentType: 'application/pdf' }, photo(2), photo(3), photo(4)] }), store);
    expect(msg.text).toContain('खड्डा');
    expect(msg.attachments.map((a) => [a.name, a.refused ? 'refused' : 'kept'])).toEqual([
      ['photo1.jpg', 'kept'],
      ['big.pdf', 'refused'],
      ['photo2.jpg', 'kept'],
      // the refused PDF took no place: three kept, the fourth photo one too many
      ['photo3.jpg', 'kept'],
      ['photo4.jpg', 'refused'],
    ]);
    expect(msg.attachments[1]?.refused).toMatch(/larger than 1 MB/);
    expect(msg.attachments[4]?.refused).toMatch(/more than 3 attachments/);
    // the mail itself is kept too, by content, beside its parts
    expect(store.kept.some((b) => b.length > 1_500_000)).toBe(true);
  });

  it('does not count a signature\'s tiny inline logos against the attachments a citizen may send', async () => {
    const logo = (n: number) => ({ filename: `logo${n}.png`, content: Buffer.alloc(500, n), contentType: 'image/png', cid: `logo${n}@sig` });
    const photo = (n: number) => ({ filename: `photo${n}.jpg`, content: Buffer.alloc(10_000 + n, n), contentType: 'image/jpeg' });
    const raw = await composeMail({ html: `<p>खड्डा</p>${[1, 2, 3, 4, 5].map((n) => `<img src="cid:logo${n}@sig">`).join('')}`, text: 'खड्डा', attachments: [...[1, 2, 3, 4, 5].map(logo), photo(1), photo(2), photo(3)] });
    const msg = await parse(raw);
    expect(msg.attachments.map((a) => [a.name, a.refused ? 'refused' : 'kept'])).toEqual([['photo1.jpg', 'kept'], ['photo2.jpg', 'kept'], ['photo3.jpg', 'kept']]);
  });

  it('reads the words of a MIME bomb (parts nested thousands deep, thousands of parts) and refuses its parts', async () => {
    let nested = 'From: a@example.org\r\nSubject: bomb\r\nMIME-Version: 1.0\r\n';
    for (let i = 0; i < 3000; i++) nested += `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n`;
    nested += 'Content-Type: text/plain; charset=utf-8\r\n\r\nकोथरूडमध्ये कचरा\r\n';
    const deep = await parse(Buffer.from(nested));
    expect(deep.text).toContain('कोथरूडमध्ये कचरा');
    expect(deep.attachments).toEqual([expect.objectContaining({ refused: expect.stringMatching(/could not be read/) })]);
    let wide = 'From: a@example.org\r\nSubject: wide\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nContent-Type: text/plain\r\n\r\nwater leak on FC road\r\n';
    for (let i = 0; i < 5000; i++) wide += `--X\r\nContent-Type: application/octet-stream\r\n\r\nxx\r\n`;
    const many = await parse(Buffer.from(`${wide}--X--\r\n`));
    expect(many.text).toContain('water leak on FC road');
    expect(many.attachments).toHaveLength(1);
  });
});

describe('threading', () => {
  const o = { prefix: 'PMC', ourDomains: ['pmc.example.in'] };
  const msg = (over: Partial<Parameters<typeof ticketRefOf>[0]>) => ({ channel: 'email' as const, accountId: 'x', externalId: 'e', threadKey: 't', sender: { id: 's' }, receivedAt: new Date().toISOString(), text: '', attachments: [], raw: {}, ...over });

  it('finds the ticket in one of our Message-IDs the mail answers, else in its subject', () => {
    const ours = ourMessageId({ ticketNo: 'PMC10042', outboxId: 7, key: 'ack:email:x:e', domain: 'pmc.example.in' });
    expect(ours).toMatch(/^PMC10042\.7\.[0-9a-f]{12}@pmc\.example\.in$/);
    expect(ourMessageId({ ticketNo: 'PMC10042', outboxId: 7, key: 'ack:email:x:e', domain: 'pmc.example.in' })).toBe(ours);
    expect(ticketRefOf(msg({ inReplyTo: ours }), o)).toBe('PMC10042');
    expect(ticketRefOf(msg({ raw: { references: ['root@example.org', ours] } }), o)).toBe('PMC10042');
    // an id like ours from another domain is not ours
    expect(ticketRefOf(msg({ inReplyTo: ours.replace('pmc.example.in', 'evil.example') }), o)).toBeUndefined();
    expect(ticketRefOf(msg({ subject: 'Re: [PMC10043] पाणी' }), o)).toBe('PMC10043');
    expect(ticketRefOf(msg({ subject: 'तक्रार क्रमांक PMC१००४४ बद्दल' }), o)).toBe('PMC10044');
    // two numbers: which one is meant is not for us to guess
    expect(ticketRefOf(msg({ subject: 'PMC10043 and PMC10044' }), o)).toBeUndefined();
  });

  it('names no ticket for mail whose sender failed DMARC (a forger must not add to a complaint)', () => {
    const headers = { 'authentication-results': 'mx.example.in; spf=fail smtp.mailfrom=example.org; dkim=none; dmarc=fail header.from=example.org' };
    expect(senderVerdict(headers)).toBe('fail');
    expect(ticketRefOf(msg({ subject: 'Re: [PMC10043]', headers }), o)).toBeUndefined();
    expect(senderVerdict({ 'authentication-results': 'mx; dkim=pass header.d=example.org; dmarc=pass' })).toBe('pass');
    expect(senderVerdict({})).toBe('unknown');
  });
});
