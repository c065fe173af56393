import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/bridge-process.ts';

const run = promisify(execFile);

// bin/bundle.js in a project of its own: a two-file src/, the real esbuild, its own node_modules/.cache
describe('the sources are bundled on the first start after a change (bin/bundle.js)', () => {
  let project: string;
  const cache = () => join(project, 'node_modules', '.cache', 'pmc-bridge');
  const bundles = () => readdirSync(cache()).sort();
  const start = async () => (await run(process.execPath, [join(project, 'bin', 'start.js')], { cwd: project })).stdout.trim();
  const writeSource = (version: string, at: Date) => {
    const file = join(project, 'src', 'cli.ts');
    writeFileSync(file, `import { greeting } from './greeting.ts';\nconst version: string = '${version}';\nconsole.log(greeting(version));\n`);
    utimesSync(file, at, at);
  };

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'pmc-bundle-'));
    mkdirSync(join(project, 'bin'));
    copyFileSync(join(ROOT, 'bin', 'bundle.js'), join(project, 'bin', 'bundle.js'));
    writeFileSync(join(project, 'bin', 'start.js'), "import { bundledEntry } from './bundle.js';\nconst entry = bundledEntry();\nif (!entry) throw new Error('not bundled');\nawait import(entry);\n");
    writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n');
    mkdirSync(join(project, 'src', 'connectors', 'webchat'), { recursive: true });
    writeFileSync(join(project, 'src', 'greeting.ts'), "export const greeting = (v: string): string => `नमस्कार ${v}`;\n");
    for (const asset of ['page.html', 'page.js']) writeFileSync(join(project, 'src', 'connectors', 'webchat', asset), `<!-- ${asset} -->\n`);
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(join(ROOT, 'node_modules', 'esbuild'), join(project, 'node_modules', 'esbuild'));
    writeSource('v1', new Date('2026-01-01T00:00:00Z'));
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('builds once, with the files the code reads beside it, and reuses the bundle while src/ is unchanged', async () => {
    expect(await start()).toBe('नमस्कार v1');
    const [first] = bundles();
    expect(bundles()).toHaveLength(1);
    expect(readdirSync(join(cache(), first!))).toEqual(expect.arrayContaining(['cli.js', 'page.html', 'page.js']));
    expect(await start()).toBe('नमस्कार v1');
    expect(bundles()).toEqual([first]);
  });

  it('a change to a source makes a new bundle; processes started together agree on one and leave no half-built folder', async () => {
    const before = bundles();
    writeSource('v2', new Date('2026-01-02T00:00:00Z'));
    const outputs = await Promise.all(Array.from({ length: 4 }, () => start()));
    expect(outputs).toEqual(Array.from({ length: 4 }, () => 'नमस्कार v2'));
    const after = bundles();
    expect(after).toHaveLength(before.length + 1);
    expect(after.filter((d) => d.endsWith('.tmp'))).toEqual([]);
  });
});
