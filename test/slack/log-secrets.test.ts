import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { type SlackHarness, startSlackHarness } from "./harness.js";

/** What Slack puts in every command and interaction: a `response_url` that posts to the channel, and the token. */
const RESPONSE_URL = /\/respond\/R\d+/;
const ENVELOPE_TOKEN = "verification-token-unused";

const isResult = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");

describe.each(["socket", "http"] as const)("Slack logs at the most verbose level (%s mode)", (mode) => {
  let h: SlackHarness;
  beforeAll(async () => {
    // Every level: a response_url in a debug line posts to the channel as well as one in an error line.
    h = await startSlackHarness(`slack-log-secrets-${mode}`, { mode, logLevel: "trace" });
  });
  afterAll(() => h.close());

  /** Every line the bot logged, as it would reach a log file. */
  const logText = () => h.logs.map((record) => JSON.stringify(record)).join("\n");

  it("carry no response_url and no envelope token, while Bolt's debug lines are there", async () => {
    const refused = await h.driver.slashCommand({ text: "a cat --size huge" });
    expect(JSON.parse(refused.body)).toMatchObject({ response_type: "ephemeral" });
    await h.driver.slashCommand({ text: "a lantern at dusk --partials 1" });
    const result = await waitFor("the result", () => h.slack.messages.find((m) => m.bot_id && isResult(m)));
    // A press of Details: its payload carries a response_url and the token as well.
    const details = JSON.stringify(result.blocks).match(/"value":"(details:[\w-]+)"/)?.[1] ?? "";
    await h.driver.clickButton({
      user: "U0FAKEUSER1",
      channel: "C0FAKECHAN1",
      messageTs: result.ts,
      actionId: "imagine_details",
      value: details,
    });
    await h.idle();

    const debugLines = h.logs.filter((record) => record.level <= 20 && record.component === "bolt");
    expect(debugLines.length).toBeGreaterThan(0);
    const text = logText();
    expect(text).toContain("lantern at dusk");
    expect(text).not.toMatch(RESPONSE_URL);
    expect(text).not.toContain(ENVELOPE_TOKEN);
    expect(text).not.toContain("xoxb-fake");
    expect(text).not.toContain("xapp-fake");
  });
});
