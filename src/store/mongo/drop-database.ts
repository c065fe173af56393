import { connectMongo } from './connection.ts';

/**
 * Drops the database the URL names: the contract harness gives each test a database of its own and drops it after.
 * Never called by the bridge itself.
 */
export async function dropDatabase(url: string): Promise<void> {
  const conn = await connectMongo(url);
  try {
    await conn.dropDatabase();
  } finally {
    await conn.close();
  }
}
