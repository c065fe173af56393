// Child of `npm run bench lokshahi`: `make <csv|xlsx> <rows> <file>` writes a register with Marathi headers;
// `import <file>` imports it into a fresh SQLite store, in a process of its own so its peak RSS is the import's.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { importLokshahi } from '../src/cli/import-lokshahi.ts';
import { loadGazetteer } from '../src/config/gazetteer.ts';
import { loadConfig } from '../src/config/load.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { ROOT } from '../test/support/bridge-process.ts';

const [mode, a, b, c] = process.argv.slice(2);
const HEAD = ['टोकन क्रमांक', 'अर्जाचा दिनांक', 'अर्जदाराचे नाव', 'मोबाईल क्रमांक', 'क्षेत्रीय कार्यालय', 'विषय', 'तक्रारीचा तपशील'];
const row = (i: number) => [`LD/2026/${String(i).padStart(5, '0')}`, `${String((i % 28) + 1).padStart(2, '0')}/11/2026`, `अर्जदार ${i}`, String(9822000000 + i), 'कोथरूड क्षेत्रीय कार्यालय', 'रस्त्यावरील खड्डे', `कर्वे रस्त्यावर गल्ली ${i} मध्ये मोठे खड्डे पडले असून अपघाताचा धोका आहे. क्षेत्रीय कार्यालयात तक्रार करूनही दखल घेतली नाही.`];
if (mode === 'make') {
  const [kind, rows, file] = [a === 'csv' ? 'csv' : 'xlsx', Number(b), c!];
  if (kind === 'csv') writeFileSync(file, [HEAD, ...Array.from({ length: rows }, (_, i) => row(i))].map((r) => r.map((c) => `"${c}"`).join(',')).join('\n'));
  else {
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
    const sheet = book.addWorksheet('लोकशाही दिन');
    sheet.addRow(HEAD).commit();
    for (let i = 0; i < rows; i++) sheet.addRow(row(i)).commit();
    await book.commit();
  }
  process.stdout.write("{}\n");
  process.exit(0);
}
const file = a!;
const dir = mkdtempSync(join(tmpdir(), 'pmc-bench-lokshahi-'));
const { config } = loadConfig({ env: { STORE_URL: `sqlite:${join(dir, 'bridge.db')}` } });
const { categories } = loadGazetteer(join(ROOT, 'config'));
const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const before = process.memoryUsage().rss;
const report = await importLokshahi(file, { store, config, categories });
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
await store.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(JSON.stringify({ kind: file.endsWith('.csv') ? 'csv' : 'xlsx', rows: report.rows, accepted: report.accepted, rejected: report.rejected, ms: report.ms, rowsPerSec: Math.round(report.rows / (report.ms / 1000)), rssBeforeMb: Math.round(before / 1e6), peakRssMb: Math.round(peak / 1e6) }) + '\n');
