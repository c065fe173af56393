/**
 * The URI with its database replaced by `db` (pure): `mongodb://h1:27017,h2/old?replicaSet=rs0` →
 * `mongodb://h1:27017,h2/<db>?replicaSet=rs0`. String work, not `new URL`: a seed list of hosts is no URL.
 */
export function withDatabase(uri: string, db: string): string {
  const m = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!m) throw new Error(`MONGODB_URI must look like mongodb://host:port/?replicaSet=rs0, not ${uri.replace(/\/\/[^@/]*@/, '//***@')}`);
  return `${m[1]}/${db}${m[2] ?? ''}`;
}

let made = 0;
/** a database name of its own for one test: MongoDB allows 63 characters, none of /\\. "$ */
export function freshDatabaseName(prefix = 'pmc_contract'): string {
  made += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${made}`;
}
