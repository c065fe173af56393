import { appendFileSync } from 'node:fs';

let file;
export function initialize(data) {
  file = data;
}
export async function load(url, context, next) {
  appendFileSync(file, `${url}\n`);
  return next(url, context);
}
