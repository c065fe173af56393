// Child of `npm run bench social`: X mentions polled → tickets, the whole bridge in this process.
import { startFakeXApi } from '../test/support/fake-x-api.ts';
import { startSocialBridge, X_ACCOUNT, X_APP_KEY } from '../test/support/social-bridge.ts';

const count = Number(process.argv[2] ?? 2000);
const x = await startFakeXApi({ accountId: X_ACCOUNT, username: 'PMCPune', appKey: X_APP_KEY });
const bridge = await startSocialBridge({ x });
// filed, not answered: X allows 100 posts per 15 minutes, and the replies are not what is measured
await bridge.app.store.upsertMapping({ id: 'twitter-default', channel: 'twitter', accountId: '*', department: 'call-centre', defaultLanguage: 'mr', replyPolicy: 'silent', slaHours: 72, enabled: true });
await bridge.app.pipeline.sweep({ ratings: false });
await bridge.app.polls.runAll();
const TEXTS = ['कोथरूड मध्ये कचरा उचलला नाही', 'हडपसर में पानी नहीं आ रहा', 'Pothole on Baner road near the signal', 'warje madhe streetlight band aahe'];
for (let i = 0; i < count; i++) x.addMention({ authorId: String(1_800_000_000_000_000_000n + BigInt(i)), username: `c${i}`, text: `@PMCPune ${TEXTS[i % TEXTS.length]} ${i}` });
const started = performance.now();
await bridge.app.polls.runAll();
const polled = performance.now();
for (;;) {
  const filed = (await bridge.app.store.listTickets({ limit: count + 10 })).length;
  if (filed >= count) break;
  await new Promise((r) => setTimeout(r, 20));
}
const done = performance.now();
await bridge.close();
await x.close();
process.stdout.write(JSON.stringify({ count, pollMs: Math.round(polled - started), ticketsPerSec: Math.round(count / ((done - started) / 1000)) }) + '\n');
