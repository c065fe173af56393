import { join } from 'node:path';
import { exampleMessage } from '../src/bots/understand/understand.ts';
import { CONTEXTS, type TurnContext } from '../src/bots/understand/index.ts';
import { readTurns } from '../eval/bot-turns.ts';
import { ROOT } from '../test/support/bridge-process.ts';
import { SHIPPED, shippedUnderstander } from '../test/support/bot-parts.ts';

/**
 * The intent layer's speed: turns classified per second on one core (the normalizer excluded: it has its own
 * figure), over the labelled evaluation turns, each read with its context; and how long training takes at start.
 */
export function benchIntents(seconds = 3): { turnsPerSec: number; usPerTurn: number; trainMs: number; turns: number } {
  const start = performance.now();
  const understander = shippedUnderstander();
  const trainMs = performance.now() - start;
  const turns = [...readTurns(join(ROOT, 'eval', 'bot', 'turns-tune.jsonl')), ...readTurns(join(ROOT, 'eval', 'bot', 'turns-holdout.jsonl'))];
  const normalized = turns.map((t) => SHIPPED.normalize(exampleMessage(t.text)));
  const contexts: TurnContext[] = turns.map((t) => (CONTEXTS.includes(t.context) ? t.context : 'none'));
  for (let i = 0; i < normalized.length; i++) understander.read(normalized[i]!, contexts[i]!); // warm up
  let done = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    for (let i = 0; i < normalized.length; i++) understander.read(normalized[i]!, contexts[i]!);
    done += normalized.length;
  }
  const elapsed = (performance.now() - t0) / 1000;
  return { turnsPerSec: done / elapsed, usPerTurn: (elapsed * 1e6) / done, trainMs, turns: turns.length };
}
