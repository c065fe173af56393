import { statSync } from 'node:fs';
import { loadCalendar } from '../config/calendar.ts';
import type { Logger } from '../http/logger.ts';
import { ChannelMapping, RoutingRule, SlaPolicy, type Channel, type InboundMessage } from '../model/index.ts';
import type { RecordKind } from '../store/admin-store.ts';
import type { Store } from '../store/store.ts';
import { categoryRules } from './category-rules.ts';
import { resolveMapping, type RoutingDefaults } from './resolve-mapping.ts';
import { compileRouting, routeComplaint, type CompiledRouting, type Route, type RouteFor } from './route.ts';
import type { RoutingFacts } from './routing-facts.ts';
import type { WorkingCalendar } from './working-calendar.ts';

/** What the pipeline and the bot ask of routing. */
export interface Routing {
  mappingFor(channel: Channel, accountId: string): ChannelMapping;
  route(mapping: ChannelMapping, facts: RoutingFacts): Route;
  /** the city's working calendar (config/holidays.yaml), when there is one */
  calendar(): WorkingCalendar | undefined;
}

/** Routing for what one message starts: its channel, account and time are the message's. */
export function routeForMessage(routing: Routing, mapping: ChannelMapping, message: Pick<InboundMessage, 'channel' | 'accountId' | 'receivedAt'>): RouteFor {
  const where = { channel: message.channel, accountId: message.accountId, receivedAt: new Date(message.receivedAt) };
  return (facts) => routing.route(mapping, { ...where, ...facts });
}

/** the cursor that says a store was given its first rules: from then on, staff's rules are all there is */
export const RULES_SEEDED = 'seeded:rules';

export interface RoutingTableOptions {
  store: Store;
  defaults: RoutingDefaults;
  /** config/categories.yaml: the rules a store that was never given any routes by */
  categories?: readonly { id: string; department: string }[];
  /** config/holidays.yaml; absent: working days are counted as whole days */
  calendarPath?: string;
  logger?: Logger;
}

/**
 * What routing needs, as staff last saved it: mappings, rules, SLA policies (the store) and the calendar (a file).
 * `refresh` reads the store's configuration version, one small read, and reloads only when it moved, so a change
 * made in any process applies to the next message without a restart.
 */
export class RoutingTable implements Routing {
  private version = -1;
  private mappingList: ChannelMapping[] = [];
  private compiled: CompiledRouting = compileRouting({ rules: [], slas: [] });
  private calendarFile?: { mtimeMs: number; value: WorkingCalendar };
  /** the calendar the compiled table counts with: a new one read from disk makes a reload */
  private compiledCalendar?: WorkingCalendar;
  private calendarProblem?: 'missing';
  private readonly warnedYears = new Set<number>();
  /** when the store's version was last asked (Date.now()) */
  private checkedAt = 0;
  private refreshing?: Promise<void>;
  /** told of every reload (the reply texts staff edited go into the messages there) */
  onReload?: (records: (kind: RecordKind) => Promise<{ id: string; data: unknown }[]>) => Promise<void>;

  constructor(private readonly o: RoutingTableOptions) {}

  mappingFor(channel: Channel, accountId: string): ChannelMapping {
    return resolveMapping(this.mappingList, channel, accountId, this.o.defaults);
  }

  route(mapping: ChannelMapping, facts: RoutingFacts): Route {
    return routeComplaint(this.compiled, mapping, facts);
  }

  calendar(): WorkingCalendar | undefined {
    return this.calendarFile?.value;
  }

  /**
   * A refresh when the version was last asked more than `maxAgeMs` ago, else nothing (and no await): what the
   * pipeline calls before each message. A change saved in this process refreshes at once (AdminService's
   * `changed`); one saved in another process is seen within `maxAgeMs`.
   */
  refreshIfOlder(maxAgeMs: number): Promise<void> | undefined {
    return Date.now() - this.checkedAt >= maxAgeMs ? this.refresh() : undefined;
  }

  /**
   * Reloads what changed since the last call; concurrent callers share one read. A reload that fails (the store
   * busy or unreachable, a record this version cannot read) keeps the last good table and says so: messages are
   * still routed, by what staff saved before. The very first load has nothing to fall back on, and throws.
   */
  refresh(): Promise<void> {
    this.checkedAt = Date.now();
    return (this.refreshing ??= this.reload()
      .catch((err: unknown) => {
        if (this.version < 0) throw err;
        this.o.logger?.error({ err }, 'could not reload routing from the store: the last good mappings and rules stay in use');
      })
      .finally(() => (this.refreshing = undefined)));
  }

  private async reload(): Promise<void> {
    const calendar = this.readCalendar();
    const version = await this.o.store.admin.configVersion();
    if (version === this.version && calendar === this.compiledCalendar) return;
    const admin = this.o.store.admin;
    const valid = async <T>(kind: RecordKind, schema: { safeParse: (v: unknown) => { success: true; data: T } | { success: false } }) => {
      const out: T[] = [];
      for (const r of await admin.listRecords(kind)) {
        const parsed = schema.safeParse(r.data);
        if (parsed.success) out.push(parsed.data);
        // saved through the admin API it was valid; an older program's record is skipped, not fatal
        else this.o.logger?.warn({ kind, id: r.id }, 'a stored routing record does not fit this version: skipped');
      }
      return out;
    };
    const mappings = await valid<ChannelMapping>('mapping', ChannelMapping);
    const stored = await valid<RoutingRule>('rule', RoutingRule);
    const rules = stored.length > 0 || (await this.o.store.getCursor(RULES_SEEDED)) ? stored : categoryRules(this.o.categories ?? []);
    const slas = await valid<SlaPolicy>('sla', SlaPolicy);
    await this.onReload?.((kind) => admin.listRecords(kind));
    const onSlowPattern = (ruleId: string) =>
      this.o.logger?.error({ ruleId }, "a rule's pattern ran out its time on a message: this process skips it from now on; write it more simply");
    const onUncovered = (year: number) => {
      if (this.warnedYears.has(year)) return;
      this.warnedYears.add(year);
      this.o.logger?.warn({ year, file: this.o.calendarPath }, `the holiday calendar does not list ${year}: due dates in working days skip only Sundays and the 2nd and 4th Saturdays there; add ${year}'s holidays`);
    };
    // all of it replaced at once, only when everything was read
    this.compiled = compileRouting({ rules, slas, onSlowPattern, onUncovered, ...(calendar ? { calendar } : {}) });
    this.compiledCalendar = calendar;
    this.mappingList = mappings;
    this.version = version;
  }

  /**
   * The calendar file as it is on disk: read again when it changed. An edit that cannot be read, or a deleted file,
   * keeps the last good calendar (and says so, once): every process that read it keeps counting the same way.
   */
  private readCalendar(): WorkingCalendar | undefined {
    const path = this.o.calendarPath;
    if (!path) return undefined;
    let mtimeMs: number;
    try {
      mtimeMs = statSync(path).mtimeMs;
    } catch {
      if (this.calendarProblem !== 'missing') this.o.logger?.error({ file: path }, 'the holiday calendar file is missing: due dates in working days keep the last calendar read, or count clock days');
      this.calendarProblem = 'missing';
      return this.calendarFile?.value;
    }
    if (this.calendarFile?.mtimeMs === mtimeMs) return this.calendarFile.value;
    try {
      this.calendarFile = { mtimeMs, value: loadCalendar(path) };
      this.calendarProblem = undefined;
    } catch (err) {
      if (!this.calendarFile && this.version < 0) throw err;
      this.o.logger?.error({ err }, 'the holiday calendar was edited and cannot be read: the last good one is kept');
      this.calendarFile = this.calendarFile && { ...this.calendarFile, mtimeMs };
    }
    return this.calendarFile?.value;
  }
}
