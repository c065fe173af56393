import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadIntentExamples } from '../../src/bots/understand/intent-examples.ts';
import { LEARNED_INTENTS } from '../../src/bots/understand/intents.ts';
import { exampleMessage } from '../../src/bots/understand/understand.ts';
import { ratingAnswer } from '../../src/bots/understand/rating-answer.ts';
import { declinesPhoto } from '../../src/bots/understand/photo-answer.ts';
import { ConfigError } from '../../src/config/load.ts';
import { readTurns, sameText } from '../../eval/bot-turns.ts';
import { ROOT } from '../support/bridge-process.ts';
import { SHIPPED, shippedUnderstander } from '../support/bot-parts.ts';

const INTENTS_DIR = join(ROOT, 'config', 'intents');
const read = (text: string, context: Parameters<ReturnType<typeof shippedUnderstander>['read']>[1] = 'none') =>
  shippedUnderstander().read(SHIPPED.normalize(exampleMessage(text)), context);

describe('config/intents', () => {
  it('has examples of every intent the classifier learns, in each of the three files', () => {
    const examples = loadIntentExamples(INTENTS_DIR);
    for (const intent of LEARNED_INTENTS) expect(examples.filter((e) => e.intent === intent).length, intent).toBeGreaterThanOrEqual(60);
  });

  it('stops the start naming the file and key of an unknown intent or an empty list', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmc-intents-'));
    try {
      cpSync(INTENTS_DIR, dir, { recursive: true });
      writeFileSync(join(dir, 'hi.yaml'), 'greting:\n  - नमस्ते\n');
      expect(() => loadIntentExamples(dir)).toThrow(/hi\.yaml: .*greting/);
      writeFileSync(join(dir, 'hi.yaml'), 'greeting: []\n');
      expect(() => loadIntentExamples(dir)).toThrow(ConfigError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a phrasing staff add is learned at the next start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmc-intents-'));
    try {
      cpSync(INTENTS_DIR, dir, { recursive: true });
      const before = loadIntentExamples(dir).length;
      writeFileSync(join(dir, 'en.yaml'), readFileSync(join(INTENTS_DIR, 'en.yaml'), 'utf8').replace('off_topic:\n', 'off_topic:\n  - which bus goes to the airport\n'));
      expect(loadIntentExamples(dir).length).toBe(before + 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('reading a turn', () => {
  it.each([
    ['Wakad la kachra padla ahe', 'none', 'outside_area'],
    ['३', 'rating', 'rating'],
    ['३', 'none', 'rating'],
    ['हो', 'photo', 'photo_promise'],
    ['nahi', 'photo', 'no_photo'],
    ['फोटो नाही, सिंहगड रोड, वडगाव पुलाजवळ', 'where', 'place'],
    ['मला मराठी कळत नाही, हिंदी में बताइए', 'where', 'language'],
    ['status', 'where', 'status'],
    ['PMC10023 cha kay zala', 'none', 'status'],
  ] as const)('"%s" (asked: %s) → %s', (text, context, intent) => {
    expect(read(text, context).intent).toBe(intent);
  });

  it('carries what the intent needs: the language asked for, the FAQ entry, the rating and whether it persists', () => {
    expect(read('Can you reply in English?')).toMatchObject({ intent: 'language', language: 'en' });
    expect(read('लोकशाही दिन कधी असतो?')).toMatchObject({ intent: 'question', faq: 'lokshahi' });
    expect(read('1. Nothing was done, the light is still off', 'rating')).toMatchObject({ intent: 'rating', rating: { rating: 1, persists: true } });
  });
});

describe('ratingAnswer', () => {
  const answer = (text: string) => ratingAnswer(SHIPPED.normalize(exampleMessage(text)));
  it.each([
    ['५', 5],
    ['3 ok ahe', 3],
    ['चार देतो', 4],
    ['teen, kaam theek hai', 3],
    ['बहुत अच्छा काम', 5],
    ['छान काम केलंत', 4],
    ['चांगले नाही', 2],
    ['not good', 2],
    ['very bad service', 1],
    ['वेळेत काम झाले', 5],
    ['उशिरा झाले पण झाले', 3],
    ['😡', 1],
  ] as const)('"%s" → %i', (text, rating) => {
    expect(answer(text)?.rating).toBe(rating);
  });

  it('says nothing of a message with no number or feeling in it', () => {
    expect(answer('कोथरूड')).toBeUndefined();
  });
});

describe('a complaint told with "no photo" at its end', () => {
  it.each([
    ['Streetlight not working near Karve Road bus stop for a week, no photo'],
    ['Water pipe leaking near Hadapsar gadital since morning. No pic, sorry'],
    ['कोथरूडमध्ये कचरा साचला आहे, फोटो नाही'],
    ['वारजे पुलाजवळ रस्त्यावर मोठा खड्डा आहे. फोटो नाहीये'],
    ['हडपसर में दो दिन से पानी नहीं आ रहा, फोटो नहीं है'],
  ])('is the complaint, with the photo declined: %s', (text) => {
    const r = read(text);
    expect(r.intent).toBe('complaint');
    expect(r.declinesPhoto).toBe(true);
  });

  it('answering "photo?" or "where?" it stays the answer to the question', () => {
    expect(read('कचरा उचलला नाही, फोटो नाही', 'photo').intent).toBe('no_photo');
    expect(read('फोटो नाही, पण जागा सांगतो: नऱ्हे, पाण्याच्या टाकीजवळ', 'where').intent).toBe('place');
  });
});

describe('declinesPhoto', () => {
  it.each(['नाही, फोटो नाही', 'photo nahi ahe', 'no photo sorry', 'फ़ोटो नहीं है', "I don't have a camera", 'फोटो नाहीये', 'photo nahiye'])('"%s" declines', (text) => {
    expect(declinesPhoto(text)).toBe(true);
  });
  it.each(['फोटो पाठवतो', 'photo attached', 'नाही, पाणी नाही'])('"%s" does not', (text) => {
    expect(declinesPhoto(text)).toBe(false);
  });
});

describe('the evaluation (npm run eval:bot)', () => {
  // The held-out turns were written by someone who never saw config/intents or the tuning turns: this is how well
  // the bot reads citizens it was not tuned on. A guard against a change that helps one phrasing and hurts the rest.
  it('reads at least 95 % of the held-out turns no example or tuning turn says, and complaint vs not at least 98 %', () => {
    const seen = new Set([...loadIntentExamples(INTENTS_DIR).map((e) => e.text), ...readTurns(join(ROOT, 'eval', 'bot', 'turns-tune.jsonl')).map((t) => t.text)].map(sameText));
    const turns = readTurns(join(ROOT, 'eval', 'bot', 'turns-holdout.jsonl')).filter((t) => !seen.has(sameText(t.text)));
    expect(turns.length).toBeGreaterThanOrEqual(300);
    const got = turns.map((t) => read(t.text, t.context).intent);
    const right = got.filter((g, i) => g === turns[i]!.intent).length / turns.length;
    const binary = got.filter((g, i) => (g === 'complaint') === (turns[i]!.intent === 'complaint')).length / turns.length;
    expect(right).toBeGreaterThanOrEqual(0.95);
    expect(binary).toBeGreaterThanOrEqual(0.98);
  });

  it('holds at least 600 labelled turns over every intent, language and context', () => {
    const all = [...readTurns(join(ROOT, 'eval', 'bot', 'turns-tune.jsonl')), ...readTurns(join(ROOT, 'eval', 'bot', 'turns-holdout.jsonl'))];
    expect(all.length).toBeGreaterThanOrEqual(600);
    expect(new Set(all.map((t) => t.lang))).toEqual(new Set(['mr', 'hi', 'en', 'mr-Latn', 'hi-Latn', 'mixed']));
    expect(new Set(all.map((t) => t.intent)).size).toBe(15);
    expect(new Set(all.map((t) => t.context))).toEqual(new Set(['none', 'what', 'where', 'photo', 'rating']));
  });
});
