import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The config folder this bridge ships with (config/ beside its package.json), found from wherever the code runs:
 * src/config from source, the build cache when bundled. Undefined if the package is not laid out as shipped.
 */
export function shippedConfigDir(): string | undefined {
  let at = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(at, 'package.json');
    if (existsSync(pkg) && existsSync(join(at, 'config', 'default.yaml')) && nameOf(pkg) === 'pmc-bridge') return join(at, 'config');
    const up = dirname(at);
    if (up === at) return undefined;
    at = up;
  }
}

function nameOf(pkg: string): unknown {
  try {
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

/**
 * The keys `shipped` has and `own` lacks, each as its outermost dotted path ("pipeline.burst.webhooksAtOnce", or
 * "pipeline.burst" when the whole mapping is missing): what an operator's copy of an older default.yaml lacks.
 */
export function missingKeys(shipped: Plain, own: Plain, path: string[] = []): string[] {
  const missing: string[] = [];
  for (const [key, value] of Object.entries(shipped)) {
    if (!(key in own)) missing.push([...path, key].join('.'));
    else if (isPlain(value) && isPlain(own[key])) missing.push(...missingKeys(value, own[key] as Plain, [...path, key]));
  }
  return missing;
}
