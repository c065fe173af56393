import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CONTEXTS, INTENTS } from '../src/bots/understand/index.ts';

export const LANGS = ['mr', 'hi', 'en', 'mr-Latn', 'hi-Latn', 'mixed'] as const;

export const LabelledTurn = z
  .object({ text: z.string().min(1), lang: z.enum(LANGS), context: z.enum(CONTEXTS), intent: z.enum(INTENTS) })
  .strict();
export type LabelledTurn = z.infer<typeof LabelledTurn>;

/** one labelled turn a line; a bad line stops the evaluation with its file and line number */
export function readTurns(file: string): LabelledTurn[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line !== '')
    .map(({ line, n }) => {
      const parsed = LabelledTurn.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${n}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return parsed.data;
    });
}

/** two texts written the same but for case, spaces and punctuation */
export function sameText(text: string): string {
  return text.toLowerCase().replace(/[\s.,!?।]+/gu, ' ').trim();
}
