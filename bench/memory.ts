// RSS while 100k messages go through the real pipeline (run in its own process so the figure is its own).
import { benchMessage, pipelineHarness } from './pipeline-harness.ts';

const N = Number(process.env.BENCH_MESSAGES ?? 100_000);
let processed = 0;
const h = await pipelineHarness(() => void processed++);
const samples: { messages: number; rssMb: number }[] = [];
const sample = () => samples.push({ messages: processed, rssMb: Math.round(process.memoryUsage().rss / 1048576) });
const chunk = 500;
for (let i = 0; i < N; i += chunk) {
  await h.pipeline.accept(Array.from({ length: Math.min(chunk, N - i) }, (_, k) => benchMessage(i + k)));
  // keep the backlog bounded, as a webhook client waiting on its answers would
  while (i + chunk - processed > 2_000) await new Promise((r) => setTimeout(r, 2));
  if ((i / chunk) % 20 === 0) sample();
}
while (processed < N) await new Promise((r) => setTimeout(r, 10));
sample();
await h.close();
process.stdout.write(JSON.stringify(samples) + '\n');
