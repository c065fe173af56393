// Running a detector over the corpus: a warm-up so the JIT has compiled it, then one timed full pass.
import type { Predicted } from './lang-detectors.ts';

/** Long enough for V8 to optimise a detector's hot paths, short enough not to dominate a run. */
const WARMUP_MS = 300;
const WARMUP_MAX_TEXTS = 3000;

export interface TimedRun {
  predictions: Predicted[];
  seconds: number;
  msgsPerSec: number;
  usPerMsg: number;
}

export function timedRun(detect: (text: string) => Predicted, texts: readonly string[]): TimedRun {
  const warmupEnd = performance.now() + WARMUP_MS;
  for (let i = 0; i < Math.min(texts.length, WARMUP_MAX_TEXTS) && performance.now() < warmupEnd; i++) detect(texts[i]!);

  // the answers of the timed pass are the ones scored, so each text is detected once more, not twice
  const predictions = new Array<Predicted>(texts.length);
  const start = performance.now();
  for (let i = 0; i < texts.length; i++) predictions[i] = detect(texts[i]!);
  const seconds = (performance.now() - start) / 1000;
  const safe = Math.max(seconds, 1e-9);
  return { predictions, seconds, msgsPerSec: texts.length / safe, usPerMsg: texts.length === 0 ? 0 : (safe * 1e6) / texts.length };
}
