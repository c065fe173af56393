import { benchMessage, pipelineHarness } from './pipeline-harness.ts';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Message → ticket + reply in the outbox, through the real pipeline on a SQLite file: messages/s for a burst of
 * N, accepted 256 at a time as concurrent webhooks would be (archive, then queue). `deliver` also claims and marks
 * each reply sent, with a provider that answers at once.
 */
export async function throughput(N: number, deliver: boolean, bot = false): Promise<number> {
  let done = 0;
  let finish!: () => void;
  const allDone = new Promise<void>((r) => (finish = r));
  const h = await pipelineHarness(() => {
    if (++done === N) finish();
  }, { deliver, bot });
  const t0 = performance.now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < N; i++) {
    pending.push(h.pipeline.accept([benchMessage(i)]));
    if (pending.length === 256) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  await allDone;
  const rate = N / ((performance.now() - t0) / 1000);
  await h.close();
  return rate;
}

/** Latency under an open-loop steady load of `rate` messages/s: accept (the webhook's archive) → ticket + reply in the outbox. */
export async function latencyAt(rate: number, seconds: number, deliver: boolean): Promise<{ p50: number; p99: number }> {
  const started = new Map<string, number>();
  const latencies: number[] = [];
  const total = rate * seconds;
  let left = total;
  let drained!: () => void;
  const allProcessed = new Promise<void>((r) => (drained = r));
  const h = await pipelineHarness((_id, message) => {
    const s = started.get(message.externalId);
    if (s !== undefined) latencies.push(performance.now() - s);
    if (--left === 0) drained();
  }, { deliver });
  const begin = performance.now();
  const inflight: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    const wait = begin + (i * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const msg = benchMessage(100_000 + i);
    started.set(msg.externalId, performance.now());
    inflight.push(h.pipeline.accept([msg]));
  }
  await Promise.all(inflight);
  await allProcessed;
  await h.close();
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}
