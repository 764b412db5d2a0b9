import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BOT, type FakeMessage, type UserFile } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, mentionBot, type SlackHarness, startSlackHarness, USER } from "./harness.js";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-threads");
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const png = (colour: string) =>
  sharp({ create: { width: 256, height: 256, channels: 3, background: colour } })
    .png()
    .toBuffer();
const isResult = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");
// Not the replies the model's words stream into (`stream`): one status message per run.
const statusMessages = () => h.slack.messages.filter((m) => m.bot_id && !m.files && !m.deleted && !m.stream);
const modelRequests = () => h.openai.requests.filter((r) => r.method === "POST");
const countImages = (body: unknown) => (JSON.stringify(body).match(/"input_image"/g) ?? []).length;

/** Waits until `count` status messages have become results. */
async function results(count: number): Promise<FakeMessage[]> {
  return waitFor(`${count} results`, () => {
    const done = statusMessages().filter(isResult);
    return done.length >= count ? done : undefined;
  });
}

async function imagine(text: string): Promise<FakeMessage> {
  await h.driver.slashCommand({ text });
  const [result] = await results(1);
  if (!result) throw new Error("no result");
  return result;
}

/** A person's reply in a thread that mentions the bot, delivered as Slack does (app_mention). */
async function mention(threadTs: string, text: string, files: UserFile[] = []) {
  return (await mentionBot(h.slack, h.driver, { threadTs, text, files })).reply;
}

/** A person's reply in a thread that does not mention the bot, delivered as a plain `message` event. */
async function plainReply(threadTs: string, text: string) {
  const reply = h.slack.postAsUser({ channel: CHANNEL, user: USER, text, thread_ts: threadTs });
  return h.driver.event({
    type: "message",
    channel_type: "channel",
    user: USER,
    text: reply.text,
    ts: reply.ts,
    thread_ts: threadTs,
    channel: CHANNEL,
  });
}

describe("edits and refinement in Slack threads", () => {
  it("edits a result when a thread reply mentions the bot with an image", async () => {
    const first = await imagine("a red square");
    const reply = await mention(first.ts, "put the attached circle in the middle", [
      { name: "circle.png", bytes: await png("blue"), mimetype: "image/png" },
    ]);
    expect(reply.status).toBe(200);
    const [, second] = await results(2);
    expect(second?.thread_ts).toBe(first.ts);

    const [generate, edit] = modelRequests();
    expect(generate?.path).toMatch(/images\/generations$/);
    expect(edit?.path).toMatch(/\/responses$/);
    // The result's image and the attached one, downloaded with the token from the (trusted) file host.
    expect(countImages(edit?.json)).toBe(2);
    expect(JSON.stringify(edit?.json)).toContain("put the attached circle in the middle");
    const download = h.slack.requests.find((r) => r.path.startsWith("/files-pri/"));
    expect(download?.headers.authorization).toBe("Bearer xoxb-fake");
    // The final is shared in the same thread.
    expect(
      h.slack.messages.filter((m) => m.bot_id && m.thread_ts === first.ts && m.files?.length).length,
    ).toBe(2);
  });

  it("edits any message with an image when a thread reply mentions the bot", async () => {
    const root = h.slack.postAsUser({
      channel: CHANNEL,
      user: USER,
      text: "my photo",
      files: [{ name: "photo.png", bytes: await png("green"), mimetype: "image/png" }],
    });
    await mention(root.ts, "make it look like a watercolour");
    await results(1);
    const [edit] = modelRequests();
    expect(edit?.path).toMatch(/\/responses$/);
    expect(countImages(edit?.json)).toBe(1);
  });

  it("continues the thread's Responses chain over two turns, and a shortcut on an older result branches", async () => {
    const first = await imagine("a cabin in the woods --api responses");
    await mention(first.ts, "make it night");
    await results(2);
    await mention(first.ts, "add falling snow");
    const all = await results(3);
    const bodies = modelRequests().map((r) => r.json as { previous_response_id?: string; id?: string });
    const ids = await Promise.all(
      [0, 1, 2].map(async (i) => {
        const runId = JSON.stringify(all[i]?.blocks).match(/"value":"reroll:([\w-]+)"/)?.[1] ?? "";
        return (await h.process.context.runs.getMetadata(runId)).responseId;
      }),
    );
    expect(bodies[0]?.previous_response_id).toBeUndefined();
    expect(bodies[1]?.previous_response_id).toBe(ids[0]);
    expect(bodies[2]?.previous_response_id).toBe(ids[1]);

    // "Edit image" on the first result: a modal, then a turn that continues from the first result.
    const opened = await h.driver.messageShortcut({
      callbackId: "imagine_edit",
      user: USER,
      channel: CHANNEL,
      message: { ts: first.ts, type: "message", bot_id: BOT.bot_id },
    });
    expect(opened.status).toBe(200);
    const view = await waitFor("the modal", () => h.slack.views[0]);
    await h.driver.viewSubmission({
      user: USER,
      view,
      values: { prompt: { prompt: "make it summer instead" } },
    });
    await results(4);
    const branch = modelRequests()[3]?.json as { previous_response_id?: string };
    expect(branch.previous_response_id).toBe(ids[0]);

    // Vary on the second result also continues from that result's turn, not from the latest one.
    const secondValue = JSON.stringify(all[1]?.blocks).match(/"value":"(vary:[\w-]+)"/)?.[1] ?? "";
    await h.driver.clickButton({
      user: USER,
      channel: CHANNEL,
      messageTs: all[1]?.ts ?? "",
      threadTs: first.ts,
      actionId: "imagine_vary",
      value: secondValue,
    });
    await results(5);
    const varied = modelRequests()[4]?.json as { previous_response_id?: string };
    expect(varied.previous_response_id).toBe(ids[1]);
  });

  it("re-rolls a turn from that turn's parent: the first turn from no response at all, not the newest turn", async () => {
    const first = await imagine("a red barn --api responses");
    await mention(first.ts, "make it night");
    await results(2);
    await mention(first.ts, "add snow");
    const all = await results(3);
    const runIdOf = (message: FakeMessage | undefined) =>
      JSON.stringify(message?.blocks).match(/"value":"reroll:([\w-]+)"/)?.[1] ?? "";
    const firstResponse = (await h.process.context.runs.getMetadata(runIdOf(all[0]))).responseId;
    const reroll = (message: FakeMessage | undefined) =>
      h.driver.clickButton({
        user: USER,
        channel: CHANNEL,
        messageTs: message?.ts ?? "",
        ...(message?.thread_ts ? { threadTs: message.thread_ts } : {}),
        actionId: "imagine_reroll",
        value: `reroll:${runIdOf(message)}`,
      });
    const bodies = () =>
      modelRequests().map((r) => r.json as { previous_response_id?: string; input?: unknown });

    await reroll(all[0]);
    const rerolled = (await results(4))[3];
    expect(bodies()[3]).not.toHaveProperty("previous_response_id");
    expect(JSON.stringify(bodies()[3]?.input)).toContain("a red barn");
    // The fake names every prompt of the chain it continued: a redone first turn has only its own.
    expect((await h.process.context.runs.getMetadata(runIdOf(rerolled))).revisedPrompt).toBe(
      "Turn 1: a red barn",
    );

    await reroll(all[1]);
    await results(5);
    expect(bodies()[4]?.previous_response_id).toBe(firstResponse);
    expect(JSON.stringify(bodies()[4]?.input)).toContain("make it night");
  });

  it("continues the chain from a plain reply in a bot thread, and ignores plain messages elsewhere", async () => {
    const first = await imagine("a lantern --api responses");
    await plainReply(first.ts, "now in blue");
    const other = h.slack.postAsUser({ channel: CHANNEL, user: USER, text: "lunch?" });
    const otherReply = h.slack.postAsUser({
      channel: CHANNEL,
      user: USER,
      text: "sure",
      thread_ts: other.ts,
    });
    await h.driver.event({
      type: "message",
      channel_type: "channel",
      user: USER,
      text: "lunch?",
      ts: other.ts,
      channel: CHANNEL,
    });
    await h.driver.event({
      type: "message",
      channel_type: "channel",
      user: USER,
      text: "sure",
      ts: otherReply.ts,
      thread_ts: other.ts,
      channel: CHANNEL,
    });
    await results(2);
    // The barrier: a second plain reply in the bot thread, sent after the ignored ones. Once it has its result
    // and the queue is idle, a job either of them had started would be counted here too.
    await plainReply(first.ts, "now with stars");
    await results(3);
    await h.idle();
    const bodies = modelRequests().map((r) => r.json as { previous_response_id?: string; input?: unknown });
    expect(bodies).toHaveLength(3);
    expect(bodies[1]?.previous_response_id).toBeDefined();
    expect(JSON.stringify(bodies[1]?.input)).toContain("now in blue");
    expect(JSON.stringify(bodies[2]?.input)).toContain("now with stars");
  });

  it("edits a person's image from the Edit image shortcut; a bad flag is shown in the modal", async () => {
    const photo = h.slack.postAsUser({
      channel: CHANNEL,
      user: USER,
      text: "holiday",
      files: [{ name: "beach.png", bytes: await png("yellow"), mimetype: "image/png" }],
    });
    await h.driver.messageShortcut({
      callbackId: "imagine_edit",
      user: USER,
      channel: CHANNEL,
      message: { ts: photo.ts, type: "message", user: USER },
    });
    const view = await waitFor("the modal", () => h.slack.views[0]);
    const refused = await h.driver.viewSubmission({
      user: USER,
      view,
      values: { prompt: { prompt: "sunset --quality best" } },
    });
    expect(JSON.parse(refused.body)).toMatchObject({
      response_action: "errors",
      errors: { prompt: expect.stringMatching(/quality/) },
    });
    expect(modelRequests()).toHaveLength(0);

    await h.driver.viewSubmission({
      user: USER,
      view,
      values: { prompt: { prompt: "sunset --quality low" } },
    });
    const [result] = await results(1);
    expect(result?.thread_ts).toBe(photo.ts);
    const [edit] = modelRequests();
    expect(edit?.path).toMatch(/images\/edits$/);
    expect(JSON.stringify(edit?.form?.fields ?? {})).toContain("sunset");
  });

  it("never makes a second job when Slack retries an event", async () => {
    const first = await imagine("a teapot");
    const { event, reply: once } = await mentionBot(h.slack, h.driver, {
      threadTs: first.ts,
      text: "make it gold",
    });
    // Each retry is signed anew, so the replay guard lets it through: the event id is what tells it apart.
    expect((await h.driver.event(event, { eventId: once.eventId, retryNum: 1 })).status).toBe(200);
    expect((await h.driver.event(event, { eventId: once.eventId, retryNum: 2 })).status).toBe(200);
    // The barrier: a new mention after the retries. Once it has its result and the queue is idle, a job a
    // retry had started would be counted here too.
    await mention(first.ts, "now on a shelf");
    await results(3);
    await h.idle();
    // The two turns run side by side: which reaches OpenAI first is not the point.
    const prompts = modelRequests().map((r) => JSON.stringify(r.json));
    expect(prompts).toHaveLength(3);
    expect(prompts.filter((body) => body.includes("make it gold"))).toHaveLength(1);
    expect(prompts.filter((body) => body.includes("now on a shelf"))).toHaveLength(1);
    expect(statusMessages()).toHaveLength(3);
  });

  it("refuses a text file attached to a mention, as Discord does, before anything is downloaded or sent", async () => {
    const first = await imagine("a kite");
    h.openai.reset();
    const before = statusMessages().length;
    await mention(first.ts, "draw what these notes say", [
      { name: "notes.txt", bytes: Buffer.from("a kite over the sea"), mimetype: "text/plain" },
    ]);
    const ephemeral = await waitFor("the private answer", () => h.slack.ephemerals[0]);
    expect(ephemeral).toMatchObject({ user: USER, channel: CHANNEL, thread_ts: first.ts });
    expect(String(ephemeral.text)).toMatch(
      /notes\.txt is not an image \(text\/plain\); input images must be PNG, JPEG, WebP, AVIF, HEIC, TIFF, BMP or GIF\./,
    );
    expect(modelRequests()).toHaveLength(0);
    expect(statusMessages()).toHaveLength(before);
    expect(h.slack.requests.filter((r) => r.path.startsWith("/files-pri/"))).toHaveLength(0);
  });

  it("answers a bad flag in a mention privately, with nothing sent to OpenAI", async () => {
    const first = await imagine("a kite");
    h.openai.reset();
    await mention(first.ts, "make it red --quality ultra");
    const ephemeral = await waitFor("the private answer", () => h.slack.ephemerals[0]);
    expect(ephemeral).toMatchObject({ user: USER, channel: CHANNEL, thread_ts: first.ts });
    expect(String(ephemeral.text)).toMatch(/Option quality must be one of/);
    // The barrier: the same ask without the mistake, sent after. Once it has its result and the queue is
    // idle, a job the refused one had started would be counted here too.
    await mention(first.ts, "make it red --quality low");
    await results(2);
    await h.idle();
    expect(modelRequests()).toHaveLength(1);
  });
});
