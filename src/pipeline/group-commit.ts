interface Waiting<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: items handed in during the same turn of the event loop are written together in one store call,
 * so one transaction (and one fsync) serves many webhooks or many messages. Each caller is answered only once its
 * own item is written. If a batch fails, its items are written one by one, so one bad item cannot hold back the
 * rest.
 */
export class GroupCommit<T, R> {
  private queue: Waiting<T, R>[] = [];
  private scheduled = false;
  private running?: Promise<void>;

  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 256,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled && !this.running) {
        this.scheduled = true;
        // let the work already under way in this turn join the batch
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    this.running = (async () => {
      do await this.writeBatch(this.queue.splice(0, this.maxBatch));
      while (this.queue.length > 0);
      // cleared in the same turn as the last look at the queue: a submit from here on schedules its own flush,
      // none can land in a queue that nobody will write
      this.running = undefined;
    })();
  }

  private async writeBatch(batch: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await this.write(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      for (const w of batch) await this.writeBatch([w]);
    }
  }

  /** resolves when everything handed in so far is written */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.scheduled || this.running) {
      await (this.running ?? new Promise((r) => setImmediate(r)));
    }
  }
}
