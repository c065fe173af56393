import { Command } from 'commander';
import { runStart } from './cli/start.ts';

const program = new Command()
  .name('pmc-bridge')
  .description('PMC complaint bridge: channels in, tickets and replies out');

program.command('start').description('run the bridge (HTTP server, pipeline, channels)').action(runStart);

await program.parseAsync(process.argv);
