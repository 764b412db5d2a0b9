import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SlackDriver } from "../fakes/slack/driver.js";
import { BOT, FAKE_TEAM } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, SIGNING_SECRET, type SlackHarness, startSlackHarness, USER } from "./harness.js";

const ELSEWHERE = "C0ELSEWHERE";
const STRANGER = "U0STRANGER1";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-access", {
    env: { SLACK_ALLOWED_TEAMS: FAKE_TEAM, SLACK_ALLOWED_CHANNELS: CHANNEL, SLACK_ALLOWED_USERS: USER },
  });
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const results = () =>
  h.slack.messages.filter((m) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll"));

/** The command's ack carries the private answer (nothing acknowledged first, so nothing was started). */
async function refusal(reply: Promise<{ body: string }>): Promise<string> {
  const body = JSON.parse((await reply).body) as { response_type: string; text: string };
  expect(body.response_type).toBe("ephemeral");
  return body.text;
}

async function nothingQueued(): Promise<void> {
  const counts = await h.process.context.queues
    .forKind("slack")
    .getJobCounts("waiting", "active", "delayed", "prioritized");
  expect(Object.values(counts).every((count) => count === 0)).toBe(true);
}

describe("Slack access lists (workspaces, channels, users)", () => {
  it("a listed person in a listed channel of a listed workspace gets the image", async () => {
    await h.driver.slashCommand({ text: "a kite --partials 0" });
    await waitFor("the result", () => results()[0]);
    expect(h.openai.requests).toHaveLength(1);
  });

  it("elsewhere the command is answered privately, before anything is posted, queued or sent", async () => {
    expect(await refusal(h.driver.slashCommand({ text: "a kite", channel: ELSEWHERE }))).toBe(
      ":warning: imagine isn't enabled in this channel.",
    );
    expect(await refusal(h.driver.slashCommand({ text: "a kite", user: STRANGER }))).toBe(
      ":warning: imagine isn't enabled for you here; ask an admin to add you.",
    );
    const port = h.config.slack?.port;
    const otherTeam = new SlackDriver({
      url: `http://127.0.0.1:${port}/slack/events`,
      signingSecret: SIGNING_SECRET,
      responseUrl: () => h.slack.responseUrl(),
      team: "T0OTHERTEAM",
    });
    expect(await refusal(otherTeam.slashCommand({ text: "a kite" }))).toBe(
      ":warning: imagine isn't enabled here.",
    );
    // `/imagine show` posts in the channel: listed like a request.
    expect(
      await refusal(h.driver.slashCommand({ text: "show 20261207-093000-ab12cd34", channel: ELSEWHERE })),
    ).toBe(":warning: imagine isn't enabled in this channel.");
    // `/imagine help` answers only the person: it works anywhere.
    expect(await refusal(h.driver.slashCommand({ text: "help", channel: ELSEWHERE }))).toContain("--size");
    await nothingQueued();
    expect(h.slack.messages.filter((m) => m.bot_id)).toEqual([]);
    expect(h.openai.requests).toHaveLength(0);
  });

  it("a result's button clicked by someone not on the list is refused privately; nothing is queued", async () => {
    await h.driver.slashCommand({ text: "a kite --partials 0" });
    const result = await waitFor("the result", () => results()[0]);
    await h.idle();
    h.openai.reset();
    const value = JSON.stringify(result.blocks).match(/"value":"(reroll:[\w-]+)"/)?.[1] ?? "";
    await h.driver.clickButton({
      user: STRANGER,
      channel: CHANNEL,
      messageTs: result.ts,
      actionId: "imagine_reroll",
      value,
    });
    const answer = await waitFor("the private answer", () => h.slack.ephemerals[0]);
    expect(answer).toMatchObject({ channel: CHANNEL, user: STRANGER });
    expect(String(answer.text)).toBe(
      ":warning: imagine isn't enabled for you here; ask an admin to add you.",
    );
    await nothingQueued();
    expect(h.openai.requests).toHaveLength(0);
  });

  it("the Edit image shortcut elsewhere is answered privately; no modal opens and nothing is fetched", async () => {
    const photo = h.slack.postAsUser({
      channel: ELSEWHERE,
      user: USER,
      text: "holiday",
      files: [{ name: "beach.png", bytes: Buffer.from("not fetched"), mimetype: "image/png" }],
    });
    const requestsBefore = h.slack.requests.length;
    await h.driver.messageShortcut({
      callbackId: "imagine_edit",
      user: USER,
      channel: ELSEWHERE,
      message: { ts: photo.ts, type: "message", user: USER },
    });
    // Through the shortcut's response_url, privately.
    const answer = await waitFor("the private answer", () => h.slack.responses[0]);
    expect(answer).toMatchObject({
      response_type: "ephemeral",
      text: ":warning: imagine isn't enabled in this channel.",
    });
    expect(h.slack.views).toEqual([]);
    expect(
      h.slack.requests.slice(requestsBefore).some((request) => request.path.startsWith("/files-pri/")),
    ).toBe(false);
    await nothingQueued();
  });

  it("a mention in a channel not on the list is answered with a private message there", async () => {
    const posted = h.slack.postAsUser({ channel: ELSEWHERE, user: USER, text: `<@${BOT.user_id}> a kite` });
    await h.driver.event({
      type: "app_mention",
      user: USER,
      text: posted.text,
      ts: posted.ts,
      channel: ELSEWHERE,
    });
    const answer = await waitFor("the private answer", () => h.slack.ephemerals[0]);
    expect(answer).toMatchObject({ channel: ELSEWHERE, user: USER });
    expect(String(answer.text)).toBe(":warning: imagine isn't enabled in this channel.");
    await nothingQueued();
    expect(h.openai.requests).toHaveLength(0);
  });
});
