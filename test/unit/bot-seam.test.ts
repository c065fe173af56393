import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/bridge-process.ts';

/** every .ts file under `dir` whose imports match `pattern`, except under the folders in `skip` */
function importing(dir: string, pattern: RegExp, skip: readonly string[] = []): string[] {
  const offenders: string[] = [];
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) {
        if (!skip.includes(path)) walk(path);
      } else if (entry.name.endsWith('.ts') && pattern.test(readFileSync(path, 'utf8'))) offenders.push(relative(ROOT, path));
    }
  };
  walk(dir);
  return offenders;
}

describe('the seams between the parts', () => {
  // The Bot Framework SDK is archived; a move to its successor must touch src/bots only.
  it('no file outside src/bots imports botbuilder', () => {
    expect(importing(join(ROOT, 'src'), /from ['"]botbuilder/, [join(ROOT, 'src', 'bots')])).toEqual([]);
  });

  // The bot decides what to say; how it fits a channel is src/render's, driven by the connector's declared limits.
  it('the bot imports no channel code, and the renderer none either', () => {
    // the port's types (connector.ts) are no channel's code
    const channelCode = /from ['"][./]+\/connectors\/(?!connector\.ts)/;
    expect(importing(join(ROOT, 'src', 'bots'), channelCode)).toEqual([]);
    expect(importing(join(ROOT, 'src', 'render'), channelCode)).toEqual([]);
  });
});
