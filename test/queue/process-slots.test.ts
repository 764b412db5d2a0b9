import { describe, expect, it } from "vitest";
import { ProcessSlots } from "../../src/queue/process-slots.js";

/** What BullMQ's Worker exposes to the slots: only its `concurrency`. */
const worker = () => ({ concurrency: 0 });

describe("WORKER_CONCURRENCY shared by a process's Workers", () => {
  it("lets every Worker ask for what the process has free, and none for more once it is full", async () => {
    const slots = new ProcessSlots(3);
    const discord = worker();
    const slack = worker();
    slots.join(discord);
    slots.join(slack);
    expect([discord.concurrency, slack.concurrency]).toEqual([3, 3]);

    const first = await slots.take(discord);
    await slots.take(discord);
    expect([discord.concurrency, slack.concurrency]).toEqual([3, 1]);
    await slots.take(slack);
    // Full: each may hold what it runs (BullMQ's floor is one), nothing more.
    expect([discord.concurrency, slack.concurrency]).toEqual([2, 1]);
    first();
    expect([discord.concurrency, slack.concurrency]).toEqual([2, 2]);
  });

  it("holds a job a Worker got while the process was full until a slot frees, first come first served", async () => {
    const slots = new ProcessSlots(1);
    const discord = worker();
    const slack = worker();
    slots.join(discord);
    slots.join(slack);
    const running = await slots.take(discord);
    const order: string[] = [];
    const held = slots.take(slack).then((free) => {
      order.push("slack");
      return free;
    });
    const later = slots.take(discord).then((free) => {
      order.push("discord");
      return free;
    });
    await Promise.resolve();
    expect(order).toEqual([]);
    running();
    (await held)();
    (await later)();
    expect(order).toEqual(["slack", "discord"]);
    expect([discord.concurrency, slack.concurrency]).toEqual([1, 1]);
  });

  it("lets a cancelled job that waits go at once, without a slot, to say it was cancelled", async () => {
    const slots = new ProcessSlots(1);
    const discord = worker();
    slots.join(discord);
    const running = await slots.take(discord);
    const cancel = new AbortController();
    const waiting = slots.take(discord, cancel.signal);
    cancel.abort();
    (await waiting)();
    // The cancelled job took no slot: the running one's is the only one, and frees it.
    const next = slots.take(discord);
    running();
    (await next)();
  });
});
