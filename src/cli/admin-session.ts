// loaded only when an admin command runs (admin-records.ts imports it lazily): other commands need none of this
import { operatorRef } from './operator.ts';
import { join } from 'node:path';
import { AdminError } from '../admin/admin-error.ts';
import { AdminService, type Caller } from '../admin/admin-service.ts';
import { seedAdminRecords, seedSourceOf } from '../admin/seed.ts';
import { loadMessages } from '../bots/messages.ts';
import { loadGazetteer } from '../config/gazetteer.ts';
import { loadConfig } from '../config/load.ts';
import { withStore } from './with-store.ts';

/** sysexits: 65 bad input, 66 no such record, 75 someone saved it meanwhile (run it again), 77 not allowed */
const EXIT_CODES: Partial<Record<AdminError['status'], number>> = { 400: 65, 404: 66, 409: 75, 401: 77, 403: 77 };



export interface AdminSession {
  service: AdminService;
  /** the operator at the machine is trusted as admin; every change is audited as cli:<os user> */
  caller: Caller;
}

/**
 * Runs one admin command on the configured store. An AdminError becomes `error: <field>: <message>` lines and an
 * exit code; the service saves all of a change or none of it, so nothing is half-saved. `flagOf` names the flag
 * that sets a field, for fields whose flag is named otherwise (accountId: --account).
 */
export async function withAdmin(fn: (session: AdminSession) => Promise<void>, flagOf: (field: string) => string | undefined = () => undefined): Promise<void> {
  const { config, dir } = loadConfig();
  const gazetteer = loadGazetteer(dir);
  const caller: Caller = { role: 'admin', ref: operatorRef() };
  try {
    await withStore(async (store) => {
      // a command run before the bridge ever started must find the departments and wards a mapping names; on a
      // seeded store this reads a few cursors and writes nothing
      await seedAdminRecords(store, seedSourceOf(config, dir, gazetteer, loadMessages(join(dir, 'messages'))), new Date());
      await fn({ service: new AdminService({ store, categories: gazetteer.categories.map((c) => c.id) }), caller });
    });
  } catch (err) {
    if (!(err instanceof AdminError)) throw err;
    const line = (field: string, message: string) => {
      const flag = flagOf(field);
      return `error: ${field}: ${message}${flag ? ` (set with ${flag})` : ''}`;
    };
    const lines = err.problems.length > 0 ? err.problems.map((p) => line(p.field, p.message)) : [`error: ${err.message}`];
    process.stderr.write(lines.join('\n') + '\n');
    process.exitCode = EXIT_CODES[err.status] ?? 70;
  }
}
