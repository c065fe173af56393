import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { detectLanguage, explainLanguage } from '../normalizer/language.ts';

/**
 * One detection as the CLI prints it: exactly these keys, confidence to 2 decimals; with `explain`, also the
 * marker words the text hit and their weights ("aahe:mr3"), for whoever tunes the lexicons.
 */
export function detectLine(text: string, explain = false): string {
  const { lang, script, confidence } = detectLanguage(text);
  const line = { lang, script, confidence: Math.round(confidence * 100) / 100, ...(explain ? { markers: explainLanguage(text) } : {}) };
  return JSON.stringify(line) + '\n';
}

/**
 * One JSON line per stdin line, streamed: memory stays flat however long the pipe, and a reader that stops
 * early (`| head`) ends the command quietly instead of with an EPIPE stack trace.
 */
async function detectStdin(explain: boolean): Promise<void> {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    // wait for a slow reader rather than buffer every answer in memory
    if (!process.stdout.write(detectLine(line, explain))) await once(process.stdout, 'drain');
  }
}

export function registerDetect(program: Command): void {
  program
    .command('detect [text...]')
    .description('language and script of a text, as one JSON line {"lang","script","confidence"}; with no text, one line per line of stdin')
    .option('--explain', 'also list the marker words each text hit, with their weights')
    .action(async (words: string[], opts: { explain?: boolean }) => {
      const explain = opts.explain === true;
      if (words.length > 0) process.stdout.write(detectLine(words.join(' '), explain));
      else await detectStdin(explain);
    });
}
