import type { Command } from 'commander';

export function registerImport(program: Command): void {
  const importCmd = program.command('import').description('bring in applications other systems keep');
  importCmd
    .command('lokshahi <register>')
    .description('a Lokshahi Din register (.csv or .xlsx, Marathi or English headers): each application one ticket, by its token')
    .option('--sheet <name>', 'the sheet to read (default: the first)')
    .option('--report <file>', 'where to write the report (CSV); default: beside the register, or channels.lokshahi.reportDir')
    .option('--no-progress', 'no progress bar')
    // loaded only when used: the spreadsheet reader is slow to import for the other commands
    .action(async (register: string, o: { sheet?: string; report?: string; progress: boolean }) => (await import('./import-lokshahi.ts')).runImportLokshahi(register, o));
}
