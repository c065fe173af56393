import { Command } from 'commander';
import { registerAdminRecords } from './cli/admin-records.ts';
import { ConfigError } from './config/load.ts';
import { registerCampaigns } from './cli/campaigns.ts';
import { registerChannels } from './cli/channels.ts';
import { registerDeadLetters } from './cli/dead-letters.ts';
import { registerDetect } from './cli/detect.ts';
import { registerImport } from './cli/import.ts';
import { registerOutbox } from './cli/outbox.ts';
import { UsageError } from './cli/output.ts';
import { registerReplay } from './cli/replay.ts';
import { registerReport } from './cli/report.ts';
import { registerTickets } from './cli/tickets.ts';
import { registerUnderstand } from './cli/understand.ts';

const program = new Command()
  .name('pmc-bridge')
  .description('PMC complaint bridge: channels in, tickets and replies out')
  .showHelpAfterError();

program
  .command('start')
  .description('run the bridge (HTTP server, pipeline, channels)')
  .option('--role <role>', 'all (default), web (webhooks in, archived) or worker (tickets, replies, sends); same as PMC_ROLE')
  // loaded only for `start`: the server, the channel SDKs and the store are slow to import for a quick `detect`
  .action(async (opts: { role?: string }) => (await import('./cli/start.ts')).runStart(opts));
registerReplay(program);
registerTickets(program);
registerOutbox(program);
registerDeadLetters(program);
registerChannels(program);
registerAdminRecords(program);
registerImport(program);
registerCampaigns(program);
registerDetect(program);
registerUnderstand(program);
registerReport(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof UsageError || err instanceof ConfigError) {
    process.stderr.write(`pmc-bridge: ${err.message}\n`);
    process.exit(err instanceof ConfigError ? 78 : 64);
  }
  throw err;
}
