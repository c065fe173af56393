import { z } from 'zod';
import { ApiToken, ChannelMapping, Department, RoutingRule, SlaPolicy, StaffUser, WardOffice } from '../model/index.ts';
import type { RecordKind } from '../store/admin-store.ts';
import { AdminError, invalid, zodProblems, type FieldProblem } from './admin-error.ts';
import { hashPassword, passwordProblem } from './auth/password.ts';
import { issueToken } from './auth/api-tokens.ts';
import { checkMapping, checkRule, checkSla, checkText, checkUser, usesOf, type CheckContext, type ReplyText } from './record-checks.ts';

/** One kind of record staff edit: how it is validated, checked against the others, shown and switched off. */
export interface Resource {
  kind: RecordKind;
  /** the URL segment and CLI command: /admin/api/<path> */
  path: string;
  schema: z.ZodType<{ id: string }>;
  /** an API body (create, or an edit merged onto the record) made into a record: a password hashed */
  prepare?: (body: Record<string, unknown>, now: Date, mode: 'create' | 'update') => Promise<Record<string, unknown>>;
  /** the fields of a body (as given, before any merge) that may not be set this way, each by name */
  refuse?: (body: Record<string, unknown>, mode: 'create' | 'update') => FieldProblem[];
  check?: (record: never, ctx: CheckContext) => Promise<FieldProblem[]>;
  /** what may be shown of a record (never a password hash) */
  view?: (record: never) => unknown;
  /** what a delete must not break */
  beforeDelete?: (id: string, ctx: CheckContext) => Promise<FieldProblem[]>;
  /** the record switched off: `enabled: false`, a token revoked */
  disable: (record: never, now: Date) => unknown;
  /** list filters: query key → the record's field it matches */
  filters: readonly string[];
}

const off = (r: { enabled?: boolean }) => ({ ...r, enabled: false });

/** the fields given that are not among `allowed` */
const onlyFields = (body: Record<string, unknown>, allowed: readonly string[], message: string): FieldProblem[] =>
  Object.keys(body)
    .filter((k) => !allowed.includes(k))
    .map((field) => ({ field, message }));

/**
 * A mapping as staff give it: no unknown field (a typo is refused, not dropped), an id like a rule's, a bounded
 * account. Config's mappings are read with the model's ChannelMapping, which these also satisfy.
 */
const MappingInput = ChannelMapping.extend({ id: RoutingRule.shape.id, accountId: z.string().min(1).max(200) }).strict();

const ReplyTextSchema = z.object({ id: z.string(), lang: z.enum(['mr', 'hi', 'en']), key: z.string().min(1), text: z.string().trim().min(1).max(1000) }).strict();

export const RESOURCES: readonly Resource[] = [
  { kind: 'mapping', path: 'mappings', schema: MappingInput, check: checkMapping as Resource['check'], disable: off, filters: ['channel', 'department', 'ward', 'enabled'] },
  { kind: 'rule', path: 'rules', schema: RoutingRule, check: checkRule as Resource['check'], disable: off, filters: ['enabled'] },
  { kind: 'sla', path: 'sla', schema: SlaPolicy, check: checkSla as Resource['check'], disable: off, filters: ['category', 'priority', 'enabled'] },
  { kind: 'department', path: 'departments', schema: Department, beforeDelete: (id, ctx) => usesOf('department', id, ctx), disable: off, filters: ['enabled'] },
  { kind: 'ward', path: 'wards', schema: WardOffice, beforeDelete: (id, ctx) => usesOf('ward', id, ctx), disable: off, filters: ['enabled'] },
  {
    kind: 'text',
    path: 'texts',
    schema: ReplyTextSchema,
    prepare: async (b) => ({ ...b, ...(b.id === undefined && typeof b.lang === 'string' && typeof b.key === 'string' ? { id: `${b.lang}.${b.key}` } : {}) }),
    check: (async (t: ReplyText) => checkText(t)) as Resource['check'],
    // a text cannot be off: deleting it brings back the one in config/messages
    disable: (t) => t,
    filters: ['lang', 'key'],
  },
  {
    kind: 'user',
    path: 'users',
    schema: StaffUser,
    prepare: async (b) => {
      const { password, ...rest } = b;
      if (password === undefined) return rest;
      if (typeof password !== 'string') throw new AdminError(400, 'password: must be a string', [{ field: 'password', message: 'must be a string' }]);
      const problem = passwordProblem(password);
      if (problem) throw new AdminError(400, `password: ${problem}`, [{ field: 'password', message: problem }]);
      return { ...rest, passwordHash: await hashPassword(password) };
    },
    // the hash is made from `password` only: never given, never removed, by a body
    refuse: (b) => (Object.hasOwn(b, 'passwordHash') ? [{ field: 'passwordHash', message: 'cannot be set or removed: give password to set a new one' }] : []),
    check: checkUser as Resource['check'],
    view: (({ passwordHash, ...u }: StaffUser) => ({ ...u, hasPassword: passwordHash !== undefined })) as Resource['view'],
    disable: off,
    filters: ['role', 'enabled'],
  },
  {
    kind: 'token',
    path: 'tokens',
    schema: ApiToken,
    // a token is made whole here and then never changes but for its name: no id, hash, owner or date is taken from a
    // body, and a revoked token stays revoked (disable only sets revokedAt)
    refuse: (b, mode) =>
      mode === 'create'
        ? onlyFields(b, ['userId', 'name', 'expiresAt'], 'cannot be given: a new token takes userId, name and expiresAt only')
        : onlyFields(b, ['name'], 'cannot be changed: only a token\'s name can (revoke it with …/disable and make a new one)'),
    // a new token: its secret is made here, shown once (AdminService.create returns it), and only its hash kept
    prepare: async (b, now, mode) => {
      if (mode === 'update') return b;
      const expires = typeof b.expiresAt === 'string' ? new Date(b.expiresAt) : undefined;
      if (expires && Number.isNaN(expires.getTime())) throw new AdminError(400, 'expiresAt: not a date', [{ field: 'expiresAt', message: 'an ISO date and time, like 2027-03-31T18:00:00+05:30' }]);
      const made = (() => {
        try {
          return issueToken(String(b.userId ?? ''), String(b.name ?? ''), now, expires);
        } catch (err) {
          if (err instanceof z.ZodError) throw invalid(zodProblems(err.issues));
          throw err;
        }
      })();
      return { ...made.token, secret: made.secret };
    },
    check: (async (t: ApiToken, ctx: CheckContext) =>
      (await ctx.records<StaffUser>('user')).some((u) => u.id === t.userId) ? [] : [{ field: 'userId', message: `no user "${t.userId}"` }]) as Resource['check'],
    view: (({ hash: _h, ...t }: ApiToken) => t) as Resource['view'],
    disable: ((t: ApiToken, now: Date) => ({ ...t, revokedAt: t.revokedAt ?? now.toISOString() })) as Resource['disable'],
    filters: ['userId'],
  },
];

export function resourceByPath(path: string): Resource | undefined {
  return RESOURCES.find((r) => r.path === path);
}

export function resourceByKind(kind: RecordKind): Resource {
  return RESOURCES.find((r) => r.kind === kind)!;
}
