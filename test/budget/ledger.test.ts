import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BudgetLimits } from "../../src/budget/budget-scopes.js";
import { BudgetLedger, type Spend } from "../../src/budget/ledger.js";
import { UserError } from "../../src/core/errors.js";
import { deleteKeys, testRedis, uniquePrefix } from "../helpers/redis.js";

const none = { usd: 0, images: 0 };
function limits(
  overrides: Partial<Record<keyof BudgetLimits, Partial<BudgetLimits["user"]>>> = {},
): BudgetLimits {
  return {
    user: { day: none, month: none, ...overrides.user },
    server: { day: none, month: none, ...overrides.server },
    global: { day: none, month: none, ...overrides.global },
  };
}

let redis: Redis;
let prefix: string;
beforeAll(() => {
  redis = testRedis();
});
afterAll(() => redis.disconnect());
// Each test owns its keys.
beforeEach(() => {
  prefix = uniquePrefix("budget");
});
afterEach(() => deleteKeys(redis, prefix));

const alice = { platform: "discord", id: "100000000000000001", workspace: "200000000000000001" };
const bob = { platform: "discord", id: "100000000000000002", workspace: "200000000000000001" };
const now = new Date("2026-11-22T18:48:00Z");
/** About a high-quality 1024x1024 image on gpt-image-2. */
const image: Spend = { micro: 211_000, images: 1 };

async function outcomes(ledger: BudgetLedger, count: number, spend: Spend, who = alice) {
  const results = await Promise.allSettled(
    Array.from({ length: count }, (_, index) => ledger.reserve(`run-${index}`, who, spend, now)),
  );
  const refused = results.filter((result) => result.status === "rejected");
  for (const result of refused) expect((result as PromiseRejectedResult).reason).toBeInstanceOf(UserError);
  return { accepted: count - refused.length, refused: refused.length };
}

describe("budgets reserved atomically", () => {
  it("50 simultaneous requests against a $1 budget overspend by zero", async () => {
    const ledger = new BudgetLedger(redis, prefix, limits({ user: { day: { usd: 1, images: 0 } } }));
    const { accepted } = await outcomes(ledger, 50, image);
    expect(accepted).toBe(4);
    const spent = await ledger.spent({ kind: "user", id: "discord:100000000000000001" }, "day", now);
    expect(spent).toEqual({ micro: 4 * 211_000, images: 4 });
  });

  it("50 simultaneous requests of 10 images against a daily limit of 10 images: one goes through", async () => {
    const ledger = new BudgetLedger(redis, prefix, limits({ user: { day: { usd: 0, images: 10 } } }));
    const { accepted } = await outcomes(ledger, 50, { micro: 10 * 211_000, images: 10 });
    expect(accepted).toBe(1);
  });

  it("a server's budget is shared by its people; the global one by everyone", async () => {
    const ledger = new BudgetLedger(
      redis,
      prefix,
      limits({ server: { day: { usd: 0.5, images: 0 } }, global: { month: { usd: 100, images: 0 } } }),
    );
    await ledger.reserve("a", alice, image, now);
    await ledger.reserve("b", bob, image, now);
    await expect(ledger.reserve("c", bob, image, now)).rejects.toThrow(
      "This server's daily budget of $0.50 has $0.07 left; this request may cost up to $0.22. It resets in 5 h 12 min (00:00 UTC).",
    );
    expect(await ledger.spent({ kind: "global", id: "global" }, "month", now)).toEqual({
      micro: 422_000,
      images: 2,
    });
  });

  it("says which budget, what is left and when it resets", async () => {
    const ledger = new BudgetLedger(redis, prefix, limits({ user: { month: { usd: 0, images: 3 } } }));
    await ledger.reserve("a", alice, { micro: 1, images: 2 }, now);
    const error = await ledger.reserve("b", alice, { micro: 1, images: 2 }, now).catch((caught) => caught);
    expect(error).toMatchObject({ code: "budget_exceeded", kind: "invalid_input" });
    expect(error.message).toBe(
      "Your monthly limit of 3 images has 1 left; this request makes 2 images. It resets on 2026-12-01 (00:00 UTC).",
    );
  });
});

describe("settling to the real cost", () => {
  const scope = { kind: "user", id: "discord:100000000000000001" } as const;

  it("settles a reservation to the actual cost, exact to the micro-dollar, once", async () => {
    const ledger = new BudgetLedger(redis, prefix, limits());
    await ledger.reserve("a", alice, { micro: 300_000, images: 2 }, now);
    await ledger.settle("a", { micro: 187_345, images: 2 });
    await ledger.settle("a", { micro: 187_345, images: 2 });
    expect(await ledger.spent(scope, "day", now)).toEqual({ micro: 187_345, images: 2 });
    expect(await ledger.spent(scope, "month", now)).toEqual({ micro: 187_345, images: 2 });
  });

  it("refunds a failed, cancelled or blocked job in full, and a refund after a settle changes nothing", async () => {
    const ledger = new BudgetLedger(redis, prefix, limits());
    await ledger.reserve("failed", alice, image, now);
    await ledger.reserve("kept", alice, image, now);
    await ledger.refund("failed");
    await ledger.settle("kept", { micro: 200_000, images: 1 });
    await ledger.refund("kept");
    expect(await ledger.spent(scope, "day", now)).toEqual({ micro: 200_000, images: 1 });
  });

  it("a refund frees the room for the next request", async () => {
    const ledger = new BudgetLedger(redis, prefix, limits({ user: { day: { usd: 0.3, images: 0 } } }));
    await ledger.reserve("a", alice, image, now);
    await expect(ledger.reserve("b", alice, image, now)).rejects.toThrow(UserError);
    await ledger.refund("a");
    await ledger.reserve("b", alice, image, now);
  });
});

describe("a server's own limits", () => {
  it("override the environment's for that server and its people only", async () => {
    const ledger = new BudgetLedger(redis, prefix, limits({ user: { day: { usd: 5, images: 0 } } }));
    await ledger.setOverride("discord", alice.workspace, { kind: "user", period: "day", unit: "usd" }, 0.25);
    await ledger.reserve("a", alice, image, now);
    await expect(ledger.reserve("b", alice, image, now)).rejects.toThrow("Your daily budget of $0.25");
    const elsewhere = { ...alice, workspace: "200000000000000009" };
    await ledger.reserve("c", elsewhere, image, now);
    expect((await ledger.limitsFor(elsewhere)).user.day.usd).toBe(5);
  });
});

describe("who spent in a server", () => {
  it("lists each person's own spending there, settled, the most first, without those refunded in full", async () => {
    const ledger = new BudgetLedger(redis, prefix, limits());
    const carol = { ...alice, id: "100000000000000003" };
    await ledger.reserve("a1", alice, image, now);
    await ledger.reserve("a1", alice, image, now); // the same run again (a retried intake): counted once
    await ledger.reserve("b1", bob, image, now);
    await ledger.reserve("b2", bob, image, now);
    await ledger.reserve("c1", carol, image, now);
    // Alice also spends in another server: not this server's.
    await ledger.reserve("a2", { ...alice, workspace: "200000000000000009" }, image, now);
    await ledger.settle("a1", { micro: 150_000, images: 1 });
    await ledger.settle("b1", { micro: 100_000, images: 1 });
    await ledger.refund("c1");
    const day = await ledger.people("discord", alice.workspace, "day", now);
    expect(day).toEqual([
      { id: bob.id, spend: { micro: 100_000 + 211_000, images: 2 } },
      { id: alice.id, spend: { micro: 150_000, images: 1 } },
    ]);
    expect(await ledger.people("discord", alice.workspace, "month", now)).toEqual(day);
    // Tomorrow is a new day, the same month.
    const tomorrow = new Date("2026-11-23T01:00:00Z");
    expect(await ledger.people("discord", alice.workspace, "day", tomorrow)).toEqual([]);
    expect(await ledger.people("discord", alice.workspace, "month", tomorrow)).toHaveLength(2);
  });

  it("a request refused by a budget adds nobody, and a DM's spending belongs to no server", async () => {
    const ledger = new BudgetLedger(redis, prefix, limits({ user: { day: { usd: 0.1, images: 0 } } }));
    await expect(ledger.reserve("a", alice, image, now)).rejects.toThrow(UserError);
    await ledger.reserve("dm", { platform: "discord", id: bob.id }, { micro: 1, images: 1 }, now);
    expect(await ledger.people("discord", alice.workspace, "day", now)).toEqual([]);
    const user = await ledger.spent({ kind: "user", id: `discord:${bob.id}` }, "day", now);
    expect(user).toEqual({ micro: 1, images: 1 });
  });

  it("a server's own limit can be forgotten: the environment's applies again", async () => {
    const ledger = new BudgetLedger(redis, prefix, limits({ server: { day: { usd: 5, images: 0 } } }));
    const budget = { kind: "server", period: "day", unit: "usd" } as const;
    await ledger.setOverride("discord", alice.workspace, budget, 1);
    expect((await ledger.limitsFor(alice)).server.day.usd).toBe(1);
    await ledger.clearOverride("discord", alice.workspace, budget);
    expect((await ledger.limitsFor(alice)).server.day.usd).toBe(5);
  });
});
