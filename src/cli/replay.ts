import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.ts';
import { parseForm, type FormParams } from '../http/form-body.ts';
import { parseWholeNumber, UsageError } from './output.ts';

const ROUTE = '/webhooks/sms/twilio';

// a folder of recordings may hold a README or notes beside them: only these are payloads
const PAYLOAD_EXTENSIONS = new Set(['.json', '.txt', '.form']);

/** Every payload file under `path`, in name order (a file named on its own is read whatever its name). */
function payloadFiles(path: string): string[] {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) throw new UsageError(`${path}: no such file or folder`);
  if (st.isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) =>
      e.isDirectory() ? payloadFiles(join(path, e.name)) : !e.name.startsWith('.') && PAYLOAD_EXTENSIONS.has(extname(e.name)) ? [join(path, e.name)] : [],
    );
}

/**
 * A recorded webhook: a .json file holding the form params as an object (or an array of such objects), or a
 * .txt / .form file holding url-encoded bodies, one webhook per line.
 */
export function readPayloads(file: string): FormParams[] {
  const text = readFileSync(file, 'utf8');
  if (extname(file) === '.json') {
    const doc: unknown = JSON.parse(text);
    const list = Array.isArray(doc) ? doc : [doc];
    return list.map((p, i) => {
      if (typeof p !== 'object' || p === null) throw new UsageError(`${file}[${i}]: expected an object of form params`);
      return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));
    });
  }
  return text.split('\n').filter((l) => l.trim() !== '').map((line) => parseForm(line));
}

function encode(params: FormParams): string {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return body.toString();
}

export interface ReplayResult {
  sent: number;
  ok: number;
  failed: { file: string; status: number | string }[];
}

/** Sends recorded Twilio webhooks through the real HTTP route, signed as Twilio would sign them. */
export async function replay(path: string, opts: { url?: string; concurrency?: number; progress?: boolean }): Promise<ReplayResult> {
  const { config } = loadConfig();
  const token = config.channels.sms.twilio?.authToken;
  if (!token) throw new UsageError('replay signs each webhook with TWILIO_AUTH_TOKEN: set it (and the other TWILIO_* variables) as the running bridge has them');
  const host = config.server.host === '0.0.0.0' || config.server.host === '::' ? '127.0.0.1' : config.server.host;
  const target = (opts.url ?? `http://${host}:${config.server.port}`).replace(/\/$/u, '') + ROUTE;
  // the signature covers the URL Twilio called: the public one when the bridge sits behind a proxy
  const signedUrl = config.server.publicBaseUrl ? config.server.publicBaseUrl.replace(/\/$/u, '') + ROUTE : target;

  const jobs = payloadFiles(path).flatMap((file) => readPayloads(file).map((params) => ({ file, params })));
  // loaded here, not with the CLI: every other command (and `start`) would carry the Twilio SDK for nothing
  const [{ default: twilio }, { SingleBar, Presets }] = await Promise.all([import('twilio'), import('cli-progress')]);
  const bar = opts.progress === false ? undefined : new SingleBar({ format: 'replay {bar} {value}/{total} webhooks  {failed} failed', stream: process.stderr }, Presets.shades_classic);
  const result: ReplayResult = { sent: 0, ok: 0, failed: [] };
  bar?.start(jobs.length, 0, { failed: 0 });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const signature = twilio.getExpectedTwilioSignature(token, signedUrl, job.params);
      try {
        const res = await fetch(target, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
          body: encode(job.params),
        });
        await res.arrayBuffer();
        if (res.ok) result.ok++;
        else result.failed.push({ file: job.file, status: res.status });
      } catch (err) {
        result.failed.push({ file: job.file, status: (err as Error).message });
      }
      result.sent++;
      bar?.update(result.sent, { failed: result.failed.length });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 8) }, worker));
  bar?.stop();
  return result;
}

export function registerReplay(program: Command): void {
  program
    .command('replay <path>')
    .description('send recorded Twilio webhooks (a file or a folder of them) to the running bridge, signed with TWILIO_AUTH_TOKEN')
    .option('--url <origin>', 'where the bridge listens (default http://HOST:PORT from config)')
    .option('--concurrency <n>', 'webhooks in flight at once (1–256)', '8')
    .option('--no-progress', 'no progress bar')
    .action(async (path: string, opts: { url?: string; concurrency: string; progress: boolean }) => {
      const concurrency = parseWholeNumber('--concurrency', opts.concurrency, 1, 256);
      const r = await replay(path, { ...(opts.url ? { url: opts.url } : {}), concurrency, progress: opts.progress });
      for (const f of r.failed.slice(0, 20)) process.stderr.write(`  ${f.file}: ${f.status}\n`);
      process.stdout.write(`${r.sent} webhooks sent, ${r.ok} accepted, ${r.failed.length} failed\n`);
      if (r.failed.length > 0) process.exitCode = 1;
    });
}
