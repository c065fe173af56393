import { Option, type Command } from 'commander';
import type { AdminSession } from './admin-session.ts';
import { KINDS, type KindSpec } from './admin-kinds.ts';
import { printJson, printTable, UsageError } from './output.ts';

type Plain = Record<string, unknown>;
type Options = Record<string, unknown> & { json?: unknown; passwordStdin?: boolean };

const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);
const collect = (value: string, previous?: string[]) => [...(previous ?? []), value];
const say = (line: string) => process.stdout.write(line + '\n');
const idOf = (item: unknown) => String((item as { id?: unknown }).id);
const flagName = (flag: string) => flag.split(' ')[0]!;

// the service and its checks load only when an admin command runs, not for every `pmc-bridge detect`
async function withAdmin(spec: KindSpec, fn: (session: AdminSession) => Promise<void>): Promise<void> {
  const { withAdmin: run } = await import('./admin-session.ts');
  await run(fn, (field) => flagOf(spec, field));
}

/** the flag that sets a field, when it is named otherwise (accountId: --account), for the error lines */
function flagOf(spec: KindSpec, field: string): string | undefined {
  if (field === 'password' && spec.kind === 'user') return '--password-stdin';
  const path = field.replace(/(\.\d+)+$/u, '');
  const flag = spec.flags.find((f) => f.field === path);
  const kebab = path.split('.').at(-1)!.replace(/[A-Z]/gu, (c) => `-${c.toLowerCase()}`);
  return flag && flagName(flag.flag) !== `--${kebab}` ? flagName(flag.flag) : undefined;
}

/** a number as typed: "10x", "" or "1e3" is refused here, naming the flag, before anything is opened */
function strictNumber(flag: string, value: string): number {
  if (!/^-?\d+(\.\d+)?$/u.test(value)) throw new UsageError(`${flag} must be a number, like 72, not "${value}"`);
  return Number(value);
}

function jsonOption(value: unknown): Plain {
  if (value === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(value));
  } catch (err) {
    throw new UsageError(`--json is not valid JSON (${(err as Error).message}): give one object in single quotes, like --json '{"enabled":false}'`);
  }
  if (!isPlain(parsed)) throw new UsageError(`--json must be one JSON object, like '{"enabled":false}'`);
  // a password in argv is in the shell history and in `ps` for every user of the machine
  if ('password' in parsed) throw new UsageError('--json must not carry a password: give it with --password-stdin');
  return parsed;
}

/** the flags given, as record fields ('when.keywords' nested); on edit, --hours also removes workingDays */
function fromFlags(spec: KindSpec, opts: Options, edit: boolean): Plain {
  const out: Plain = {};
  for (const f of spec.flags) {
    const value = opts[new Option(f.flag).attributeName()];
    if (value === undefined || (edit && f.addOnly)) continue;
    const keys = f.field.split('.');
    let at = out;
    for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Plain;
    at[keys.at(-1)!] = f.type === 'number' ? strictNumber(flagName(f.flag), String(value)) : value;
  }
  for (const [field, other] of Object.entries(edit ? (spec.clears ?? {}) : {})) if (field in out && !(other in out)) out[other] = null;
  return out;
}

/** b laid over a, objects merged at every depth; nulls kept (they remove a field on edit) */
function overlay(a: unknown, b: unknown): unknown {
  if (!isPlain(a) || !isPlain(b)) return b;
  const out: Plain = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = overlay(a[k], v);
  return out;
}

/** RFC 7386: the patch's fields replace the target's at every depth, null removes one */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlain(patch)) return patch;
  const out: Plain = isPlain(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('--password-stdin reads a pipe, not the terminal: read -rs P && printf %s "$P" | pmc-bridge users …');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // the first line: what `echo` adds is not part of the password
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/u)[0]!;
}

function changedFields(before: Plain, after: Plain, password: boolean): string {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => k !== 'hasPassword' && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  const all = [...keys, ...(password ? ['password'] : [])];
  return all.length > 0 ? `: ${all.join(', ')}` : ': nothing changed';
}

function withFlags(cmd: Command, spec: KindSpec, edit: boolean): Command {
  for (const f of spec.flags) {
    if (edit && f.addOnly) continue;
    const option = new Option(f.flag, f.help);
    cmd.addOption(f.type === 'many' ? option.argParser(collect) : option);
  }
  if (spec.kind === 'user') cmd.option('--password-stdin', 'set the password: the first line of stdin (never give it on the command line)');
  return cmd.option('--json <object>', `fields the flags do not cover, as one JSON object (the flags win)${edit ? '; null removes a field' : ''}`);
}

async function allItems(session: AdminSession, spec: KindSpec): Promise<Plain[]> {
  const items: Plain[] = [];
  for (;;) {
    const page = await session.service.list(spec.kind, session.caller, { offset: items.length, limit: 500 });
    items.push(...page.items.map((s) => s.item as Plain));
    if (page.items.length === 0 || items.length >= page.total) return spec.sort ? items.sort(spec.sort) : items;
  }
}

function registerKind(program: Command, spec: KindSpec): void {
  const group = program.command(spec.group).description(spec.about);
  group
    .command('list')
    .description(`every ${spec.kind}${spec.sort ? ', in the order they are read' : ''}`)
    .option('--json', `one JSON array of all ${spec.group}`)
    .action(async (opts: { json?: boolean }) =>
      withAdmin(spec, async (session) => {
        const items = await allItems(session, spec);
        if (opts.json) printJson(items);
        else printTable([...spec.columns], items.map(spec.row));
      }),
    );

  const add = group.command(spec.kind === 'user' ? 'add <id>' : 'add').description(`a new ${spec.kind}; the service checks every field and saves all or nothing`);
  withFlags(add, spec, false).action(async (...args: unknown[]) => {
    const cmd = args.at(-1) as Command;
    const opts = cmd.opts<Options>();
    const [id] = cmd.processedArgs as (string | undefined)[];
    const given = { ...fromFlags(spec, opts, false), ...(id !== undefined ? { id } : {}), ...(opts.passwordStdin ? { password: await readPassword() } : {}) };
    const body = mergePatch({}, overlay(overlay(spec.addDefaults, jsonOption(opts.json)), given)) as Plain;
    await withAdmin(spec, async ({ service, caller }) => {
      const saved = await service.create(spec.kind, body, caller);
      say(`saved ${spec.kind} ${idOf(saved.item)} (version ${saved.version})`);
    });
  });

  const edit = group.command('edit <id>').description(`change a ${spec.kind}: only the fields given; a list flag replaces the whole list`);
  withFlags(edit, spec, true).action(async (id: string, opts: Options) => {
    const password = opts.passwordStdin ? await readPassword() : undefined;
    const given = overlay(jsonOption(opts.json), { ...fromFlags(spec, opts, true), ...(password !== undefined ? { password } : {}) }) as Plain;
    if (Object.keys(given).length === 0) throw new UsageError(`nothing to change: give a flag (pmc-bridge ${spec.group} edit --help) or --json`);
    await withAdmin(spec, async ({ service, caller }) => {
      const before = await service.get(spec.kind, id, caller);
      const current = before.item as Plain;
      // the service merges one level deep: a nested object (a rule's `when`) is merged here onto what is stored
      const patch = Object.fromEntries(Object.entries(given).map(([k, v]) => [k, isPlain(v) ? mergePatch(current[k], v) : v]));
      const saved = await service.update(spec.kind, id, patch, caller, before.version);
      say(`saved ${spec.kind} ${id} (version ${saved.version})${changedFields(current, saved.item as Plain, password !== undefined)}`);
    });
  });

  group
    .command('disable <id>')
    .description(`switch a ${spec.kind} off; it stays in the store and \`edit <id> --json '{"enabled":true}'\` brings it back`)
    .action(async (id: string) =>
      withAdmin(spec, async ({ service, caller }) => {
        const saved = await service.disable(spec.kind, id, caller);
        say(`disabled ${spec.kind} ${id} (version ${saved.version})`);
      }),
    );
  if (spec.kind === 'user') registerToken(group, spec);
}

function registerToken(users: Command, spec: KindSpec): void {
  users
    .command('token <id>')
    .description("a new API token for the user: the secret is printed once, on stdout alone; the store keeps only its hash")
    .requiredOption('--name <label>', 'what the token is for, e.g. "ward 5 kiosk"')
    .option('--expires <when>', 'when it stops working, like 2027-03-31T18:00:00+05:30 (default: never)')
    .action(async (id: string, opts: { name: string; expires?: string }) =>
      withAdmin(spec, async ({ service, caller }) => {
        const made = await service.create('token', { userId: id, name: opts.name, ...(opts.expires !== undefined ? { expiresAt: opts.expires } : {}) }, caller);
        process.stdout.write(`${made.secret}\n`);
        process.stderr.write(`saved token ${idOf(made.item)} for user ${id} (version ${made.version}): the secret above is not shown again, keep it now\n`);
      }),
    );
}

/** `pmc-bridge mappings|rules|sla|users list|add|edit|disable`, and `users token` */
export function registerAdminRecords(program: Command): void {
  for (const spec of KINDS) registerKind(program, spec);
}
