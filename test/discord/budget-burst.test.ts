import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Spend } from "../../src/budget/ledger.js";
import type { FakeInteraction } from "../fakes/discord/fake.js";
import type { FakeUser } from "../fakes/discord/types.js";
import { showsResult } from "../helpers/discord-result.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordBot, startDiscordBot } from "./harness.js";

/**
 * 50 people of one server send `/imagine` at the same moment, through the fake Discord's gateway to the real
 * bot, against a server budget: the intake's reservations are the only thing between them and OpenAI.
 */
const PEOPLE = 50;

let bot: DiscordBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

const person = (index: number): FakeUser => ({
  id: `3000000000000${String(index).padStart(5, "0")}`,
  username: `person${index}`,
  global_name: `Person ${index}`,
  discriminator: "0",
  avatar: null,
});

/** "made" once the reply shows the result; "refused" once the person was told privately which budget ran out. */
function outcome(running: DiscordBot, interaction: FakeInteraction) {
  return waitFor(
    "each request's outcome",
    () => {
      const reply = running.discord.original(interaction);
      if (reply && showsResult(reply)) return "made";
      const followups = interaction.followupIds.map((id) => running.discord.message(id));
      const refusal = followups.find((message) => message.content.startsWith("⚠️ This server's daily"));
      if (refusal) {
        expect(refusal.flags).toBe(64);
        return "refused";
      }
      if (reply?.content.startsWith("⚠️")) throw new Error(`the reply shows a failure: ${reply.content}`);
      return undefined;
    },
    120_000,
  );
}

async function burst(running: DiscordBot, options: Record<string, string | number>) {
  const interactions = await Promise.all(
    Array.from({ length: PEOPLE }, (_, index) =>
      running.discord.slash("imagine", { prompt: `a kite for person ${index}`, ...options }, person(index)),
    ),
  );
  const outcomes = await Promise.all(interactions.map((interaction) => outcome(running, interaction)));
  await running.idle();
  return outcomes.filter((result) => result === "made").length;
}

/** What every run in storage cost, as its metadata.json has it. */
async function storedCosts(running: DiscordBot): Promise<number> {
  let total = 0;
  for (const run of await readdir(running.storageDir)) {
    const metadata = JSON.parse(await readFile(join(running.storageDir, run, "metadata.json"), "utf8"));
    total += metadata.cost.microdollars as number;
  }
  return total;
}

async function serverSpent(running: DiscordBot): Promise<Spend> {
  const scope = { kind: "server" as const, id: `discord:${running.discord.guildId}` };
  return running.running.context.budget.spent(scope, "day");
}

describe("a burst of 50 people against the server's budget", () => {
  it("against $1 a day: what reached OpenAI cost at most $1, and the rest were told which budget", async () => {
    bot = await startDiscordBot("discord-budget-usd", { env: { BUDGET_SERVER_DAY_USD: "1" } });
    const made = await burst(bot, { quality: "high", partials: 0 });

    // A request reserves its most possible cost (high quality at 1024x1024: about $0.21); a finished job
    // settles to what OpenAI reported, which frees the difference for later requests. So at least four were
    // made, and however many the settled room let in, together they cost at most $1.
    expect(made).toBeGreaterThanOrEqual(4);
    expect(bot.openai.requests).toHaveLength(made);
    const spent = await serverSpent(bot);
    expect(spent.images).toBe(made);
    expect(spent.micro).toBeLessThanOrEqual(1_000_000);
    // Settled to the cent: the ledger holds exactly what the runs' metadata.json say they cost.
    expect(spent.micro).toBe(await storedCosts(bot));
  }, 180_000);

  it("against 10 images a day: exactly 10 images were made, and nothing was sent to OpenAI for the others", async () => {
    bot = await startDiscordBot("discord-budget-images", {
      env: { BUDGET_SERVER_DAY_IMAGES: "10", WORKER_CONCURRENCY: "4" },
    });
    const made = await burst(bot, { quality: "low", partials: 0 });

    expect(made).toBe(10);
    expect(bot.openai.requests).toHaveLength(10);
    expect((await serverSpent(bot)).images).toBe(10);
  }, 180_000);
});
