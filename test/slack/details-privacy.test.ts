import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, type SlackHarness, startSlackHarness, USER } from "./harness.js";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-details-privacy");
});
afterAll(() => h.close());

const isResult = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_details");
const detailsValue = (message: FakeMessage) =>
  JSON.stringify(message.blocks).match(/"value":"(details:[\w-]+)"/)?.[1] ?? "";

describe("Details on Slack", () => {
  it("says a safety_identifier was sent, never which", async () => {
    await h.driver.slashCommand({ text: "a paper boat --partials 0" });
    const result = await waitFor("the result", () =>
      h.slack.messages.find((m) => m.bot_id && !m.files && !m.deleted && isResult(m)),
    );
    const sent = h.openai.requests[0]?.json as Record<string, unknown>;
    const identifier = String(sent.safety_identifier);
    expect(identifier).toMatch(/^[0-9a-f]{64}$/);

    await h.driver.clickButton({
      user: USER,
      channel: CHANNEL,
      messageTs: result.ts,
      actionId: "imagine_details",
      value: detailsValue(result),
    });
    const details = await waitFor("details", () => h.slack.ephemerals[0]);
    const shown = JSON.stringify(details);
    expect(shown).toContain("Parameters sent");
    expect(shown).toContain('\\"safety_identifier\\": \\"(set)\\"');
    expect(shown).not.toContain(identifier);
  });
});
