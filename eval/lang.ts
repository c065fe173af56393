/**
 * npm run eval:lang -- [dir] [--json] [--detector ours,franc,franc-only,eld] [--limit N] [--strict]
 *
 * Language detection measured on labelled corpora: every *.jsonl in `dir` (default ../shared/corpora/text beside
 * the repository), one `{id?, lang, text, source?}` a line. Labels mr, hi, en, mr-Latn, mixed (romanised
 * Marathi + English: expected mr) and hi-Latn (expected hi) are scored; any other label (ne, sa, gu, ur, bn) is a
 * look-alike language, reported as the share taken for one of ours. Our detector, franc (all languages), franc
 * restricted to mar/hin/eng, and eld run side by side on the same texts. A report: exit 0 even when targets
 * fail, unless --strict (then 1). Bad arguments or an unreadable corpus: exit 2.
 *
 * --limit N     the first N records of each file
 * --detector    a comma-separated subset of ours, franc, franc-only, eld (default: all four)
 *
 * --json prints one document of this shape (version 1; shares are 0–1, rounded to 4 places):
 * {
 *   "version": 1, "dir": string, "limitPerFile": number | null, "samples": number,
 *   "detectors": [{ "id": "ours"|"franc"|"franc-only"|"eld", "label": string, "msgsPerSec": number, "usPerMsg": number }],
 *   "languages": [Row],                    // one per scored label, over every file
 *   "groups": [Row],                       // level "file" (file × label), and "source" (file × label × source)
 *                                          // when one file's records of a label name several sources
 *   "lookAlikes": [{ "label": string, "n": number,
 *                    "results": { [id]: { "mr": share, "hi": share, "en": share, "ours": share } } }],
 *   "confusion": { [id]: { [expected: mr|hi|en|other]: { "mr"|"hi"|"en"|"und"|"other": count } } },
 *   "targets": [{ "what": string, "file": string|null, "source": string|null, "label": string|null, "n": number,
 *                 "actual": number|null, "target": number|null, "verdict": "PASS"|"FAIL"|"SKIP", "note"?: string }],
 *   "pass": boolean                        // no target FAILed (SKIP: fewer than 20 records, or a detector missing)
 * }
 * Row = { "level": "language"|"file"|"source", "file": string|null, "source": string|null, "label": string,
 *         "expected": "mr"|"hi"|"en", "n": number, "results": { [id]: { "accuracy": share, "und": share } } }
 * Targets are judged for ours only: accuracy per source (file rows, or source rows where a file mixes sources),
 * and the speed target (ours msgs/s ≥ franc-only msgs/s), which has file null; its actual/target are msgs/s.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CorpusError, readCorpusDir } from './lang-corpus.ts';
import { DETECTOR_IDS, isDetectorId, loadDetector, type DetectorId } from './lang-detectors.ts';
import { buildReport, printReport } from './lang-report.ts';
import { timedRun } from './lang-timing.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_DIR = resolve(REPO_ROOT, '../shared/corpora/text');
const USAGE = 'usage: npm run eval:lang -- [dir] [--json] [--detector ours,franc,franc-only,eld] [--limit N] [--strict]';

class UsageError extends Error {}

interface Options {
  dir: string;
  json: boolean;
  strict: boolean;
  limit: number | null;
  detectors: DetectorId[];
}

function parseOptions(argv: string[]): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        limit: { type: 'string' },
        detector: { type: 'string', multiple: true },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`one corpus folder at most, got ${positionals.length}: ${positionals.join(' ')}`);

  let limit: number | null = null;
  if (values.limit !== undefined) {
    limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a whole number of at least 1, not "${values.limit}"`);
  }

  const asked = (values.detector ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  const unknown = asked.filter((d) => !isDetectorId(d));
  if (unknown.length > 0) throw new UsageError(`--detector: unknown ${unknown.join(', ')}; choose from ${DETECTOR_IDS.join(', ')}`);
  const detectors = asked.length === 0 ? [...DETECTOR_IDS] : DETECTOR_IDS.filter((d) => asked.includes(d));

  const given = positionals[0];
  if (given === undefined && !existsSync(DEFAULT_DIR)) {
    throw new UsageError(`no corpus folder given and the default ${DEFAULT_DIR} does not exist; name a folder of *.jsonl files`);
  }
  return { dir: given === undefined ? DEFAULT_DIR : resolve(given), json: values.json, strict: values.strict, limit, detectors };
}

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  const samples = readCorpusDir(opts.dir, opts.limit ?? undefined);
  const texts = samples.map((s) => s.text);
  const runs = [];
  for (const id of opts.detectors) {
    const detector = await loadDetector(id);
    if (!opts.json) process.stderr.write(`running ${id} over ${texts.length} texts…\n`);
    runs.push({ id, label: detector.label, run: timedRun(detector.detect, texts) });
  }
  const report = buildReport({ dir: opts.dir, limitPerFile: opts.limit, samples, runs });
  if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else printReport(report);
  return opts.strict && !report.pass ? 1 : 0;
}

try {
  process.exitCode = await main();
} catch (err) {
  if (!(err instanceof UsageError || err instanceof CorpusError)) throw err;
  process.stderr.write(`eval:lang: ${err.message}\n${err instanceof UsageError ? USAGE + '\n' : ''}`);
  process.exitCode = 2;
}
