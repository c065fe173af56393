import { open, type FileHandle } from 'node:fs/promises';

/**
 * Makes WAL commits durable without blocking the event loop. Commits run with synchronous=NORMAL (written to the
 * WAL, not yet flushed); `sync()` then fdatasyncs the WAL file in libuv's thread pool. Callers that arrive while a
 * flush runs share the next one: one fsync serves every commit written before it started. If a checkpoint moved
 * the frames into the database file meanwhile, SQLite synced that file itself (NORMAL syncs at checkpoints).
 */
export class WalSync {
  private handle?: Promise<FileHandle>;
  private running?: Promise<void>;
  private next?: Promise<void>;

  constructor(private readonly walPath: string) {}

  /** resolves once everything written to the WAL before the call is on disk */
  sync(): Promise<void> {
    if (!this.running) {
      this.running = this.flush().finally(() => (this.running = undefined));
      return this.running;
    }
    // the running flush may have started before our write: one more after it, shared by all who come meanwhile
    // whether that flush worked or not: ours is a flush of its own (a failed one must not answer later callers)
    const again = (): Promise<void> => {
      this.next = undefined;
      return this.sync();
    };
    this.next ??= this.running.then(again, again);
    return this.next;
  }

  protected async flush(): Promise<void> {
    // the WAL exists from the first commit on and lives as long as any connection has the database open
    this.handle ??= open(this.walPath, 'r+');
    try {
      await (await this.handle).datasync();
    } catch (err) {
      this.handle = undefined; // open again next time rather than keep a broken handle
      throw err;
    }
  }

  /**
   * Waits for the flushes in flight, whose callers hear how they went (a failed one failed them, not the close),
   * then lets go of the file: on a disk gone read-only or bad the close must still succeed, so the process can stop.
   */
  async close(): Promise<void> {
    await this.running?.catch(() => undefined);
    await this.next?.catch(() => undefined);
    const h = this.handle;
    this.handle = undefined;
    await h?.then((f) => f.close()).catch(() => undefined);
  }
}
