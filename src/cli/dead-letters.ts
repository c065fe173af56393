import type { Command } from 'commander';
import { parseLimit, printJson, printTable, UsageError, type ListOptions } from './output.ts';
import { withStore } from './with-store.ts';

export function registerDeadLetters(program: Command): void {
  const dead = program
    .command('dead-letters')
    .description('messages and replies the bridge gave up on, newest first')
    .option('--json', 'one JSON array of all dead letters')
    .option('--limit <n>', 'at most this many')
    .action(async (opts: ListOptions) => {
      const limit = parseLimit(opts.limit);
      await withStore(async (store) => {
        const all = await store.listDeadLetters();
        const list = limit ? all.slice(0, limit) : all;
        if (opts.json) return printJson(list);
        printTable(['ref', 'at', 'tries', 'what', 'error'], list.map((d) => [`${d.kind}:${d.id}`, d.at.slice(0, 19).replace('T', ' '), String(d.attempts), d.summary, d.error]), 80);
      });
    });
  dead
    .command('retry <refs...>')
    .description('try again: refs as listed, e.g. inbound:12 outbound:34')
    .action(async (refs: string[]) => {
      await withStore(async (store) => {
        let moved = 0;
        for (const ref of refs) {
          const m = /^(inbound|outbound):(\d+)$/u.exec(ref);
          if (!m) throw new UsageError(`"${ref}" is not a dead-letter ref: use inbound:N or outbound:N as listed`);
          const id = Number(m[2]);
          if (m[1] === 'inbound' ? await store.retryInbound(id) : await store.retryOutbox(id)) moved++;
        }
        process.stdout.write(`${moved} of ${refs.length} queued again\n`);
      });
    });
}
