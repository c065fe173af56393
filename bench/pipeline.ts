import { benchMessage, pipelineHarness } from './pipeline-harness.ts';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Message → ticket + reply in the outbox, through the real pipeline on SQLite. Throughput: a burst of messages
 * accepted as webhooks would (archive, then queue). Latency: an open-loop steady load, accept → processed.
 */
export async function benchPipeline(): Promise<{ throughput: number; p50: number; p99: number; rate: number }> {
  // throughput
  const N = 20_000;
  let done = 0;
  let finish!: () => void;
  const allDone = new Promise<void>((r) => (finish = r));
  let h = await pipelineHarness(() => {
    if (++done === N) finish();
  });
  const t0 = performance.now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < N; i++) {
    pending.push(h.pipeline.accept([benchMessage(i)]));
    if (pending.length === 256) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  await allDone;
  const throughput = N / ((performance.now() - t0) / 1000);
  await h.close();

  // latency at a steady offered load, measured from accept (the webhook's archive) to ticket + reply in the outbox
  const rate = 1500;
  const seconds = 4;
  const started = new Map<string, number>();
  const latencies: number[] = [];
  const total = rate * seconds;
  let left = total;
  let drained!: () => void;
  const allProcessed = new Promise<void>((r) => (drained = r));
  h = await pipelineHarness((_id, message) => {
    const s = started.get(message.externalId);
    if (s !== undefined) latencies.push(performance.now() - s);
    if (--left === 0) drained();
  });
  const begin = performance.now();
  const inflight: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    const due = begin + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const msg = benchMessage(100_000 + i);
    started.set(msg.externalId, performance.now());
    inflight.push(h.pipeline.accept([msg]));
  }
  await Promise.all(inflight);
  await allProcessed;
  await h.close();
  latencies.sort((a, b) => a - b);
  return { throughput, p50: percentile(latencies, 50), p99: percentile(latencies, 99), rate };
}
