import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { EDIT_SHORTCUT, EDIT_VIEW } from "../../src/platforms/slack/listeners/shortcut.js";
import type { FakeMessage } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, type SlackHarness, startSlackHarness, USER } from "./harness.js";

const INTERNAL = /Something went wrong on our side/;

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-handler-failures");
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const isResult = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");

/** The bot still serves the next `/imagine` to its result. */
async function servesNextImagine(prompt: string): Promise<void> {
  await h.driver.slashCommand({ text: prompt });
  const result = await waitFor("the next result", () =>
    h.slack.messages.find((m) => m.bot_id && !m.deleted && isResult(m) && m.text.includes(prompt)),
  );
  expect(result.text).toContain(prompt);
}

const errorLogged = (pattern: RegExp) =>
  waitFor("the error in the log", () =>
    h.logs.find((line) => line.level >= 50 && pattern.test(String(line.err?.message))),
  );

describe("a Slack listener that fails", () => {
  it("a shortcut Slack refuses to open the modal for: answered privately, logged, and the bot keeps serving", async () => {
    const posted = h.slack.postAsUser({ channel: CHANNEL, user: USER, text: "look" });
    // A shortcut without a usable trigger id: views.open is refused after the listener acknowledged.
    await h.driver.interaction({
      type: "message_action",
      callback_id: EDIT_SHORTCUT,
      trigger_id: "",
      user: { id: USER, team_id: h.driver.team },
      channel: { id: CHANNEL },
      message_ts: posted.ts,
      message: { type: "message", ts: posted.ts, user: USER, text: "look" },
    });
    const answer = await waitFor("the private answer", () => h.slack.responses[0]);
    expect(answer).toMatchObject({ response_type: "ephemeral" });
    expect(String(answer.text)).toMatch(INTERNAL);
    await errorLogged(/invalid_trigger_id/);
    await servesNextImagine("a paper crane");
  });

  it("a modal submission it cannot read: the modal says so, and the error is logged", async () => {
    const reply = await h.driver.viewSubmission({
      user: USER,
      view: { id: "V0BROKEN01", type: "modal", callback_id: EDIT_VIEW, private_metadata: "{not json" },
      values: { prompt: { prompt: "make it blue" } },
    });
    expect(reply.status).toBe(200);
    const body = JSON.parse(reply.body) as { response_action?: string; view?: unknown };
    expect(body.response_action).toBe("update");
    expect(JSON.stringify(body.view)).toMatch(INTERNAL);
    await errorLogged(/JSON/);
    await servesNextImagine("a lantern");
  });

  it("an /imagine that fails after the ack: answered privately, logged with the error, nothing left behind", async () => {
    // A key of the wrong type makes the person's slot check fail inside Redis, after the status was posted.
    const slots = `${h.config.queuePrefix}:limits:active:slack:${USER}`;
    const redis = h.process.context.redis;
    await redis.set(slots, "not a sorted set");
    // Put right even if an assertion below fails, so no other test meets the broken key.
    onTestFinished(() => redis.del(slots).then(() => undefined));
    await h.driver.slashCommand({ text: "a kite" });
    const answer = await waitFor("the private answer", () => h.slack.responses[0]);
    expect(answer).toMatchObject({ response_type: "ephemeral" });
    expect(String(answer.text)).toMatch(INTERNAL);
    await errorLogged(/WRONGTYPE/);
    expect(h.slack.messages.filter((m) => m.bot_id && !m.deleted)).toEqual([]);
    await redis.del(slots);
    await servesNextImagine("a kite");
  });
});
