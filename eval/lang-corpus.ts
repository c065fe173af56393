// Reading the evaluation corpora: every *.jsonl in a folder, one `{id?, lang, text, source?}` record a line.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';

/** What a detector should answer for a record: one of our languages, or "not one of ours" for look-alikes. */
export type Expected = 'mr' | 'hi' | 'en' | 'other';

/**
 * Corpus labels and the answer each should get. Romanised Marathi (pure or code-mixed with English) is still
 * Marathi and romanised Hindi is still Hindi: the citizen is answered in that language. Any other label (ne, sa,
 * gu, ur, bn, …) is a look-alike language that must not be taken for one of ours.
 */
const EXPECTED_BY_LABEL: Record<string, Exclude<Expected, 'other'>> = {
  mr: 'mr',
  hi: 'hi',
  en: 'en',
  'mr-Latn': 'mr',
  mixed: 'mr',
  'hi-Latn': 'hi',
};

export function expectedFor(label: string): Expected {
  return EXPECTED_BY_LABEL[label] ?? 'other';
}

const CorpusRecord = z.object({
  id: z.string().optional(),
  lang: z.string().min(1),
  text: z.string(),
  source: z.string().optional(),
});

export interface Sample {
  /** the file name, e.g. mr_social.jsonl */
  file: string;
  /** the record's own `source` field, when it has one */
  source: string | undefined;
  /** the corpus label as written (mr, mr-Latn, mixed, ne, …) */
  label: string;
  expected: Expected;
  text: string;
}

export class CorpusError extends Error {
  override readonly name = 'CorpusError';
}

/** The samples of one JSONL file; `limit` keeps the first N records. A bad line names its file and line. */
export function readCorpusFile(path: string, limit?: number): Sample[] {
  const file = basename(path);
  const samples: Sample[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length && (limit === undefined || samples.length < limit); i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      throw new CorpusError(`${path}:${i + 1}: not valid JSON (${(err as Error).message}); each line must be one {"lang","text"} object`);
    }
    const parsed = CorpusRecord.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new CorpusError(`${path}:${i + 1}: key "${issue.path.join('.') || '(record)'}": ${issue.message}; each line needs "lang" (non-empty string) and "text" (string)`);
    }
    const { lang, text, source } = parsed.data;
    samples.push({ file, source, label: lang, expected: expectedFor(lang), text });
  }
  return samples;
}

/** Every *.jsonl in `dir` (not recursive), in name order. */
export function readCorpusDir(dir: string, limit?: number): Sample[] {
  const st = statSync(dir, { throwIfNoEntry: false });
  if (!st?.isDirectory()) throw new CorpusError(`${dir}: no such folder; name a folder of *.jsonl files`);
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl') && !name.startsWith('.'))
    .sort();
  if (files.length === 0) throw new CorpusError(`${dir}: no *.jsonl files in this folder`);
  return files.flatMap((name) => readCorpusFile(join(dir, name), limit));
}
