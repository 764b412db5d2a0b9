import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { formatDollars } from "../../src/budget/budget-scopes.js";
import { waitFor } from "../helpers/wait-for.js";
import { type SlackHarness, startSlackHarness, USER } from "./harness.js";

const SOMEONE = "U0FAKEUSER2";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-usage", {
    env: { SLACK_ADMIN_USER_IDS: USER, BUDGET_USER_DAY_USD: "2" },
  });
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const results = () =>
  h.slack.messages.filter((m) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll"));

/** The next private answer through the command's `response_url`. */
async function usage(text: string, user = USER): Promise<Record<string, unknown>> {
  const before = h.slack.responses.length;
  const reply = await h.driver.slashCommand({ text, user });
  expect(reply.status).toBe(200);
  const answer = await waitFor("the private answer", () => h.slack.responses[before], 20_000);
  expect(answer).toMatchObject({ response_type: "ephemeral" });
  return answer;
}

describe("/imagine usage", () => {
  it("shows what a job cost and the budget left; an admin also sees the workspace per person", async () => {
    await h.driver.slashCommand({ text: "a lighthouse --partials 0" });
    await waitFor("the result", () => results()[0], 20_000);
    const [run, ...others] = await readdir(h.config.storageDir);
    expect(others).toEqual([]);
    const metadata = JSON.parse(
      await readFile(join(h.config.storageDir, run ?? "", "metadata.json"), "utf8"),
    );
    const micro = metadata.cost.microdollars as number;
    await h.idle();

    const text = String((await usage("usage")).text);
    expect(text).toContain(`You: 1 image, ${formatDollars(micro, "up")}`);
    expect(text).toContain(`Your daily budget: $2.00, ${formatDollars(2_000_000 - micro)} left`);
    expect(text).toContain("*This server today*");
    expect(text).toContain(`• <@${USER}>: 1 image, ${formatDollars(micro, "up")}`);

    const theirs = String((await usage("usage", SOMEONE)).text);
    expect(theirs).toContain("You: 0 images, $0.00");
    expect(theirs).not.toContain("This server");
  });

  it("an admin sets the workspace's limit and the next request over it is refused; others cannot", async () => {
    expect((await usage("usage set server-day-usd 100", SOMEONE)).text).toBe(
      ":warning: Only this server's admins can set its limits; /imagine usage shows yours.",
    );
    expect(String((await usage("usage set server-day-usd lots")).text)).toMatch(
      /^:warning: "lots" is not a limit for the whole server, dollars per UTC day: give an amount of dollars/,
    );
    expect(String((await usage("usage set everyone-day-usd 1")).text)).toContain(
      'There is no budget called "everyone-day-usd"',
    );
    expect((await usage("usage set server-day-usd 0.01")).text).toBe(
      ":white_check_mark: The limit for the whole server, dollars per UTC day is now $0.01 (it was none).",
    );

    // The first test's image was made today in this workspace: nothing is left of $0.01.
    const refusal = await usage("another lighthouse --partials 0");
    expect(String(refusal.text)).toMatch(
      /^:warning: This server's daily budget of \$0\.01 has \$0\.00 left; this request may cost up to \$\d+\.\d\d\. It resets in/,
    );
    expect(results()).toHaveLength(0);
  });
});
