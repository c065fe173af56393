import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

export const ASSETS_PATH = '/chat/assets';

export interface AssetSource {
  /** the name the page asks for, before its hash: "webchat.js" */
  name: string;
  /** the bytes, or where to read them */
  bytes: Buffer | string;
  type: string;
  /** fonts and images are compressed already */
  compress?: boolean;
}

interface Asset {
  path: string;
  type: string;
  raw: Buffer;
  gzip?: Buffer;
  brotli?: Promise<Buffer>;
}

const brotli = promisify(brotliCompress);
const unbrotli = promisify(brotliDecompress);
// brotli at its best takes seconds of CPU for Web Chat's 1.9 MB (and saves 10% over the wire): done once per machine
// and kept here, by the content's hash
const BROTLI_CACHE = join(tmpdir(), 'pmc-bridge-assets');

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

// one compression per content in this process, however many bridges it starts (tests start many)
const making = new Map<string, Promise<Buffer>>();

/** the brotli form of `raw`, from the cache when it is there and decompresses to exactly `raw` (the folder is shared) */
function brotliOnce(raw: Buffer, hash: string): Promise<Buffer> {
  let made = making.get(hash);
  if (!made) {
    made = brotliCached(raw, hash);
    making.set(hash, made);
  }
  return made;
}

async function brotliCached(raw: Buffer, hash: string): Promise<Buffer> {
  const file = join(BROTLI_CACHE, `${hash}.br`);
  const cached = await readFile(file).catch(() => undefined);
  if (cached && sha256(await unbrotli(cached).catch(() => Buffer.alloc(0))) === hash) return cached;
  const made = await brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
  // a cache that cannot be written costs only the next start's time
  await mkdir(BROTLI_CACHE, { recursive: true })
    .then(() => writeFile(`${file}.${process.pid}.tmp`, made))
    .then(() => rename(`${file}.${process.pid}.tmp`, file))
    .catch(() => undefined);
  return made;
}

/**
 * The page's files under a name with their content's hash in it (`webchat.3f9a1c2e7b.js`), so a browser may keep
 * them a year and a new version is a new name. Text is served brotli- or gzip-compressed, as the browser accepts:
 * Web Chat is 1.9 MB as it ships, 0.48 MB gzipped and 0.37 MB in brotli. Gzip is made at start; brotli in the
 * background (once per machine, then read from the OS temp folder), gzip until it is ready.
 */
export class Assets {
  private readonly byPath = new Map<string, Asset>();
  private readonly urls = new Map<string, string>();

  constructor(sources: readonly AssetSource[]) {
    for (const s of sources) {
      const raw = typeof s.bytes === 'string' ? readFileSync(s.bytes) : s.bytes;
      const hash = sha256(raw);
      const dot = s.name.lastIndexOf('.');
      const file = `${s.name.slice(0, dot)}.${hash.slice(0, 12)}${s.name.slice(dot)}`;
      const asset: Asset = { path: `${ASSETS_PATH}/${file}`, type: s.type, raw };
      if (s.compress !== false) {
        asset.gzip = gzipSync(raw, { level: 6 });
        asset.brotli = brotliOnce(raw, hash);
        asset.brotli.catch(() => undefined);
      }
      this.byPath.set(asset.path, asset);
      // relative to the page at /chat, so chat/assets/… (a proxy may add a path prefix)
      this.urls.set(s.name, `chat/assets/${file}`);
    }
  }

  /** the page's link to an asset */
  url(name: string): string {
    const url = this.urls.get(name);
    if (!url) throw new Error(`no asset ${name}`);
    return url;
  }

  mount(server: FastifyInstance): void {
    server.get(`${ASSETS_PATH}/:file`, async (request, reply) => {
      const asset = this.byPath.get(`${ASSETS_PATH}/${(request.params as { file: string }).file}`);
      if (!asset) return reply.status(404).send({ error: 'not found' });
      void reply.type(asset.type).header('cache-control', 'public, max-age=31536000, immutable').header('vary', 'accept-encoding');
      const accepts = String(request.headers['accept-encoding'] ?? '');
      if (asset.brotli && /\bbr\b/.test(accepts)) {
        const ready = await Promise.race([asset.brotli, Promise.resolve(undefined)]);
        if (ready) return reply.header('content-encoding', 'br').send(ready);
      }
      if (asset.gzip && /\bgzip\b/.test(accepts)) return reply.header('content-encoding', 'gzip').send(asset.gzip);
      return reply.send(asset.raw);
    });
  }
}
