import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, mentionBot, type SlackHarness, startSlackHarness, USER } from "./harness.js";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-private");
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const hasButtons = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");
const botMessagesIn = (channel: string) => h.slack.messages.filter((m) => m.bot_id && m.channel === channel);

describe("/imagine --private true on Slack", () => {
  it("shows the run in the person's DM with the app, updated in place; nothing in the channel", async () => {
    const before = botMessagesIn(CHANNEL).length;
    const reply = await h.driver.slashCommand({ text: "a quiet pond --private true --partials 1" });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({
      response_type: "ephemeral",
      text: expect.stringMatching(/direct messages/),
    });
    const open = await waitFor("conversations.open", () => h.slack.calls("conversations.open")[0]);
    expect(open.json).toMatchObject({ users: USER });
    const dm = await waitFor("the DM status", () =>
      h.slack.messages.find((m) => m.bot_id && m.channel.startsWith("D")),
    );
    const result = await waitFor("the result in the DM", () => (hasButtons(dm) ? dm : undefined));
    expect(result.text).toContain("a quiet pond");
    await h.idle();
    expect(botMessagesIn(CHANNEL)).toHaveLength(before);
    expect(h.openai.requests).toHaveLength(1);
    // Its buttons work there: Vary makes its answer in the DM too, from the DM's result.
    const vary = JSON.stringify(result.blocks).match(/"value":"(vary:[\w-]+)"/)?.[1] ?? "";
    await h.driver.clickButton({
      user: USER,
      channel: result.channel,
      messageTs: result.ts,
      actionId: "imagine_vary",
      value: vary,
    });
    await waitFor("the varied result in the DM", () =>
      botMessagesIn(result.channel).find((m) => m.ts !== result.ts && hasButtons(m)),
    );
    expect(h.openai.requests.map((request) => request.path)).toEqual([
      "/v1/images/generations",
      "/v1/images/edits",
    ]);
    expect(botMessagesIn(CHANNEL)).toHaveLength(before);
  });

  it("a mention asking for --private is told to use the command, and nothing is spent", async () => {
    await mentionBot(h.slack, h.driver, { text: "a loud parade --private true" });
    const told = await waitFor("the answer", () =>
      h.slack.ephemerals.find((message) => String(message.text).includes("--private true")),
    );
    expect(told.user).toBe(USER);
    await h.idle();
    expect(h.openai.requests).toHaveLength(0);
  });
});

describe("--private true with SLACK_ALLOWED_CHANNELS", () => {
  let listed: SlackHarness;
  beforeAll(async () => {
    listed = await startSlackHarness("slack-private-listed", { env: { SLACK_ALLOWED_CHANNELS: CHANNEL } });
  });
  afterAll(() => listed.close());

  it("is refused in the command's answer when the lists leave out the DM, where its buttons would be", async () => {
    const reply = await listed.driver.slashCommand({ text: "a quiet pond --private true" });
    expect(JSON.parse(reply.body)).toEqual({
      response_type: "ephemeral",
      text: ":warning: A private result goes to your direct messages with me, where imagine isn't enabled here; leave out --private.",
    });
    await listed.idle();
    expect(listed.openai.requests).toHaveLength(0);
    expect(listed.slack.messages.filter((m) => m.bot_id)).toEqual([]);
  });
});
