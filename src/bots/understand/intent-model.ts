/**
 * A small multinomial logistic regression over sparse binary features, trained in-process at start from the
 * examples in config/intents (a few hundred phrases: tens of milliseconds). Small on purpose: a linear model over
 * folded words, letter trigrams and the normalizer's findings generalises from few examples, is fast (a dot
 * product per turn) and can be read: `explain` says which words pulled a turn where.
 */

// how much each kind of feature counts: letter trigrams are many and each says little
const FEATURE_SCALE: Readonly<Record<string, number>> = { w: 1, b: 0.6, c: 0.3, e: 1.5, em: 1, len: 0.5, p: 0.7, only: 1, first: 0.8, script: 0.2 };
const scaleOf = (feature: string): number => FEATURE_SCALE[feature.slice(0, feature.indexOf(':'))] ?? 1;

export interface TrainingSample {
  features: readonly string[];
  label: number;
}

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
}

export interface Prediction {
  label: number;
  probability: number;
  probabilities: Float64Array;
}

/** a small deterministic PRNG: the same examples always train the same model */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class IntentModel {
  private constructor(
    private readonly index: ReadonlyMap<string, number>,
    private readonly scales: Float64Array,
    /** feature-major: the weights of feature f are [f * classes, (f + 1) * classes) */
    private readonly weights: Float64Array,
    private readonly bias: Float64Array,
    readonly classes: number,
  ) {}

  static train(samples: readonly TrainingSample[], classes: number, opts: TrainOptions = {}): IntentModel {
    const index = new Map<string, number>();
    const encoded = samples.map((s) => ({
      label: s.label,
      features: s.features.map((f) => {
        let i = index.get(f);
        if (i === undefined) index.set(f, (i = index.size));
        return i;
      }),
    }));
    const scales = new Float64Array(index.size);
    for (const [f, i] of index) scales[i] = scaleOf(f);
    const weights = new Float64Array(index.size * classes);
    const bias = new Float64Array(classes);
    const model = new IntentModel(index, scales, weights, bias, classes);

    // classes with fewer examples weigh more, so a long list of complaints does not drown a short list of cancels
    const perClass = new Float64Array(classes);
    for (const s of encoded) perClass[s.label]!++;
    const classWeight = Array.from(perClass, (n) => (n === 0 ? 0 : encoded.length / (classes * n)));

    const epochs = opts.epochs ?? 20;
    const rate = opts.learningRate ?? 0.5;
    const l2 = opts.l2 ?? 1e-4;
    const random = mulberry32(opts.seed ?? 7);
    // AdaGrad: frequent features settle, rare ones still learn
    const g2 = new Float64Array(weights.length).fill(1e-8);
    const g2b = new Float64Array(classes).fill(1e-8);
    const order = encoded.map((_, i) => i);
    const p = new Float64Array(classes);
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const k of order) {
        const sample = encoded[k]!;
        model.scoresOf(sample.features, p);
        softmaxInPlace(p);
        const w = classWeight[sample.label]!;
        for (let c = 0; c < classes; c++) {
          const grad = (p[c]! - (c === sample.label ? 1 : 0)) * w;
          g2b[c]! += grad * grad;
          bias[c]! -= (rate * grad) / Math.sqrt(g2b[c]!);
          for (const f of sample.features) {
            const at = f * classes + c;
            const g = grad * scales[f]! + l2 * weights[at]!;
            g2[at]! += g * g;
            weights[at]! -= (rate * g) / Math.sqrt(g2[at]!);
          }
        }
      }
    }
    return model;
  }

  predict(features: readonly string[]): Prediction {
    const ids: number[] = [];
    for (const f of features) {
      const i = this.index.get(f);
      if (i !== undefined) ids.push(i);
    }
    const p = new Float64Array(this.classes);
    this.scoresOf(ids, p);
    softmaxInPlace(p);
    let label = 0;
    for (let c = 1; c < this.classes; c++) if (p[c]! > p[label]!) label = c;
    return { label, probability: p[label]!, probabilities: p };
  }

  /** the features that pushed a turn toward `label` most, for `pmc-bridge understand --explain` and for tuning */
  explain(features: readonly string[], label: number, most = 8): { feature: string; weight: number }[] {
    const out: { feature: string; weight: number }[] = [];
    for (const f of features) {
      const i = this.index.get(f);
      if (i !== undefined) out.push({ feature: f, weight: Math.round(this.weights[i * this.classes + label]! * this.scales[i]! * 100) / 100 });
    }
    return out.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)).slice(0, most);
  }

  private scoresOf(features: readonly number[], out: Float64Array): void {
    out.set(this.bias);
    for (const f of features) {
      const scale = this.scales[f]!;
      const base = f * this.classes;
      for (let c = 0; c < this.classes; c++) out[c]! += this.weights[base + c]! * scale;
    }
  }
}

function softmaxInPlace(v: Float64Array): void {
  let max = -Infinity;
  for (const x of v) if (x > max) max = x;
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] = Math.exp(v[i]! - max);
  for (let i = 0; i < v.length; i++) v[i]! /= sum;
}
