import { Script, createContext } from 'node:vm';

/** how long staff's patterns may take on one message, all together, before the slow one is dropped */
export const PATTERN_BUDGET_MS = 50;

// in the context: the patterns, the text, and how far the loop got (so a time-out says which pattern was slow)
const LOOP = new Script('for (; state.at < patterns.length; state.at++) hits[state.at] = patterns[state.at].test(text);');

/**
 * Runs staff-written regular expressions on a citizen's text under a time limit. V8 backtracks, and a pattern
 * like \w*\w*\w*z takes minutes on a thousand letters on the thread that answers every webhook; no check at save
 * time catches them all. All patterns of a message run in one vm call (one watchdog, ~0.1 ms); a pattern that runs
 * out the budget is reported and never run again in this process.
 */
export class PatternRunner {
  private readonly slow = new Set<number>();
  private readonly context = createContext({ patterns: [] as RegExp[], text: '', hits: [] as boolean[], state: { at: 0 } });

  constructor(
    private readonly patterns: readonly RegExp[],
    private readonly onSlow: (index: number) => void = () => undefined,
    private readonly budgetMs = PATTERN_BUDGET_MS,
  ) {}

  /** for each pattern, whether it matched (a slow one: false) */
  run(text: string): boolean[] {
    const live = this.patterns.map((re, i) => (this.slow.has(i) ? /(?!)/u : re));
    const hits: boolean[] = live.map(() => false);
    const state = { at: 0 };
    Object.assign(this.context, { patterns: live, text, hits, state });
    for (;;) {
      try {
        LOOP.runInContext(this.context, { timeout: this.budgetMs });
        return hits.map((h, i) => h && !this.slow.has(i));
      } catch (err) {
        if ((err as { code?: string }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw err;
        // the loop goes on after the slow one: those before it have their answers
        this.slow.add(state.at);
        this.onSlow(state.at);
        live[state.at] = /(?!)/u;
      }
    }
  }
}

/** whether a pattern stays within the budget on texts made to make it backtrack: a save-time check */
export function slowOnHardTexts(re: RegExp): boolean {
  const hard = ['a'.repeat(800) + '!', ' '.repeat(800) + '!', 'ab '.repeat(300) + '!', 'क'.repeat(800) + '!', '1'.repeat(800) + 'x'];
  let slow = false;
  new PatternRunner([re], () => (slow = true), PATTERN_BUDGET_MS).run(hard.join('\n'));
  for (const t of hard) if (!slow) new PatternRunner([re], () => (slow = true), PATTERN_BUDGET_MS).run(t);
  return slow;
}
