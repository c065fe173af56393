import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../../config/load.ts';
import type { Language } from '../../model/index.ts';
import { LEARNED_INTENTS, type LearnedIntent } from './intents.ts';

export interface IntentExample {
  text: string;
  intent: LearnedIntent;
}

const Examples = z.array(z.string().trim().min(1, 'must not be empty')).min(1, 'needs at least one example');
const ExampleFile = z.object(Object.fromEntries(LEARNED_INTENTS.map((i) => [i, Examples.optional()]))).strict();

/**
 * config/intents/{mr,hi,en}.yaml: for each intent, phrases as citizens write them (romanised Marathi in mr.yaml,
 * romanised Hindi in hi.yaml). Staff add a phrasing by adding a line; the bot learns from them at start. An
 * unknown intent or an empty list stops the start, naming the file and key.
 */
export function loadIntentExamples(dir: string): IntentExample[] {
  const out: IntentExample[] = [];
  const langs: Language[] = ['mr', 'hi', 'en'];
  for (const lang of langs) {
    const file = join(dir, `${lang}.yaml`);
    if (!existsSync(file)) throw new ConfigError(`${file} not found: the bot learns what citizens mean from config/intents/{mr,hi,en}.yaml`);
    let doc: unknown;
    try {
      doc = parseYaml(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError(`${file}: not valid YAML: ${(err as Error).message}`);
    }
    const parsed = ExampleFile.safeParse(doc ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
      throw new ConfigError(`${file}: ${issues.join('; ')} (intents are ${LEARNED_INTENTS.join(', ')})`);
    }
    for (const intent of LEARNED_INTENTS) for (const text of parsed.data[intent] ?? []) out.push({ text, intent });
  }
  const missing = LEARNED_INTENTS.filter((i) => !out.some((e) => e.intent === i));
  if (missing.length > 0) throw new ConfigError(`${dir}: no examples of ${missing.join(', ')} in any language`);
  return out;
}
