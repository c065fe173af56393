// The TypeScript sources as plain JavaScript for `pmc-bridge`: bundled by esbuild into node_modules/.cache on the
// first start after a change to src/, then run as they are. A loader (tsx) would compile them at every start in a
// thread of its own, which holds ~45 MB for the life of every process. Run as `node bin/bundle.js --build <dir>`,
// it is the child that builds (so the bridge itself never loads esbuild).
import { spawnSync } from 'node:child_process';
import process from 'node:process';
import { createHash, randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const CACHE = join(ROOT, 'node_modules', '.cache', 'pmc-bridge');
// files the code reads from beside itself (import.meta.url): copied next to the bundle
const ASSETS = ['connectors/webchat/page.html', 'connectors/webchat/page.js'];
const OLD_BUNDLE_MS = 7 * 86_400_000;

/** what the bundle is made from: every file of src/ (name, size, time), tsconfig.json and the esbuild that makes it */
function stamp() {
  const hash = createHash('sha256');
  hash.update(JSON.parse(readFileSync(join(ROOT, 'node_modules', 'esbuild', 'package.json'), 'utf8')).version);
  if (existsSync(join(ROOT, 'tsconfig.json'))) hash.update(readFileSync(join(ROOT, 'tsconfig.json')));
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const s = statSync(path);
        hash.update(`${path.slice(SRC.length)}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  walk(SRC);
  return hash.digest('hex').slice(0, 16);
}

/**
 * The bundle's entry for the sources as they are now, built if there is none; undefined when it cannot be built
 * (the caller then runs the sources through tsx). Processes started at once may all build: each builds in a folder
 * of its own and the first to rename it into place wins.
 */
export function bundledEntry() {
  if (process.env.PMC_BUNDLE === 'off') return undefined;
  let dir;
  try {
    dir = join(CACHE, stamp());
  } catch {
    return undefined; // no esbuild (a trimmed install): tsx it is
  }
  const entry = join(dir, 'cli.js');
  if (existsSync(entry)) return used(dir, entry);
  const building = `${dir}.${randomUUID()}.tmp`;
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--build', building], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (child.status !== 0) {
    rmSync(building, { recursive: true, force: true });
    const why = (child.stderr || child.error?.message || `exit ${child.status}`).trim().split('\n').find((l) => l.trim()) ?? '';
    process.stderr.write(`pmc-bridge: could not bundle src/ into ${CACHE} (${why}); running it through tsx instead, which holds ~45 MB more memory. Make node_modules writable for the user that starts the bridge, or run \`node bin/pmc-bridge.js --help\` once as the user that installed it.\n`);
    return undefined;
  }
  try {
    renameSync(building, dir);
  } catch {
    rmSync(building, { recursive: true, force: true }); // another process put the same bundle in place first
  }
  if (!existsSync(entry)) return undefined;
  pruneOld(dir);
  return used(dir, entry);
}

/** marks the bundle as in use now: only bundles no process has started from for a week are pruned */
function used(dir, entry) {
  try {
    const now = new Date();
    utimesSync(dir, now, now);
  } catch {
    // a read-only install: it is never pruned either
  }
  return pathToFileURL(entry).href;
}

/** bundles no process has started from for a week (a running bridge may still import from its own) */
function pruneOld(keep) {
  for (const name of readdirSync(CACHE)) {
    const path = join(CACHE, name);
    if (path === keep) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > OLD_BUNDLE_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // gone already
    }
  }
}

async function build(outdir) {
  const { build: esbuild } = await import('esbuild');
  await esbuild({
    entryPoints: [join(SRC, 'cli.ts')],
    outdir,
    bundle: true,
    // channels, BullMQ and the rest are imported when they are on: each stays a file of its own, loaded then
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // names as written (error classes, functions), for logs and stack traces
    keepNames: true,
    logLevel: 'error',
  });
  for (const asset of ASSETS) copyFileSync(join(SRC, asset), join(outdir, asset.split('/').pop()));
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--build' && process.argv[3]) {
  await build(process.argv[3]);
}
