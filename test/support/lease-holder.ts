// A process that holds a lease through BullMqQueue's ticks and says so on stdout, until it is killed.
// Usage: node --import tsx test/support/lease-holder.ts <redis-url> <name> <leaseMs>
import { BullMqQueue } from '../../src/pipeline/bullmq-queue.ts';

const [url, name, leaseMs] = process.argv.slice(2);
const queue = new BullMqQueue(url!, { lockMs: Number(leaseMs) * 2 });
queue.ticks.hold(name!, (held) => process.stdout.write(held ? 'held\n' : 'lost\n'));
setInterval(() => undefined, 60_000);
