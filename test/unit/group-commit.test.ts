import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/pipeline/group-commit.ts';

describe('group commit', () => {
  it('writes what arrives in one turn as one batch, and answers each caller with its own result', async () => {
    const batches: string[][] = [];
    const gc = new GroupCommit(async (items: string[]) => (batches.push(items), items.map((i) => i.toUpperCase())));
    const results = await Promise.all(['कचरा', 'पानी', 'light'].map((i) => gc.submit(i)));
    expect(results).toEqual(['कचरा'.toUpperCase(), 'पानी', 'LIGHT']);
    expect(batches).toEqual([['कचरा', 'पानी', 'light']]);
  });

  it('splits a failed batch so one bad item fails alone', async () => {
    const gc = new GroupCommit(async (items: number[]) => {
      if (items.includes(2)) throw new Error('bad item');
      return items.map((i) => i * 10);
    });
    const settled = await Promise.allSettled([1, 2, 3].map((i) => gc.submit(i)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(settled[2]).toEqual({ status: 'fulfilled', value: 30 });
  });

  it('never strands an item handed in just as a batch finishes', async () => {
    const gc = new GroupCommit(async (items: number[]) => items);
    // each caller submits the next as soon as its own item is written, at every microtask distance
    for (let hops = 0; hops < 6; hops++) {
      const chained = gc.submit(1).then(async () => {
        for (let h = 0; h < hops; h++) await null;
        return gc.submit(2);
      });
      const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error(`stranded after ${hops} hops`)), 500));
      await expect(Promise.race([chained, timeout])).resolves.toBe(2);
    }
    await gc.drain();
  });

  it('drain waits for what was handed in', async () => {
    const written: number[] = [];
    const gc = new GroupCommit(async (items: number[]) => {
      await new Promise((r) => setTimeout(r, 10));
      written.push(...items);
      return items;
    }, 2);
    for (const i of [1, 2, 3, 4, 5]) void gc.submit(i);
    await gc.drain();
    expect(written).toEqual([1, 2, 3, 4, 5]);
  });
});
