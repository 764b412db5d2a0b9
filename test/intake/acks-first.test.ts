import { describe, expect, it } from "vitest";
import { AcksFirst } from "../../src/intake/acks-first.js";

/** Whether `promise` has settled, once everything already due has run. */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe("AcksFirst", () => {
  it("lets an intake go on once every interaction that arrived before its answer is acknowledged", async () => {
    const acks = new AcksFirst();
    const [a, b, c] = [{}, {}, {}];
    acks.arrive(a);
    acks.arrive(b);
    acks.arrive(c);
    const aGoesOn = acks.afterEarlier(a);
    expect(await settled(aGoesOn)).toBe(false);
    acks.acknowledged(c);
    expect(await settled(aGoesOn)).toBe(false);
    const bGoesOn = acks.afterEarlier(b);
    expect(await settled(aGoesOn)).toBe(true);
    expect(await settled(bGoesOn)).toBe(true);
    expect(acks.unacknowledged).toBe(0);
  });

  it("is not held back by interactions that arrive after its answer", async () => {
    const acks = new AcksFirst();
    const [a, b, later] = [{}, {}, {}];
    acks.arrive(a);
    acks.arrive(b);
    const aGoesOn = acks.afterEarlier(a);
    acks.arrive(later);
    acks.acknowledged(b);
    expect(await settled(aGoesOn)).toBe(true);
    expect(acks.othersWaiting(b)).toBe(true);
    expect(acks.othersWaiting(later)).toBe(false);
  });

  it("goes on alone at once, and counts an interaction handled without an answer as acknowledged", async () => {
    const acks = new AcksFirst();
    const [a, refused] = [{}, {}];
    acks.arrive(a);
    expect(acks.othersWaiting(a)).toBe(false);
    expect(await settled(acks.afterEarlier(a))).toBe(true);
    acks.arrive(refused);
    acks.arrive(a);
    const goesOn = acks.afterEarlier(a);
    acks.acknowledged(refused);
    acks.acknowledged(refused);
    expect(await settled(goesOn)).toBe(true);
  });

  it("stops waiting for a handler stuck before its acknowledgement after the longest wait", async () => {
    const acks = new AcksFirst(30);
    const [stuck, a] = [{}, {}];
    acks.arrive(stuck);
    acks.arrive(a);
    const waits: number[] = [];
    await acks.afterEarlier(a, (earlier) => waits.push(earlier));
    expect(waits).toEqual([1]);
    expect(acks.unacknowledged).toBe(1);
  });
});
