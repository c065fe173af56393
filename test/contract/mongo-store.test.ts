import { describe, expect, it } from 'vitest';
import { dropDatabase } from '../../src/store/mongo/drop-database.ts';
import { MongoStore } from '../../src/store/mongo/mongo-store.ts';
import type { Store } from '../../src/store/store.ts';
import { freshDatabaseName, withDatabase } from '../support/mongo-database.ts';
import { describeStoreContract } from './store.contract.ts';
import { CONTRACT_FIRST_TICKET_NUMBER, CONTRACT_TICKET_PREFIX } from './store-fixtures.ts';

// No MongoDB can be had on our machines (Debian ships none; mongodb-memory-server downloads binaries), so this
// suite runs where an operator points MONGODB_URI at one: a replica set, since the store's writes are transactions.
//   MONGODB_URI=mongodb://127.0.0.1:27017/?replicaSet=rs0 npx vitest run test/contract/mongo-store.test.ts
const URI = process.env.MONGODB_URI;
const OPTS = { ticketPrefix: CONTRACT_TICKET_PREFIX, firstTicketNumber: CONTRACT_FIRST_TICKET_NUMBER };

if (URI) {
  describeStoreContract('MongoStore', async () => {
    // each test a database of its own, dropped after it
    const url = withDatabase(URI, freshDatabaseName());
    const opened: Store[] = [await MongoStore.open(url, OPTS)];
    return {
      store: opened[0]!,
      reopen: async () => {
        const s = await MongoStore.open(url, OPTS);
        opened.push(s);
        return s;
      },
      cleanup: async () => {
        for (const s of opened) await s.close().catch(() => undefined);
        await dropDatabase(url);
      },
    };
  });
  describe('GridFS attachments on MongoDB', () => {
    it('keeps a file once by its content and gives the same bytes to another process', async () => {
      const url = withDatabase(URI, freshDatabaseName());
      const [a, b] = [await MongoStore.open(url, OPTS), await MongoStore.open(url, OPTS)];
      try {
        const photo = Buffer.from('हडपसर में कचरा — garbage in Hadapsar — हडपसरमध्ये कचरा');
        const put = await a.files.put(photo, 'image/jpeg');
        expect((await a.files.put(photo, 'image/jpeg')).ref).toBe(put.ref);
        expect(await b.files.get(put.ref)).toEqual(photo);
        expect(await b.files.get(`sha256:${'0'.repeat(64)}`)).toBeUndefined();
      } finally {
        await a.close();
        await b.close();
        await dropDatabase(url);
      }
    });
  });
} else {
  describe('Store contract: MongoStore', () => {
    it.skip('skipped: set MONGODB_URI=mongodb://… (a replica set) to run the contract suite against MongoDB', () => undefined);
  });
}
