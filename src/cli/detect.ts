import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { detectLanguage } from '../normalizer/language.ts';

/** One detection as the CLI prints it: exactly these keys, confidence to 2 decimals. */
export function detectLine(text: string): string {
  const { lang, script, confidence } = detectLanguage(text);
  return JSON.stringify({ lang, script, confidence: Math.round(confidence * 100) / 100 }) + '\n';
}

/**
 * One JSON line per stdin line, streamed: memory stays flat however long the pipe, and a reader that stops
 * early (`| head`) ends the command quietly instead of with an EPIPE stack trace.
 */
async function detectStdin(): Promise<void> {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    // wait for a slow reader rather than buffer every answer in memory
    if (!process.stdout.write(detectLine(line))) await once(process.stdout, 'drain');
  }
}

export function registerDetect(program: Command): void {
  program
    .command('detect [text...]')
    .description('language and script of a text, as one JSON line {"lang","script","confidence"}; with no text, one line per line of stdin')
    .action(async (words: string[]) => {
      if (words.length > 0) process.stdout.write(detectLine(words.join(' ')));
      else await detectStdin();
    });
}
