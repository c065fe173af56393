import { describe, expect, it } from 'vitest';
import { LocalTicks } from '../../src/pipeline/ticks.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('LocalTicks: the schedules of one process', () => {
  it('runs at once, then every interval, never beside itself; a nudge during a run gives one more right after', async () => {
    const ticks = new LocalTicks();
    const runs: number[] = [];
    let running = 0;
    let most = 0;
    await ticks.every('poll:twitter:17:mentions', 10_000, async () => {
      most = Math.max(most, ++running);
      runs.push(Date.now());
      await sleep(100);
      running--;
    });
    await sleep(20);
    expect(runs).toHaveLength(1);
    await ticks.nudge('poll:twitter:17:mentions');
    await ticks.nudge('poll:twitter:17:mentions'); // two wake-ups during one run: one more run
    await sleep(400);
    expect(runs).toHaveLength(2);
    expect(most).toBe(1);
    await ticks.close();
  });

  it('stops within its bound even when a run never ends (a poll stuck on a silent server)', async () => {
    const ticks = new LocalTicks();
    let started = false;
    await ticks.every('poll:email:inbox:imap', 1_000, async () => {
      started = true;
      await new Promise(() => undefined);
    });
    await sleep(20);
    expect(started).toBe(true);
    const t0 = Date.now();
    await ticks.close();
    expect(Date.now() - t0).toBeLessThan(3_000);
  });
});
