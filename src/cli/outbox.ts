import type { Command } from 'commander';
import { DeliveryState } from '../model/index.ts';
import { parseLimit, printJson, printTable, UsageError, type ListOptions } from './output.ts';
import { withStore } from './with-store.ts';

export function registerOutbox(program: Command): void {
  const outbox = program.command('outbox').description('replies waiting, sent and failed');
  outbox
    .command('list')
    .description('outbox entries, newest first')
    .option('--json', 'one JSON array of all matching entries')
    .option('--limit <n>', 'at most this many')
    .option('--state <state>', `only this state (${DeliveryState.options.join(', ')})`)
    .action(async (opts: ListOptions & { state?: string }) => {
      const limit = parseLimit(opts.limit);
      const state = opts.state === undefined ? undefined : DeliveryState.safeParse(opts.state);
      if (state && !state.success) throw new UsageError(`--state must be one of ${DeliveryState.options.join(', ')}`);
      await withStore(async (store) => {
        const list = await store.listOutbox({ ...(state ? { state: state.data } : {}), ...(limit ? { limit } : {}) });
        if (opts.json) return printJson(list);
        printTable(
          ['id', 'state', 'tries', 'channel', 'ticket', 'updated', 'error / text'],
          list.map((e) => [String(e.id), e.state, String(e.attempts), e.message.channel, e.message.ticketNo ?? '', e.updatedAt.slice(0, 19).replace('T', ' '), e.lastError ?? e.message.text]),
        );
      });
    });
  outbox
    .command('retry [ids...]')
    .description('send dead or undelivered entries again (a running bridge picks them up on its next sweep)')
    .option('--all-dead', 'every dead entry')
    .action(async (ids: string[], opts: { allDead?: boolean }) => {
      await withStore(async (store) => {
        const targets = opts.allDead ? (await store.listOutbox({ state: 'dead' })).map((e) => e.id) : ids.map(Number);
        if (targets.length === 0 || targets.some((n) => !Number.isInteger(n))) throw new UsageError('name outbox ids (numbers) or --all-dead');
        let moved = 0;
        for (const id of targets) if (await store.retryOutbox(id)) moved++;
        process.stdout.write(`${moved} of ${targets.length} entries queued again\n`);
      });
    });
}
