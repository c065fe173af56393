import type { Logger } from '../http/logger.ts';

/**
 * Work the bridge starts itself on a schedule (status updates, reminders, digests, campaign sends), run by the
 * process that files tickets, on its sweep. Each run is idempotent: what it queues has an idempotency key, so a
 * crash mid-run and a second run make no second message.
 */
export interface SweepTask {
  readonly name: string;
  /** run at most this often */
  readonly everyMs: number;
  /** the outbox entries it queued, to be sent now (or when due) */
  run(now: Date): Promise<number[]>;
}

/** the tasks, each at its own pace; one failing neither stops the others nor the sweep */
export class SweepTasks {
  private readonly lastRun = new Map<string, number>();

  constructor(
    private readonly tasks: readonly SweepTask[],
    private readonly logger: Logger,
  ) {}

  async run(now: Date): Promise<number[]> {
    const queued: number[] = [];
    for (const task of this.tasks) {
      const last = this.lastRun.get(task.name);
      if (last !== undefined && now.getTime() - last < task.everyMs) continue;
      this.lastRun.set(task.name, now.getTime());
      try {
        queued.push(...(await task.run(now)));
      } catch (err) {
        this.logger.error({ err, task: task.name }, 'a scheduled task failed; its next run tries again');
      }
    }
    return queued;
  }
}
