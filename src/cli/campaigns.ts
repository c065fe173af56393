import type { Command } from 'commander';
import type { CampaignService } from '../notify/campaign-service.ts';
import type { Caller } from '../admin/admin-service.ts';
import type { CampaignPreview } from '../notify/campaign-preview.ts';
import { printJson, printTable, UsageError } from './output.ts';

const say = (line: string) => process.stdout.write(line + '\n');
const collect = (value: string, previous?: string[]) => [...(previous ?? []), value];
// sysexits, as the admin commands: 65 bad input, 66 no such campaign, 75 not in a state for it, 77 not allowed
const EXIT_CODES: Record<number, number> = { 400: 65, 404: 66, 409: 75, 403: 77 };

/** runs one command with the service on the configured store; a refusal becomes `error: …` lines and an exit code */
async function withCampaigns(fn: (service: CampaignService, caller: Caller) => Promise<void>): Promise<void> {
  const [{ loadConfig }, { withStore }, { CampaignService }, { AdminError }, { operatorRef }] = await Promise.all([
    import('../config/load.ts'),
    import('./with-store.ts'),
    import('../notify/campaign-service.ts'),
    import('../admin/admin-error.ts'),
    import('./operator.ts'),
  ]);
  const { config } = loadConfig();
  try {
    // the operator at the machine is trusted as admin; every change is audited as cli:<os user>
    await withStore((store) => fn(new CampaignService({ store, config }), { role: 'admin', ref: operatorRef() }));
  } catch (err) {
    if (!(err instanceof AdminError)) throw err;
    const lines = err.problems.length > 0 ? err.problems.map((p) => `error: ${p.field}: ${p.message}`) : [`error: ${err.message}`];
    process.stderr.write(lines.join('\n') + '\n');
    process.exitCode = EXIT_CODES[err.status] ?? 70;
  }
}

function printPreview(p: CampaignPreview): void {
  say(`${p.id}  ${p.name}  (${p.state}${p.scheduledAt ? `, at ${p.scheduledAt}` : ''})`);
  if (p.audience.wards?.length) say(`  wards: ${p.audience.wards.join(', ')}`);
  for (const l of p.languages) {
    say(`\n  ${l.language}: ${l.text}`);
    say(`      ${l.characters} characters, ${l.segments} SMS segment${l.segments === 1 ? '' : 's'} (${l.encoding}); ${l.contacts} contacts, ${l.bySms} by SMS; ₹${l.cost.toFixed(2)}`);
  }
  say(`\n  total: ${p.total.contacts} contacts, ${p.total.bySms} by SMS, ${p.total.segments} segments, about ₹${p.total.cost.toFixed(2)} at ₹${p.segmentCost} a segment`);
  if (p.problem) say(`  cannot be scheduled: ${p.problem}`);
}

/** `pmc-bridge campaigns list|add|preview|schedule|cancel`: awareness campaigns, sent by a running bridge */
export function registerCampaigns(program: Command): void {
  const campaigns = program.command('campaigns').description('awareness campaigns to citizens who opted in (START); STOP opts out');
  campaigns
    .command('list')
    .description('campaigns, newest first')
    .option('--state <state>', 'only this state (draft, scheduled, sending, done, cancelled)')
    .option('--json', 'one JSON array')
    .action(async (opts: { state?: string; json?: boolean }) => {
      const { CAMPAIGN_STATES } = await import('../store/campaign-store.ts');
      const state = CAMPAIGN_STATES.find((s) => s === opts.state);
      if (opts.state !== undefined && !state) throw new UsageError(`--state must be one of ${CAMPAIGN_STATES.join(', ')}`);
      await withCampaigns(async (service, caller) => {
        const list = await service.list(caller, state);
        if (opts.json) return printJson(list);
        printTable(
          ['id', 'state', 'scheduled', 'queued', 'skipped', 'name'],
          list.map((c) => [c.id, c.state, c.scheduledAt?.slice(0, 16).replace('T', ' ') ?? '', String(c.counts.queued), String(c.counts.skipped), c.name]),
        );
      });
    });
  campaigns
    .command('add')
    .description('a draft campaign: its texts and audience (nothing is sent until it is scheduled)')
    .requiredOption('--name <name>', 'what staff call it')
    .option('--mr <text>', 'the Marathi text')
    .option('--hi <text>', 'the Hindi text')
    .option('--en <text>', 'the English text')
    .option('--ward <id>', 'only contacts whose latest complaint is in this ward office (repeat for more)', collect)
    .option('--language <lang>', 'only contacts in this language: mr, hi or en (repeat for more)', collect)
    .action(async (opts: { name: string; mr?: string; hi?: string; en?: string; ward?: string[]; language?: string[] }) => {
      const texts = Object.fromEntries((['mr', 'hi', 'en'] as const).filter((l) => opts[l] !== undefined).map((l) => [l, opts[l]]));
      const body = { name: opts.name, texts, audience: { ...(opts.ward ? { wards: opts.ward } : {}), ...(opts.language ? { languages: opts.language } : {}) } };
      await withCampaigns(async (service, caller) => {
        const c = await service.create(caller, body);
        say(`${c.id} created as a draft: see it with  pmc-bridge campaigns preview ${c.id}`);
      });
    });
  campaigns
    .command('preview <id>')
    .description("each language's text, its SMS segments, the audience and the cost estimate")
    .option('--json', 'as JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      await withCampaigns(async (service, caller) => {
        const p = await service.preview(caller, id);
        if (opts.json) say(JSON.stringify(p));
        else printPreview(p);
      });
    });
  campaigns
    .command('schedule <id>')
    .description('send it at a time (a running bridge starts it then, at campaigns.perSecond, outside quiet hours)')
    .option('--at <when>', 'ISO date and time, like 2026-12-05T10:00:00+05:30 (default: now)')
    .action(async (id: string, opts: { at?: string }) => {
      const at = opts.at === undefined ? undefined : new Date(opts.at);
      if (at && Number.isNaN(at.getTime())) throw new UsageError(`--at must be a date and time, like 2026-12-05T10:00:00+05:30, not "${opts.at}"`);
      await withCampaigns(async (service, caller) => {
        const c = await service.schedule(caller, id, at);
        say(`${c.id} scheduled for ${c.scheduledAt}`);
      });
    });
  campaigns
    .command('cancel <id>')
    .description('stop it: nothing more is queued, and what is queued is not sent')
    .action(async (id: string) => {
      await withCampaigns(async (service, caller) => {
        const c = await service.cancel(caller, id);
        say(`${c.id} cancelled (${c.counts.queued} messages had been queued)`);
      });
    });
}
