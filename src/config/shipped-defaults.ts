import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
