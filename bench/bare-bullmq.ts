import { Queue, Worker } from "bullmq";
import { wallClock } from "../test/fakes/clock.js";
import { dropPrefix, testRedis, uniquePrefix } from "../test/helpers/redis.js";

/**
 * The floor under the bot's throughput: a plain BullMQ queue and worker with a processor that does nothing, on
 * the same Redis and at the bot worker's concurrency, `jobs` jobs added one `add` each (as the bot's intake
 * adds them) all at once. Jobs finished per second, from the first add to the last completion.
 */
export async function bareBullmqJobsPerSecond(jobs: number, concurrency: number): Promise<number> {
  const prefix = uniquePrefix("bench-bare");
  const producer = testRedis();
  const consumer = testRedis();
  const queue = new Queue("bare", { connection: producer, prefix });
  const worker = new Worker("bare", async () => undefined, { connection: consumer, prefix, concurrency });
  try {
    let done = 0;
    const allDone = new Promise<number>((resolve) => {
      worker.on("completed", () => {
        done += 1;
        if (done === jobs) resolve(wallClock());
      });
    });
    await worker.waitUntilReady();
    const started = wallClock();
    await Promise.all(Array.from({ length: jobs }, (_, index) => queue.add("noop", { index })));
    return jobs / (((await allDone) - started) / 1000);
  } finally {
    await worker.close();
    await queue.close();
    producer.disconnect();
    consumer.disconnect();
    await dropPrefix(prefix);
  }
}
