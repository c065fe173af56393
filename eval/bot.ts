/**
 * npm run eval:bot -- [--set tune|holdout|both] [--errors] [--json]
 *
 * The intent layer measured on labelled citizen turns (eval/bot/turns-*.jsonl, written for this project; see
 * eval/bot/INTENTS.md). `tune` is the set we look at while improving config/intents and the rules; `holdout` is
 * only ever measured, never read for tuning: its figures are the honest ones. Prints per-intent accuracy, the
 * confusion matrix, complaint vs not-complaint, and turns classified per second (the normalizer excluded: it has
 * its own benchmark). --errors lists the mistakes (use it on `tune` only).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadMessages } from '../src/bots/messages.ts';
import { INTENTS, loadUnderstander, type Intent } from '../src/bots/understand/index.ts';
import { exampleMessage } from '../src/bots/understand/understand.ts';
import { loadGazetteer } from '../src/config/gazetteer.ts';
import { createNormalizer } from '../src/normalizer/index.ts';
import { readTurns, sameText, type LabelledTurn } from './bot-turns.ts';
import { loadIntentExamples } from '../src/bots/understand/intent-examples.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONFIG = join(ROOT, 'config');
const TARGETS = { overall: 0.95, complaintVsNot: 0.98, turnsPerSecond: 20_000 };

const { values } = parseArgs({ options: { set: { type: 'string', default: 'both' }, errors: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
const sets = values.set === 'both' ? ['tune', 'holdout'] : [values.set!];
if (!sets.every((s) => s === 'tune' || s === 'holdout')) {
  process.stderr.write('usage: npm run eval:bot -- [--set tune|holdout|both] [--errors] [--json]\n');
  process.exit(2);
}

const gazetteer = loadGazetteer(CONFIG);
const normalize = createNormalizer({ ...gazetteer });
const trainStart = performance.now();
const understander = loadUnderstander(CONFIG, normalize, loadMessages(join(CONFIG, 'messages')));
const trainMs = performance.now() - trainStart;

interface Scored {
  turn: LabelledTurn;
  got: Intent;
}

function score(turns: readonly LabelledTurn[]) {
  const normalized = turns.map((t) => normalize(exampleMessage(t.text)));
  const scored: Scored[] = turns.map((turn, i) => ({ turn, got: understander.read(normalized[i]!, turn.context).intent }));
  // speed: classification only, many rounds of the same normalised turns
  const rounds = Math.max(1, Math.ceil(60_000 / turns.length));
  const start = performance.now();
  for (let r = 0; r < rounds; r++) for (let i = 0; i < turns.length; i++) understander.read(normalized[i]!, turns[i]!.context);
  const turnsPerSecond = Math.round((rounds * turns.length) / ((performance.now() - start) / 1000));
  const right = scored.filter((s) => s.got === s.turn.intent).length;
  const isComplaint = (i: Intent) => i === 'complaint';
  const binary = scored.filter((s) => isComplaint(s.got) === isComplaint(s.turn.intent)).length;
  const perIntent = INTENTS.map((intent) => {
    const of = scored.filter((s) => s.turn.intent === intent);
    return { intent, n: of.length, accuracy: of.length ? of.filter((s) => s.got === intent).length / of.length : NaN };
  });
  const perLang = [...new Set(turns.map((t) => t.lang))].map((lang) => {
    const of = scored.filter((s) => s.turn.lang === lang);
    return { lang, n: of.length, accuracy: of.filter((s) => s.got === s.turn.intent).length / of.length };
  });
  const confusion = Object.fromEntries(INTENTS.map((e) => [e, Object.fromEntries(INTENTS.map((g) => [g, scored.filter((s) => s.turn.intent === e && s.got === g).length]))]));
  return { n: turns.length, accuracy: right / turns.length, complaintVsNot: binary / turns.length, turnsPerSecond, perIntent, perLang, confusion, errors: scored.filter((s) => s.got !== s.turn.intent) };
}

const pct = (x: number) => (Number.isNaN(x) ? '  —  ' : `${(x * 100).toFixed(1).padStart(5)}%`);
// Short turns ("नमस्ते", "no") come out the same from independent writers: the held-out set is also scored on only
// the turns whose text is neither a training example (config/intents) nor a tuning turn.
const seen = new Set([...loadIntentExamples(join(CONFIG, 'intents')).map((e) => e.text), ...readTurns(join(ROOT, 'eval', 'bot', 'turns-tune.jsonl')).map((t) => t.text)].map(sameText));
const results = Object.fromEntries(
  sets.flatMap((set) => {
    const turns = readTurns(join(ROOT, 'eval', 'bot', `turns-${set}.jsonl`));
    const scored: [string, ReturnType<typeof score>][] = [[set, score(turns)]];
    if (set === 'holdout') scored.push(['holdout, unseen texts only', score(turns.filter((t) => !seen.has(sameText(t.text))))]);
    return scored;
  }),
);

if (values.json) {
  process.stdout.write(JSON.stringify({ trainMs: Math.round(trainMs), targets: TARGETS, results: Object.fromEntries(Object.entries(results).map(([k, r]) => [k, { ...r, errors: r.errors.map((e) => ({ ...e.turn, got: e.got })) }])) }, null, 2) + '\n');
} else {
  const out: string[] = [`intent layer trained in ${Math.round(trainMs)} ms`];
  for (const [set, r] of Object.entries(results)) {
    out.push('', `== ${set} (${r.n} turns)${set.startsWith('holdout') ? ' — never tuned on' : ''}`);
    out.push(`overall ${pct(r.accuracy)} (target ${pct(TARGETS.overall)})   complaint vs not ${pct(r.complaintVsNot)} (target ${pct(TARGETS.complaintVsNot)})   ${r.turnsPerSecond.toLocaleString('en')} turns/s (target ${TARGETS.turnsPerSecond.toLocaleString('en')})`);
    out.push('per intent: ' + r.perIntent.map((p) => `${p.intent} ${pct(p.accuracy).trim()} (${p.n})`).join(' · '));
    out.push('per language: ' + r.perLang.map((p) => `${p.lang} ${pct(p.accuracy).trim()} (${p.n})`).join(' · '));
    const abbrev = (i: string) => i.replace('wish_to_complain', 'wish').replace('photo_promise', 'ph+').replace('no_photo', 'ph-').replace('outside_area', 'outsd').replace('off_topic', 'offtp').replace('complaint', 'compl').replace('question', 'quest').replace('language', 'lang').replace('greeting', 'greet');
    out.push('confusion (rows: labelled, columns: read as)', '        ' + INTENTS.map((i) => abbrev(i).slice(0, 5).padStart(6)).join(''));
    for (const e of INTENTS) out.push(abbrev(e).slice(0, 7).padEnd(8) + INTENTS.map((g) => String(r.confusion[e]![g] || '.').padStart(6)).join(''));
    if (values.errors) for (const e of r.errors) out.push(`  ✗ [${e.turn.context}] ${e.turn.intent} → ${e.got}: ${e.turn.text}`);
  }
  process.stdout.write(out.join('\n') + '\n');
}
