import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, type SlackHarness, startSlackHarness, USER } from "./harness.js";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-enhance", { env: { BUDGET_USER_DAY_USD: "20" } });
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const REWRITE = ", in rich detail: soft golden light, textured surfaces, a balanced composition";
const blocksOf = (message: FakeMessage) => JSON.stringify(message.blocks ?? []);
const results = () =>
  h.slack.messages.filter(
    (message) => message.bot_id && !message.deleted && blocksOf(message).includes("imagine_reroll"),
  );
const generatedPrompts = () =>
  h.openai.requests
    .filter((request) => request.path === "/v1/images/generations")
    .map((request) => (request.json as Record<string, unknown>).prompt);
const ackText = async (text: string) =>
  (JSON.parse((await h.driver.slashCommand({ text })).body) as { text: string }).text;

describe("enhance on Slack", () => {
  it("--enhance draws the rewrite and shows it; ✨ Enhance under a result does it again", async () => {
    await h.driver.slashCommand({ text: "eine Katze auf dem Dach --enhance --partials 0" });
    const result = await waitFor("the result", () => results()[0]);
    expect(blocksOf(result)).toContain(`Enhanced prompt: eine Katze auf dem Dach${REWRITE}`);
    expect(generatedPrompts()).toEqual([`eine Katze auf dem Dach${REWRITE}`]);
    const runId = /"value":"enhance:([\w-]+)"/.exec(blocksOf(result))?.[1] ?? "";
    const metadata = await h.process.context.runs.getMetadata(runId);
    expect(metadata.enhance?.originalPrompt).toBe("eine Katze auf dem Dach");
    expect(metadata.cost?.microdollars).toBeGreaterThan(metadata.enhance?.cost.microdollars ?? 0);

    h.openai.reset();
    await h.driver.clickButton({
      user: USER,
      channel: CHANNEL,
      messageTs: result.ts,
      actionId: "imagine_enhance",
      value: `enhance:${runId}`,
    });
    await waitFor("the second result", () => (results().length >= 2 ? results() : undefined));
    expect(generatedPrompts()).toEqual([`eine Katze auf dem Dach${REWRITE}`]);
  });

  it("refuses --enhance without a prompt or with a 32,000-character one, sending nothing", async () => {
    // No prompt at all is the options' own refusal, as without --enhance.
    expect(await ackText("--enhance")).toBe(
      ":warning: Option prompt is required: what to draw, or how to change the attached images.",
    );
    expect(await ackText(`${"a".repeat(32_000)} --enhance`)).toBe(
      ":warning: Enhance rewrites prompts of up to 4,000 characters; yours has 32,000. Shorten it or leave enhance off.",
    );
    expect(h.openai.requests).toHaveLength(0);
  });
});
