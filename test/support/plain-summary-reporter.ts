import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { inCi, installCommand, missingTools, TOOLS } from './system-tools.ts';

/** a failed beforeAll/afterAll: its suite (or the file) failed although none of its tests did */
function inFailedSuite(test: TestCase): boolean {
  for (let s: TestCase['parent'] | undefined = test.parent; s; s = s.type === 'module' ? undefined : s.parent) {
    if (s.errors().length > 0 || (s.type === 'suite' && s.state() === 'failed')) return true;
  }
  return false;
}

/** Ends the run with the plain line `N passed, N failed, N skipped` that CI reads. */
export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        // left out on purpose (.skip, .todo, or not matched by -t): a skip, whatever became of its neighbours
        else if (test.options.mode !== 'run') skipped++;
        // a test that never ran because its suite's setup failed is a failure, not a skip
        else if (inFailedSuite(test)) failed++;
        else skipped++;
      }
      // a file that failed to load has no tests to count: it is a failure all the same
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed++;
    }
    failed += unhandledErrors.length;
    const missing = inCi() ? [] : missingTools();
    if (missing.length > 0)
      process.stdout.write(`\nnot installed here, so skipped: ${missing.map((t) => `${TOOLS[t].what} (${t})`).join(', ')}; to run them: ${installCommand(missing)}\n`);
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
