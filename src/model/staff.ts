import { z } from 'zod';

/** admin: everything; supervisor: routing, texts, dead letters; officer: their ward's or department's tickets */
export const Role = z.enum(['admin', 'supervisor', 'officer']);
export type Role = z.infer<typeof Role>;

export const StaffUser = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_.-]{1,63}$/, 'lower-case letters, digits, "-", "_" or "." (2 to 64)'),
    name: z.string().trim().min(1).max(120),
    role: Role,
    /** an officer sees the tickets of these ward offices … */
    wards: z.array(z.string().min(1)).default([]),
    /** … and of these departments */
    departments: z.array(z.string().min(1)).default([]),
    language: z.enum(['mr', 'en']).default('mr'),
    /** scrypt, as `scrypt$N$r$p$salt$hash` (base64url); absent: the user logs in with API tokens only */
    passwordHash: z.string().optional(),
    enabled: z.boolean().default(true),
  })
  .strict();
export type StaffUser = z.infer<typeof StaffUser>;

/** A machine's credential: shown once, kept as a hash, revocable. */
export const ApiToken = z
  .object({
    id: z.string().min(8),
    userId: z.string().min(1),
    name: z.string().trim().min(1).max(120),
    /** sha256 of the secret part, hex */
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    createdAt: z.string(),
    expiresAt: z.string().optional(),
    revokedAt: z.string().optional(),
  })
  .strict();
export type ApiToken = z.infer<typeof ApiToken>;
