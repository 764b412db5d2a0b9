import { access } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { slackThread } from "../../src/platforms/slack/deps.js";
import { BOT, type FakeMessage } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, type SlackHarness, startSlackHarness, USER } from "./harness.js";

const SOMEONE_ELSE = "U0SOMEONE02";
const OTHER_CHANNEL = "C0FAKECHAN2";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-forget");
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const isResult = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");
const results = (count: number) =>
  waitFor(`${count} results`, () => {
    const done = h.slack.messages.filter((m) => m.bot_id && !m.files && !m.deleted && isResult(m));
    return done.length >= count ? done : undefined;
  });
const runIdOf = (message: FakeMessage | undefined) =>
  JSON.stringify(message?.blocks).match(/"value":"delete:([\w-]+)"/)?.[1] ?? "";
const responseOf = async (runId: string) => (await h.process.context.runs.getMetadata(runId)).responseId;
const folderExists = (runId: string) =>
  access(join(h.config.storageDir, runId)).then(
    () => true,
    () => false,
  );
const deleted = () => h.openai.requests.filter((r) => r.method === "DELETE").map((r) => r.path);
const responsesPosts = () =>
  h.openai.requests
    .filter((r) => r.method === "POST" && r.path.endsWith("/responses"))
    .map((r) => r.json as { previous_response_id?: string });
const chainOf = (channel: string, rootTs: string) =>
  h.process.context.threads.turns(slackThread(h.driver.team, channel, rootTs));
/** The ephemeral messages `user` got, oldest first. */
const toldPrivately = (user: string) =>
  h.slack.ephemerals.filter((e) => e.user === user).map((e) => String(e.text));

/** A person's message in the thread that mentions the bot, delivered as Slack does (app_mention). */
async function mention(threadTs: string, text: string, user = USER) {
  const posted = h.slack.postAsUser({
    channel: CHANNEL,
    user,
    text: `<@${BOT.user_id}> ${text}`,
    thread_ts: threadTs,
  });
  return h.driver.event({
    type: "app_mention",
    user,
    text: posted.text,
    ts: posted.ts,
    thread_ts: threadTs,
    channel: CHANNEL,
  });
}

/** A Responses result at the root of a thread, and one refinement under it: two turns of one chain. */
async function threadWithTwoTurns(prompt: string) {
  await h.driver.slashCommand({ text: `${prompt} --api responses --partials 0` });
  const [root] = await results(1);
  if (!root) throw new Error("no result");
  await mention(root.ts, "make it night");
  const [, refined] = await results(2);
  return { root, runIds: [runIdOf(root), runIdOf(refined)], refined };
}

describe("@imagine forget in a thread", () => {
  it("is refused to someone else; the owner's removes the folders, the chain and both stored responses", async () => {
    const { root, runIds } = await threadWithTwoTurns("a cabin by a lake");
    const responseIds = await Promise.all(runIds.map(responseOf));
    expect(await chainOf(CHANNEL, root.ts)).toHaveLength(2);

    await mention(root.ts, "forget", SOMEONE_ELSE);
    const refusal = await waitFor("the refusal", () => toldPrivately(SOMEONE_ELSE)[0]);
    expect(refusal).toBe(`Only <@${USER}>, who started this thread, or an admin can forget it.`);
    expect(deleted()).toEqual([]);
    expect(await chainOf(CHANNEL, root.ts)).toHaveLength(2);
    for (const runId of runIds) expect(await folderExists(runId)).toBe(true);

    await mention(root.ts, "forget");
    const answer = await waitFor("the answer", () => toldPrivately(USER)[0]);
    expect(answer).toBe(
      "Deleted: 2 images, 2 stored OpenAI responses, this thread's history. The messages stay in the thread: Delete under a result removes it too.",
    );
    expect(h.slack.ephemerals.find((e) => e.user === USER)?.thread_ts).toBe(root.ts);
    expect(deleted().sort()).toEqual(responseIds.map((id) => `/v1/responses/${id}`).sort());
    for (const runId of runIds) expect(await folderExists(runId)).toBe(false);
    expect(await chainOf(CHANNEL, root.ts)).toEqual([]);
    // "forget" was never a prompt.
    expect(responsesPosts()).toHaveLength(2);

    // A message there cannot continue what was forgotten: it gets a sentence, and nothing is asked of OpenAI.
    await mention(root.ts, "add falling snow");
    const forgotten = await waitFor("the sentence", () => toldPrivately(USER)[1]);
    expect(forgotten).toBe(
      ":warning: This thread's history was forgotten, so I can't continue it: start again with /imagine.",
    );
    expect(responsesPosts()).toHaveLength(2);
  });
});

describe("/imagine forget", () => {
  it("is not drawn as a prompt: the person is told to mention the bot in the thread", async () => {
    const reply = await h.driver.slashCommand({ text: "forget" });
    const body = JSON.parse(reply.body) as { response_type: string; text: string };
    expect(body).toEqual({
      response_type: "ephemeral",
      text: expect.stringContaining("mention me with `forget` inside the thread"),
    });
    expect(h.openai.requests).toEqual([]);
  });
});

describe("Delete under a result in a thread", () => {
  it("removes that result's folder, its stored response and its turn, for its requester only", async () => {
    const { root, runIds, refined } = await threadWithTwoTurns("a red barn");
    const [rootRun = "", refinedRun = ""] = runIds;
    const responseId = await responseOf(refinedRun);
    const click = (user: string) =>
      h.driver.clickButton({
        user,
        channel: CHANNEL,
        messageTs: refined?.ts ?? "",
        threadTs: root.ts,
        actionId: "imagine_delete",
        value: `delete:${refinedRun}`,
      });

    await click(SOMEONE_ELSE);
    expect(await waitFor("the refusal", () => toldPrivately(SOMEONE_ELSE)[0])).toBe(
      `Only <@${USER}>, who asked for this image, can delete it.`,
    );
    expect(await folderExists(refinedRun)).toBe(true);
    expect(deleted()).toEqual([]);

    await click(USER);
    expect(await waitFor("the answer", () => toldPrivately(USER)[0])).toBe(
      "Deleted: 1 image, 1 stored OpenAI response, its turn in the thread's history.",
    );
    expect(h.slack.message(CHANNEL, refined?.ts ?? "")?.deleted).toBe(true);
    expect(deleted()).toEqual([`/v1/responses/${responseId}`]);
    expect(await folderExists(refinedRun)).toBe(false);
    expect(await folderExists(rootRun)).toBe(true);
    expect((await chainOf(CHANNEL, root.ts)).map((turn) => turn.jobId)).toEqual([rootRun]);
  });
});

describe("Slack thread keys", () => {
  it("keep a thread's chain apart from another channel's thread with the same root ts", async () => {
    await h.driver.slashCommand({ text: "a lighthouse --api responses --partials 0" });
    const [root] = await results(1);
    if (!root) throw new Error("no result");
    const rootResponse = await responseOf(runIdOf(root));
    // Another channel's thread under the same ts (ts values are unique per channel only), newer than ours.
    const elsewhere = slackThread(h.driver.team, OTHER_CHANNEL, root.ts);
    await h.process.context.threads.append(elsewhere, {
      jobId: "elsewhere-run",
      responseId: "resp_elsewhere",
      imageKeys: [],
      createdAt: new Date(Date.now() + 60_000).toISOString(),
    });

    await mention(root.ts, "make it night");
    await results(2);
    expect(responsesPosts()[1]?.previous_response_id).toBe(rootResponse);
    expect((await chainOf(OTHER_CHANNEL, root.ts)).map((turn) => turn.jobId)).toEqual(["elsewhere-run"]);
    expect(await chainOf(CHANNEL, root.ts)).toHaveLength(2);
  });
});
