import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../support/bridge-process.ts';

// a config folder that does not exist: `detect` must work without loading config or opening the store
const ENV = { PMC_CONFIG_DIR: '/nonexistent/pmc-config' };

const MR = 'माझ्या घरासमोरचा रस्ता खूप खराब झाला आहे';
const HI = 'मेरे घर के सामने वाली सड़क बहुत खराब हो गई है';
const EN = 'The road in front of my house has been broken for a month';
const MR_LATN = 'amchya galli madhe teen divas kachra padla ahe, lavkar uchla';

interface Detection {
  lang: string;
  script: string;
  confidence: number;
}

/** Parses one output line and checks it is exactly the documented object. */
function parseDetection(line: string): Detection {
  const d = JSON.parse(line) as Detection;
  expect(Object.keys(d)).toEqual(['lang', 'script', 'confidence']);
  expect(d.confidence).toBeGreaterThanOrEqual(0);
  expect(d.confidence).toBeLessThanOrEqual(1);
  expect(Math.round(d.confidence * 100) / 100).toBe(d.confidence);
  return d;
}

async function detectArgs(...args: string[]): Promise<Detection> {
  const r = await runCli(['detect', ...args], ENV);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout.endsWith('\n')).toBe(true);
  expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
  return parseDetection(r.stdout);
}

/** `pmc-bridge detect` with `input` piped to stdin. */
function detectStdin(input: string | Iterable<string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, ['bin/pmc-bridge.js', 'detect'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...ENV },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  if (typeof input === 'string') proc.stdin.end(input);
  else {
    // honour backpressure so a 100k-line input is a real stream, not one write
    const lines = input[Symbol.iterator]();
    const pump = (): void => {
      for (let next = lines.next(); !next.done; next = lines.next()) if (!proc.stdin.write(next.value)) return void proc.stdin.once('drain', pump);
      proc.stdin.end();
    };
    pump();
  }
  return new Promise((resolve) => proc.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('pmc-bridge detect "text"', () => {
  it('prints Devanagari Marathi as mr / Deva', async () => {
    expect(await detectArgs(MR)).toMatchObject({ lang: 'mr', script: 'Deva' });
  });

  it('prints Hindi as hi / Deva', async () => {
    expect(await detectArgs(HI)).toMatchObject({ lang: 'hi', script: 'Deva' });
  });

  it('prints English as en / Latn, joining several arguments into one text', async () => {
    expect(await detectArgs(...EN.split(' '))).toMatchObject({ lang: 'en', script: 'Latn' });
  });

  it('prints romanised Marathi as Latin script', async () => {
    const d = await detectArgs(MR_LATN);
    expect(d.script).toBe('Latn');
    // depends on the Marathi-first detector of the Normalizer issue (franc alone calls this English)
    expect(d.lang).toBe('mr');
  });
});

describe('pmc-bridge detect --explain', () => {
  it('adds the marker words the text hit, with language and weight', async () => {
    const r = await runCli(['detect', '--explain', 'maza rasta khup kharab ahe'], ENV);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as Detection & { markers: string[] };
    expect(d.lang).toBe('mr');
    expect(d.markers).toEqual(expect.arrayContaining(['ahe:mr3', 'khup:mr2']));
  });
});

describe('pmc-bridge detect (stdin)', () => {
  it('writes one JSON line per input line, in order; an empty line is und', async () => {
    const r = await detectStdin(`${MR}\n\n${HI}\r\n${EN}`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.stdout.trimEnd().split('\n').map(parseDetection);
    expect(out.map((d) => d.lang)).toEqual(['mr', 'und', 'hi', 'en']);
    expect(out[1]).toEqual({ lang: 'und', script: 'other', confidence: 0 });
    expect(out[2]!.script).toBe('Deva'); // the CR of a CRLF line is not part of the text
  });

  it('streams a 100k-line pipe', async () => {
    const N = 100_000;
    const texts = [MR, HI, EN, MR_LATN];
    const r = await detectStdin((function* () {
      for (let i = 0; i < N; i++) yield texts[i % texts.length]! + '\n';
    })());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(N);
    expect(lines.slice(0, 3).map((l) => parseDetection(l).lang)).toEqual(['mr', 'hi', 'en']);
    expect(lines[N - 4]).toBe(lines[0]);
  }, 60_000);

  it('ends quietly (exit 0, nothing on stderr) when the reader goes away, as with `| head -1`', async () => {
    const proc = spawn(process.execPath, ['bin/pmc-bridge.js', 'detect'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...ENV },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    proc.stdin.on('error', () => {}); // the child may exit while we are still feeding it
    const feed = (): void => {
      while (proc.stdin.writable && proc.stdin.write(`${EN}\n`.repeat(100)));
      if (proc.stdin.writable) proc.stdin.once('drain', feed);
    };
    feed();
    const first = await new Promise<string>((resolve) => proc.stdout.once('data', (d: Buffer) => resolve(d.toString('utf8'))));
    proc.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
    expect(parseDetection(first.split('\n')[0]!).lang).toBe('en');
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
