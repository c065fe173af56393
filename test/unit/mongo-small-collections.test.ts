import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { ChannelMapping } from '../../src/model/index.ts';
import type { Store } from '../../src/store/store.ts';
import { adminRecordModel } from '../../src/store/mongo/admin.ts';
import {
  cursorModel,
  cursorPrefixFilter,
  escapeRegex,
  MAPPING_KIND,
  MongoCursors,
  MongoMappings,
  setCursorsOps,
  setCursorUpdate,
  upsertMappingUpdate,
} from '../../src/store/mongo/small-collections.ts';

// A connection with no URI never connects: models, casting and validation are all local.
const conn = mongoose.createConnection();
afterAll(() => conn.close());

const now = new Date('2026-03-09T04:30:00.000Z');

/** what the anchored pattern the store sends matches (escaped literals read the same in PCRE and in JS) */
const matching = (prefix: string, keys: string[]) => keys.filter((k) => new RegExp(cursorPrefixFilter(prefix)._id.$regex).test(k));

describe('mongo cursors', () => {
  it('lists by prefix, whatever characters the prefix holds', () => {
    const keys = ['health:facebook:104', 'health:twitter:17', 'health_x', 'poll:twitter:17:mentions', 'seeded:text:mr.ack', 'seededXtext', 'a(b)*c+?', 'x:health:1', 'पुणे:कोथरूड'];
    expect(matching('health:', keys)).toEqual(['health:facebook:104', 'health:twitter:17']);
    expect(matching('health_', keys)).toEqual(['health_x']);
    expect(matching('seeded:text:mr.', keys)).toEqual(['seeded:text:mr.ack']);
    expect(matching('a(b)*', keys)).toEqual(['a(b)*c+?']);
    expect(matching('पुणे:', keys)).toEqual(['पुणे:कोथरूड']);
    expect(matching('nothing:', keys)).toEqual([]);
    // every key starts with the empty prefix
    expect(matching('', keys)).toEqual(keys);
  });

  it('escapes every character a regex gives a meaning', () => {
    expect(escapeRegex('^a.b*c+d?e$f{1}(g)|h[i]\\j')).toBe('\\^a\\.b\\*c\\+d\\?e\\$f\\{1\\}\\(g\\)\\|h\\[i\\]\\\\j');
    expect(cursorPrefixFilter('poll:x.')).toEqual({ _id: { $regex: '^poll:x\\.' } });
    // anchored and case-sensitive (no options): MongoDB reads it as a range of the _id index
    expect(Object.keys(cursorPrefixFilter('a')._id)).toEqual(['$regex']);
  });

  it('writes a cursor by upsert, several in one ordered bulk write', () => {
    expect(setCursorUpdate('1799')).toEqual({ $set: { value: '1799' } });
    expect(setCursorsOps([{ key: 'seeded:text:mr.ack', value: now.toISOString() }, { key: 'fb:window:71', value: 'x' }])).toEqual([
      { updateOne: { filter: { _id: 'seeded:text:mr.ack' }, update: { $set: { value: now.toISOString() } }, upsert: true } },
      { updateOne: { filter: { _id: 'fb:window:71' }, update: { $set: { value: 'x' } }, upsert: true } },
    ]);
  });

  it('a cursor is a key and a text value; one without its value is refused', async () => {
    const Cursor = cursorModel(conn);
    await expect(new Cursor({ _id: 'poll:email:inbox', value: '{"uidValidity":7,"uid":42}' }).validate()).resolves.toBeUndefined();
    await expect(new Cursor({ _id: 'poll:email:inbox' }).validate()).rejects.toThrow(/value.*required/);
    expect(new Cursor({ _id: 'k', value: 17 }).value).toBe('17');
    expect(cursorModel(conn).collection.collectionName).toBe('cursors');
    // the Store's cursor methods, signature for signature (checked by tsc), on a connection made twice over
    const cursors: Pick<Store, 'getCursor' | 'setCursor' | 'setCursors' | 'listCursors'> = new MongoCursors(conn);
    expect(() => new MongoCursors(conn)).not.toThrow();
    expect(typeof cursors.listCursors).toBe('function');
  });
});

describe('mongo channel mappings', () => {
  const mapping = ChannelMapping.parse({
    id: 'sms-main',
    channel: 'sms',
    accountId: '+912025501000',
    department: 'SWM',
    defaultLanguage: 'mr',
    replyPolicy: 'conversational',
    offHoursMessage: { mr: 'कार्यालय बंद आहे', hi: 'कार्यालय बंद है', en: 'The office is closed' },
  });

  it('is a mapping record: its version 1 when new and one more at each write', () => {
    expect(upsertMappingUpdate(mapping, now)).toEqual({ $set: { data: mapping, updatedAt: now }, $inc: { version: 1 } });
    expect(MAPPING_KIND).toBe('mapping');
  });

  it('drops undefined fields, as the JSON SQLite keeps, so a mapping read back parses the same', () => {
    const { data } = upsertMappingUpdate({ ...mapping, ward: undefined }, now).$set;
    expect(data).not.toHaveProperty('ward');
    expect(ChannelMapping.parse(data)).toEqual(mapping);
  });

  it('lives in the records collection, under the records unique key', async () => {
    const Record = adminRecordModel(conn);
    const doc = new Record({ kind: MAPPING_KIND, recordId: mapping.id, data: mapping, version: 1, updatedAt: now.toISOString() });
    await expect(doc.validate()).resolves.toBeUndefined();
    expect(doc.updatedAt).toEqual(now);
    expect(Record.schema.indexes()).toContainEqual([{ kind: 1, recordId: 1 }, expect.objectContaining({ unique: true })]);
    const mappings: Pick<Store, 'listMappings' | 'upsertMapping' | 'deleteMapping'> = new MongoMappings(conn);
    expect(typeof mappings.upsertMapping).toBe('function');
  });
});
