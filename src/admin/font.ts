import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/** where the pages find Noto Sans Devanagari: a phone or office PC without a Devanagari font still shows Marathi */
export const FONT_PATH = '/admin/assets/noto-devanagari-400.woff2';

/** the font's face, for the pages' style sheet */
export const FONT_FACE = `@font-face{font-family:"Noto Sans Devanagari";src:url(${FONT_PATH}) format("woff2");font-display:swap;unicode-range:U+0900-097F,U+1CD0-1CF9,U+200C-200D,U+20A8,U+20B9,U+25CC,U+A830-A839,U+A8E0-A8FF}`;

/** the Devanagari subset of @fontsource/noto-sans-devanagari (OFL), read once, cached by browsers for a day */
export function registerAdminFont(server: FastifyInstance): void {
  const dir = join(dirname(createRequire(import.meta.url).resolve('@fontsource/noto-sans-devanagari/package.json')), 'files');
  const bytes = readFileSync(join(dir, 'noto-sans-devanagari-devanagari-400-normal.woff2'));
  server.get(FONT_PATH, async (_request, reply) => reply.headers({ 'content-type': 'font/woff2', 'cache-control': 'public, max-age=86400' }).send(bytes));
}
