import { join } from 'node:path';
import type { Command } from 'commander';
import { loadMessages } from '../bots/messages.ts';
import { CONTEXTS, loadUnderstander, type TurnContext } from '../bots/understand/index.ts';
import { exampleMessage } from '../bots/understand/understand.ts';
import { loadGazetteer } from '../config/gazetteer.ts';
import { loadConfig } from '../config/load.ts';
import { createNormalizer } from '../normalizer/index.ts';
import { UsageError } from './output.ts';

/**
 * `pmc-bridge understand "text" [--context where] [--explain]`: what the bot would take a message to mean, as
 * one JSON line — for staff who add phrasings to config/intents and want to see the effect.
 */
export function registerUnderstand(program: Command): void {
  program
    .command('understand <text...>')
    .description('the intent the bot reads in a message, as one JSON line; config/intents holds what it learns from')
    .option('--context <asked>', `what the bot had just asked: ${CONTEXTS.join(', ')}`, 'none')
    .option('--explain', 'also the words that pulled it to that intent, with their weights')
    .action((words: string[], opts: { context: string; explain?: boolean }) => {
      if (!(CONTEXTS as readonly string[]).includes(opts.context)) throw new UsageError(`--context must be one of ${CONTEXTS.join(', ')}`);
      const { dir } = loadConfig();
      const g = loadGazetteer(dir);
      const normalize = createNormalizer({ ...g });
      const understander = loadUnderstander(dir, normalize, loadMessages(join(dir, 'messages')));
      const n = normalize(exampleMessage(words.join(' ')));
      const read = understander.read(n, opts.context as TurnContext);
      const line = { ...read, confidence: Math.round(read.confidence * 100) / 100, ...(opts.explain ? { classifier: understander.explain(n) } : {}) };
      process.stdout.write(JSON.stringify(line) + '\n');
    });
}
