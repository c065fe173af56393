import { writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { stringify } from 'csv-stringify/sync';
import type { Category } from '../config/gazetteer.ts';
import { loadGazetteer } from '../config/gazetteer.ts';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { admissibilityOptions } from '../connectors/lokshahi/index.ts';
import { lokshahiOptionsFromConfig } from '../connectors/lokshahi/config.ts';
import { applicationMessage } from '../connectors/lokshahi/parse.ts';
import { countRows, readRegister, RegisterError } from '../connectors/lokshahi/register.ts';
import type { InboundMessage } from '../model/index.ts';
import type { Store } from '../store/store.ts';
import { UsageError } from './output.ts';
import { withStore } from './with-store.ts';

// rows archived in one write: a 10,000-row register is twenty transactions, not ten thousand
const BATCH = 500;

export type RowOutcome = 'accepted' | 'not-admissible' | 'duplicate' | 'rejected';

export interface ImportReport {
  file: string;
  rows: number;
  accepted: number;
  /** filed, as rejected tickets: the Lokshahi Din rules do not admit them (the applicant is told why) */
  notAdmissible: number;
  duplicates: number;
  rejected: number;
  /** one line per row that was not plainly accepted: what a clerk needs to fix or know */
  lines: { row: number; token?: string; outcome: RowOutcome; reason?: string }[];
  /** the register broke before its end: what came before was imported, the rest was not read */
  incomplete?: boolean;
  ms: number;
}

/**
 * Reads a Lokshahi Din register (CSV or XLSX, Marathi or English headers) and archives each application as a
 * message, in batches; the bridge files the tickets (the running one within seconds, else when it next starts).
 * A bad row is reported and skipped; a token already archived (an earlier import, the webhook, a repeat in the
 * same file) is a duplicate and files nothing. Running the same file twice files nothing twice.
 */
export async function importLokshahi(
  path: string,
  d: { store: Store; config: Readonly<Config>; categories: readonly Category[]; sheet?: string; onRow?: (done: number) => void },
): Promise<ImportReport> {
  const started = Date.now();
  const opts = lokshahiOptionsFromConfig(d.config);
  const admissibility = admissibilityOptions(d.categories);
  const report: ImportReport = { file: path, rows: 0, accepted: 0, notAdmissible: 0, duplicates: 0, rejected: 0, lines: [], ms: 0 };
  let batch: { row: number; message: InboundMessage }[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const taken = batch;
    // emptied first: a failed write is not tried again by the flush in `finally`, hiding its error
    batch = [];
    const results = await d.store.archiveInbound(taken.map((b) => b.message));
    results.forEach((r, i) => {
      const { row, message } = taken[i]!;
      const token = (message.raw as { token?: unknown }).token;
      const shown = typeof token === 'string' || typeof token === 'number' ? String(token) : undefined;
      if (r.duplicate) {
        report.duplicates++;
        report.lines.push({ row, ...(shown ? { token: shown } : {}), outcome: 'duplicate', reason: 'this token was imported or received before: nothing new filed' });
      } else if (message.notAdmissible) {
        report.notAdmissible++;
        report.lines.push({ row, ...(shown ? { token: shown } : {}), outcome: 'not-admissible', reason: message.notAdmissible.reason });
      } else report.accepted++;
    });
  };
  let lastRow = 1;
  try {
    for await (const r of readRegister(path, { columns: opts.columns, ...(d.sheet ? { sheet: d.sheet } : {}) })) {
      report.rows++;
      lastRow = r.row;
      if (r.application) batch.push({ row: r.row, message: applicationMessage(r.application, { accountId: opts.accountId, raw: r.application, admissibility }) });
      else {
        report.rejected++;
        report.lines.push({ row: r.row, outcome: 'rejected', reason: r.error ?? 'unreadable row' });
      }
      if (batch.length >= BATCH) await flush();
      d.onRow?.(report.rows);
    }
  } catch (err) {
    // the file itself is unreadable (its headers, its kind): nothing was read, the command says why
    if (report.rows === 0 || !(err instanceof RegisterError)) throw err;
    // broken further down (an unclosed quote): what came before is kept and reported, and the report says where
    report.lines.push({ row: lastRow + 1, outcome: 'rejected', reason: `the register could not be read on from about here: ${err.message}` });
    report.rejected++;
    report.incomplete = true;
  } finally {
    await flush();
  }
  report.lines.sort((a, b) => a.row - b.row);
  report.ms = Date.now() - started;
  return report;
}

/** the report as a CSV a clerk opens in a spreadsheet: every row that was not plainly accepted, and why */
export function reportCsv(report: ImportReport): string {
  return stringify([['row', 'token', 'outcome', 'reason'], ...report.lines.map((l) => [l.row, l.token ?? '', l.outcome, l.reason ?? ''])], { bom: true });
}

/** `pmc-bridge import lokshahi <register>`: the import, a progress bar, the report printed and written */
export async function runImportLokshahi(register: string, o: { sheet?: string; report?: string; progress: boolean }): Promise<void> {
  const { config, dir } = loadConfig();
  const { categories } = loadGazetteer(dir);
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  const out = o.report ?? join(resolve(config.channels.lokshahi.reportDir ?? dirname(register)), `${basename(register, extname(register))}.import-${stamp}.csv`);
  // the report's place is checked before anything is archived: a report lost after the import cannot be made again
  try {
    writeFileSync(out, '');
  } catch (err) {
    throw new UsageError(`cannot write the report to ${out} (${(err as NodeJS.ErrnoException).code ?? 'error'}): give --report a file in a folder you can write to`);
  }
  const total = await countRows(register, o.sheet ? { sheet: o.sheet } : {}).catch(() => undefined);
  const bar = o.progress && process.stderr.isTTY ? new SingleBar({ format: 'import {bar} {value}/{total} rows', stream: process.stderr }, Presets.shades_classic) : undefined;
  bar?.start(total ?? 0, 0);
  let report: ImportReport;
  try {
    report = await withStore((store) => importLokshahi(register, { store, config, categories, ...(o.sheet ? { sheet: o.sheet } : {}), onRow: (n) => {
        // an XLSX without a dimension tag gives no total: the bar grows with the rows
        if (!total || n > total) bar?.setTotal(n);
        bar?.update(n);
      } }));
  } catch (err) {
    if (err instanceof RegisterError) throw new UsageError(`${register}: ${err.message}`);
    throw err;
  } finally {
    bar?.stop();
  }
  writeFileSync(out, reportCsv(report));
  process.stdout.write(
    `${register}: ${report.rows} rows in ${(report.ms / 1000).toFixed(1)} s\n` +
      `  accepted       ${report.accepted}\n  not admissible ${report.notAdmissible} (filed as rejected; the applicant is told why)\n` +
      `  duplicates     ${report.duplicates} (token already in; nothing filed)\n  rejected rows  ${report.rejected}\n` +
      report.lines.filter((l) => l.outcome === 'rejected').slice(0, 20).map((l) => `    row ${l.row}: ${l.reason}\n`).join('') +
      `report: ${out}\nstore:  ${config.store.url} (the bridge reading this store files the tickets: a running one within seconds, else when it next starts)\n`,
  );
  if (report.incomplete) {
    process.stderr.write(`pmc-bridge: ${register} broke before its end; the rows before it were imported (see the report), fix the file and import it again\n`);
    // EX_DATAERR: a script must not take a half-read register for a whole one
    process.exitCode = 65;
  }
}
