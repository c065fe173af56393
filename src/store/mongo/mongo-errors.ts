/** MongoDB's duplicate key error (a unique index refused the write): another writer got there first */
export function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: unknown; writeErrors?: { code?: unknown }[] } | null;
  return e?.code === 11000 || e?.code === 11001 || (Array.isArray(e?.writeErrors) && e.writeErrors.some((w) => w.code === 11000));
}

/**
 * Runs `write`; when a concurrent writer made the same unique key first (E11000), reads what it made instead of
 * failing: an upsert racing another upsert of the same key ends with the one document both meant.
 */
export async function writeOrReread<T>(write: () => Promise<T>, reread: () => Promise<T | undefined>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const found = await reread();
    if (found === undefined) throw err;
    return found;
  }
}
