import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setShutdownDates } from "../../src/core/model-shutdowns.js";
import type { FakeMessage } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { type SlackHarness, startSlackHarness } from "./harness.js";

/** `YYYY-MM-DD`, `days` from today (UTC). */
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const GONE = inDays(-2);
const SOON = inDays(14);

let h: SlackHarness;
beforeAll(async () => {
  // The operator's default is a model OpenAI has since shut down: no release knew of it.
  h = await startSlackHarness("slack-models", {
    env: { OPENAI_SHUTDOWN_DATES: "true", DEFAULT_IMAGE_MODEL: "gpt-image-2.6-flare" },
  });
  h.openai.setShutdownDate("gpt-image-2.6-flare", GONE);
  h.openai.setShutdownDate("gpt-image-2.5-sunburst", SOON);
  await h.restart();
});
afterAll(async () => {
  await h.close();
  setShutdownDates(new Map());
});
beforeEach(() => h.reset());

const imageCalls = () => h.openai.requests.filter((request) => request.method === "POST");
const topLevelBotMessages = () => h.slack.messages.filter((m) => m.bot_id && !m.thread_ts && !m.files);
const hasButtons = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");

describe("models that no longer exist over Slack (fake OpenAI's shutdown_date)", () => {
  it("refuses --model naming a model past its shutdown date privately, before any image request", async () => {
    const reply = await h.driver.slashCommand({ text: "a fox --model gpt-image-2.6-flare" });
    const body = JSON.parse(reply.body) as { response_type: string; text: string };
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toContain(
      `Model gpt-image-2.6-flare was retired on ${GONE}; use gpt-image-2.5-sunburst or gpt-image-2.5-flare instead.`,
    );
    await h.idle();
    expect(imageCalls()).toHaveLength(0);
  });

  it("runs the shut-down default on its replacement, with both notices under the facts", async () => {
    await h.driver.slashCommand({ text: "a boat --partials 0" });
    const status = await waitFor("the status message", () => topLevelBotMessages()[0]);
    const done = await waitFor("the result", () => (hasButtons(status) ? status : undefined));
    expect(imageCalls().map((request) => (request.json as { model?: string }).model)).toEqual([
      "gpt-image-2.5-sunburst",
    ]);
    const blocks = JSON.stringify(done.blocks);
    expect(blocks).toContain("model gpt-image-2.5-sunburst");
    expect(blocks).toContain(
      `:warning: The bot's default model gpt-image-2.6-flare was retired on ${GONE}; this used gpt-image-2.5-sunburst.`,
    );
    expect(blocks).toContain(
      `:warning: gpt-image-2.5-sunburst shuts down on ${SOON}; use gpt-image-2.5-flare instead.`,
    );
  });
});
