import mongoose, { type Connection } from 'mongoose';

/**
 * A connection that never connects: models made on it validate and cast documents, and their schemas list their
 * indexes, with no server (the unit tests, which cannot have one here).
 */
export function offlineConnection(): Connection {
  return mongoose.createConnection();
}
