#!/usr/bin/env node
// Runs the TypeScript sources: bundled to plain JavaScript on the first start after a change (bin/bundle.js, in
// node_modules/.cache), so there is still no build step between `npm ci` and `npm start`. Without esbuild, or with
// PMC_BUNDLE=off, through tsx.
import { bundledEntry } from './bundle.js';

const entry = bundledEntry();
if (entry) {
  await import(entry);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
