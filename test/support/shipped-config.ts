import { cpSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ROOT } from './bridge-process.ts';

/**
 * The config the bridge ships (default.yaml, wards, categories, the texts in messages/) copied to `dest`, so a
 * test or benchmark can add its own local.yaml. A developer's own config/local.yaml is left behind.
 */
export function copyShippedConfig(dest: string): void {
  cpSync(join(ROOT, 'config'), dest, { recursive: true, filter: (src) => basename(src) !== 'local.yaml' });
}
