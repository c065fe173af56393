// npm run bench — prints the figures the Foundation issue sets targets for. Figures, not pass/fail tests.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { benchIngest } from './ingest.ts';
import { benchImport, benchMail } from './intake.ts';
import { benchIntents } from './intents.ts';
import { benchNormalizer } from './normalizer.ts';
import { benchMentions, benchMessengerIngest } from './social.ts';
import { latencyAt, throughput } from './pipeline.ts';
import { benchCampaign } from './campaign.ts';
import { benchDistributed } from './distributed.ts';
import { benchMemory } from './memory.ts';
import { shippedNodeArgs } from './processes.ts';

const only = process.argv[2];
const print = (s: string) => process.stdout.write(s + '\n');
// the pipeline runs in this process: in a child with npm start's heap settings, so it is measured as shipped
const shipped = process.env.PMC_BENCH_SHIPPED === '1';
if (!shipped) print(`pmc-bridge bench · node ${process.version} · ${cpus().length} cores (${cpus()[0]?.model ?? '?'})\n`);

if (!only || only === 'ingest') {
  const r = await benchIngest();
  print('webhook ingest — signed Twilio webhooks over loopback, 32 connections, each archived durably before its 2xx');
  print(`  bare fastify route            ${r.bare.rps.toFixed(0)} req/s  p99 ${r.bare.p99} ms`);
  print(`  bridge, web process alone    ${r.webOnly.rps.toFixed(0)} req/s  p99 ${r.webOnly.p99} ms  (non-2xx/errors: ${r.webOnly.non2xx})   ratio ${(r.webOnly.rps / r.bare.rps).toFixed(2)} (target ≥ 0.5) — the ingest path: verify, parse, archive, 2xx`);
  print(`  … archiveSync NORMAL       ${r.webOnlyNormal.rps.toFixed(0)} req/s  p99 ${r.webOnlyNormal.p99} ms  (non-2xx/errors: ${r.webOnlyNormal.non2xx})   ratio ${(r.webOnlyNormal.rps / r.bare.rps).toFixed(2)} — survives a crash of the process, not a power cut`);
  print(`  bridge, web + worker          ${r.split.rps.toFixed(0)} req/s  p99 ${r.split.p99} ms  (non-2xx/errors: ${r.split.non2xx})   ratio ${(r.split.rps / r.bare.rps).toFixed(2)} — tickets and sends on the other core`);
  print(`  bridge, one process (all)     ${r.single.rps.toFixed(0)} req/s  p99 ${r.single.p99} ms  (non-2xx/errors: ${r.single.non2xx})   ratio ${(r.single.rps / r.bare.rps).toFixed(2)} — one process doing everything\n`);
}
if (!only || only === 'social') {
  const r = await benchMessengerIngest();
  print('Messenger webhook ingest — Meta-signed deliveries over loopback, 32 connections, each archived durably before its 200');
  print(`  bare fastify route            ${r.bare.rps.toFixed(0)} req/s  p99 ${r.bare.p99} ms`);
  print(`  bridge, web process           ${r.web.rps.toFixed(0)} req/s  p99 ${r.web.p99} ms  (non-2xx/errors: ${r.web.non2xx})   ratio ${(r.web.rps / r.bare.rps).toFixed(2)} (target ≥ 0.5) — verify, parse, archive, 200`);
  print(`  … archiveSync NORMAL       ${r.webNormal.rps.toFixed(0)} req/s  p99 ${r.webNormal.p99} ms  (non-2xx/errors: ${r.webNormal.non2xx})   ratio ${(r.webNormal.rps / r.bare.rps).toFixed(2)} — survives a crash of the process, not a power cut`);
  const m = benchMentions();
  print(`X mentions → tickets — ${m.count} mentions in the fake X API (HTTPS), one poll of all pages, each filed (replies off)`);
  print(`  polled and archived in ${m.pollMs} ms; ${m.ticketsPerSec} tickets/s from the poll's start to the last ticket\n`);
}
if (!only || only === 'email') {
  const r = benchMail();
  print(`email → tickets — ${r.count} mails appended at once to a real Dovecot, read by the UID sweep, parsed, archived and filed (replies off)`);
  print(`  ${r.mailsPerSec} mails/s (${r.ms} ms for all; all read and archived after ${r.archivedMs} ms)\n`);
}
if (!only || only === 'lokshahi') {
  print('Lokshahi register import — 10,000 rows with Marathi headers into a fresh SQLite store, in a process of its own');
  for (const kind of ['xlsx', 'csv'] as const) {
    const r = benchImport(kind);
    print(`  ${kind.padEnd(4)} ${r.rowsPerSec} rows/s (${(r.ms / 1000).toFixed(1)} s, ${r.accepted} accepted)   RSS ${r.rssBeforeMb} MB at start, peak ${r.peakRssMb} MB`);
  }
  print('');
}
if ((!only || only === 'pipeline') && !shipped) {
  const child = spawnSync(process.execPath, [...shippedNodeArgs(), '--import', 'tsx', 'bench/run.ts', 'pipeline'], { stdio: 'inherit', env: { ...process.env, PMC_BENCH_SHIPPED: '1' } });
  if (child.status !== 0) throw new Error(`the pipeline bench failed (exit ${child.status ?? child.signal})`);
}
if (only === 'pipeline' && shipped) {
  print(`message → ticket + reply in the outbox — real pipeline, SQLite file, archive flushed to disk; node ${shippedNodeArgs().join(' ')} as npm start runs it`);
  print(`  throughput           ${(await throughput(20_000, false)).toFixed(0)} msgs/s   (target ≥ 3000)`);
  print(`  … with sending on    ${(await throughput(20_000, true)).toFixed(0)} msgs/s   (each reply also claimed and marked sent; the provider answers at once)`);
  print(`  … through the bot    ${(await throughput(20_000, true, true)).toFixed(0)} msgs/s   (conversational SMS as shipped: a botbuilder turn, state and reply in one transaction, sending on)`);
  // the same message as the city's bridge meets it: webhooks over HTTP in, replies over HTTP out, not handed in
  const endToEnd = await benchMemory(10_000);
  print(`  … end to end         ${Math.round(10_000 / endToEnd.seconds)} msgs/s   (\`npm start\` itself: signed SMS webhooks over HTTP from 32 senders, the bot, each reply sent to the fake Twilio API)`);
  for (const [rate, deliver] of [[1000, true], [2000, true], [3000, false]] as const) {
    const l = await latencyAt(rate, 5, deliver);
    print(`  latency at ${rate}/s   p50 ${l.p50.toFixed(1)} ms  p99 ${l.p99.toFixed(1)} ms   sending ${deliver ? 'on' : 'off'}   (target p99 ≤ 50 ms)`);
  }
  print('');
}
if (!only || only === 'normalizer') {
  const r = benchNormalizer();
  const rate = (x: { msgsPerSec: number; usPerMsg: number }) => `${Math.round(x.msgsPerSec).toLocaleString('en-US')} msgs/s  ${x.usPerMsg.toFixed(1)} µs/msg`;
  print(`normalizer — normalize() with the shipped wards and categories, over ${r.messages.toLocaleString('en-US')} synthetic 160-character complaints (mr, hi, en, romanised mr), one core, ~3 s`);
  print(`  normalizer: ${Math.round(r.normalize.msgsPerSec).toLocaleString('en-US')} msgs/s (target ≥ 20,000)   ${r.normalize.usPerMsg.toFixed(1)} µs/msg`);
  print(`  … detectLanguage alone      ${rate(r.detectLanguage)}`);
  print(`  … franc restricted alone    ${rate(r.francOnly)}   (franc only mar/hin/eng, for comparison)\n`);
}
if (!only || only === 'intents') {
  const r = benchIntents();
  print(`intent layer — understand() over the ${r.turns} labelled evaluation turns (eval/bot), each with its context, one core`);
  print(`  ${Math.round(r.turnsPerSec).toLocaleString('en-US')} turns/s (target ≥ 20,000)   ${r.usPerTurn.toFixed(1)} µs/turn   trained from config/intents in ${Math.round(r.trainMs)} ms at start\n`);
}
if (!only || only === 'campaign') {
  const r = await benchCampaign();
  const capped = await benchCampaign(r.contacts, r.perSecond, 160);
  print(`awareness campaign — ${r.contacts.toLocaleString('en-US')} opted-in SMS contacts, campaigns.perSecond ${r.perSecond}, a real bridge process, the fake Twilio API`);
  print(`  ${r.messagesPerSec} messages/s at the provider (${r.seconds} s from the first to the last)   bridge peak RSS ${r.peakRssMb} MB`);
  print(`  … old space capped at 160 MB   ${capped.messagesPerSec} messages/s   peak RSS ${capped.peakRssMb} MB (what is live; the rest above was garbage not yet collected)\n`);
}
if (!only || only === 'distributed') {
  print('distributed mode — `pmc-bridge start` as one web process and worker processes over a private redis-server (BullMQ), on one');
  print('  SQLite file (no MongoDB server can be had here), signed SMS webhooks through the bot, replies to the fake Twilio');
  const { drains, latency } = await benchDistributed();
  for (const d of drains) print(`  ${d.messages} queued, then ${d.workers} worker${d.workers > 1 ? 's' : ' '}   ${d.msgsPerSec} msgs/s from the first reply to the last`);
  print(`  ratio 2 : 1 workers   ${(drains[1]!.msgsPerSec / drains[0]!.msgsPerSec).toFixed(2)}   (target ≥ 1.7 on 2 cores; the workers share them with Redis and one SQLite write lock)`);
  print(`  latency at ${latency.ratePerSec}/s, ${latency.workers} workers   message → reply p50 ${latency.p50} ms  p99 ${latency.p99} ms   ${latency.redisCommandsPerMsg} Redis commands/message (round trips, without those inside scripts)\n`);
}
if (!only || only === 'memory') {
  const { samples, idleMb, seconds } = await benchMemory();
  const total = samples[samples.length - 1]!.messages;
  print(`RSS of \`npm start\` (its heap settings, role all, the bot on) over ${total.toLocaleString('en-US')} signed SMS webhooks, each a new citizen filed and answered (${Math.round(total / seconds)} msgs/s)`);
  const shown = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map((f) => samples.find((s) => s.messages >= f * total) ?? samples[samples.length - 1]!);
  print('  ' + shown.map((s) => `${Math.round(s.messages / 1000)}k:${s.rssMb}MB`).join('  '));
  const peak = Math.max(...samples.map((s) => s.rssMb));
  const warm = samples.find((s) => s.messages >= total / 5)!.rssMb;
  print(`  idle ${idleMb} MB   peak ${peak} MB   growth after ${Math.round(total / 5000)}k: ${samples[samples.length - 1]!.rssMb - warm} MB   (target ≤ 250 MB and flat)\n`);
}
