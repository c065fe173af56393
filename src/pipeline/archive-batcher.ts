import type { InboundMessage } from '../model/index.ts';
import type { ArchiveResult, Store } from '../store/store.ts';

interface Waiting {
  messages: InboundMessage[];
  resolve: (r: ArchiveResult[]) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for the archive: webhooks that arrive together are written in one durable transaction, so one
 * fsync serves many acknowledgements. Nobody is answered before their own messages are on disk.
 */
export class ArchiveBatcher {
  private queue: Waiting[] = [];
  private scheduled = false;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly maxBatch = 512,
  ) {}

  archive(messages: InboundMessage[]): Promise<ArchiveResult[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ messages, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // let the requests already parsed in this tick join the batch
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    await this.inFlight;
    while (this.queue.length > 0) {
      const batch: Waiting[] = [];
      let count = 0;
      while (this.queue.length > 0 && (count === 0 || count + this.queue[0]!.messages.length <= this.maxBatch)) {
        const w = this.queue.shift()!;
        batch.push(w);
        count += w.messages.length;
      }
      const run = this.write(batch);
      this.inFlight = run;
      await run;
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    try {
      const results = await this.store.archiveInbound(batch.flatMap((w) => w.messages));
      let at = 0;
      for (const w of batch) {
        w.resolve(results.slice(at, at + w.messages.length));
        at += w.messages.length;
      }
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }

  /** resolves when everything handed in so far is written */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.scheduled) await new Promise((r) => setImmediate(r));
    await this.inFlight;
  }
}
