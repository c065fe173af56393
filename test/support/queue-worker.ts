// A process that takes inbound jobs from BullMqQueue and never finishes them, saying which it took, until it is
// killed: the test SIGKILLs it to leave its jobs stalled.
// Usage: node --import tsx test/support/queue-worker.ts <redis-url> <lockMs>
import { BullMqQueue } from '../../src/pipeline/bullmq-queue.ts';

const [url, lockMs] = process.argv.slice(2);
const queue = new BullMqQueue(url!, { lockMs: Number(lockMs) });
queue.process('inbound', async (id) => {
  process.stdout.write(`took ${id}\n`);
  await new Promise(() => undefined);
}, 4);
setInterval(() => undefined, 60_000);
