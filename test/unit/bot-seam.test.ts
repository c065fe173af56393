import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/bridge-process.ts';

// The Bot Framework SDK is archived; a move to its successor must touch src/bots only.
describe('the botbuilder seam', () => {
  it('no file outside src/bots imports botbuilder', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (path !== join(ROOT, 'src', 'bots')) walk(path);
        } else if (entry.name.endsWith('.ts') && /from ['"]botbuilder/.test(readFileSync(path, 'utf8'))) {
          offenders.push(relative(ROOT, path));
        }
      }
    };
    walk(join(ROOT, 'src'));
    expect(offenders).toEqual([]);
  });
});
