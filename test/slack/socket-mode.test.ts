import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { type SlackHarness, startSlackHarness } from "./harness.js";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-socket", { mode: "socket" });
});
afterAll(() => h.close());

const isResult = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");

describe("Socket Mode (SLACK_APP_TOKEN set)", () => {
  it("connects with the app token and runs /imagine to a result; mistakes are acked privately", async () => {
    const bad = await h.driver.slashCommand({ text: "a cat --size huge" });
    expect(JSON.parse(bad.body)).toMatchObject({
      response_type: "ephemeral",
      text: expect.stringContaining("size"),
    });
    expect(h.openai.requests).toHaveLength(0);

    await h.driver.slashCommand({ text: "a harbour at night --partials 1" });
    const result = await waitFor("the result", () => h.slack.messages.find((m) => m.bot_id && isResult(m)));
    expect(JSON.stringify(result.blocks)).toContain("a harbour at night");
    const open = h.slack.calls("apps.connections.open")[0];
    expect(open?.headers.authorization).toBe("Bearer xapp-fake");
  });
});
