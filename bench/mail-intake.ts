// Child of `npm run bench email`: mails appended to a real Dovecot → tickets, the whole bridge in this process.
import { ImapFlow } from 'imapflow';
import { DEFAULT_PASSWORD, DEFAULT_USER } from '../test/support/dovecot.ts';
import { composeMail, startMailBridge } from '../test/support/mail-bridge.ts';

const count = Number(process.argv[2] ?? 1000);
const m = await startMailBridge();
// filed, not answered: what is measured is IMAP → ticket; replies are the SMTP bench's business
await m.bridge.app.store.upsertMapping({ id: 'email-default', channel: 'email', accountId: '*', department: 'call-centre', defaultLanguage: 'mr', replyPolicy: 'silent', slaHours: 72, enabled: true });
await m.bridge.app.pipeline.sweep({ ratings: false });
const TEXTS = ['कोथरूड मध्ये तीन दिवस कचरा उचलला नाही', 'हडपसर में दो दिन से पानी नहीं आ रहा है', 'Pothole on Baner road near the signal, please repair', 'warje madhe streetlight band aahe'];
const mails = await Promise.all(Array.from({ length: count }, (_, i) => composeMail({ from: `c${i}@example.org`, subject: `तक्रार ${i}`, text: `${TEXTS[i % TEXTS.length]} (${i})\n\n--\nनागरिक ${i}`, messageId: `<bench-${i}@example.org>` })));
// appended elsewhere first, then moved into the inbox at once: the clock starts when they are there to read
await m.dovecot.createMailbox('Incoming');
await m.dovecot.appendMany(mails, { mailbox: 'Incoming' });
const mover = new ImapFlow({ host: m.dovecot.host, port: m.dovecot.port, secure: false, auth: { user: DEFAULT_USER, pass: DEFAULT_PASSWORD }, logger: false });
await mover.connect();
await mover.mailboxOpen('Incoming');
const started = performance.now();
await mover.messageMove('1:*', 'INBOX');
await mover.logout();
let archivedAt = 0;
for (;;) {
  await m.bridge.app.polls.runAll();
  const stats = await m.bridge.app.store.stats();
  if (!archivedAt && stats.inbound.pending + stats.inbound.done >= count) archivedAt = performance.now();
  if (stats.tickets >= count) break;
}
const done = performance.now();
await m.close();
process.stdout.write(JSON.stringify({ count, ms: Math.round(done - started), archivedMs: Math.round(archivedAt - started), mailsPerSec: Math.round(count / ((done - started) / 1000)) }) + '\n');
