import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RecordedRequest } from "../fakes/openai/state.js";
import type { FakeMessage } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, type SlackHarness, startSlackHarness, USER } from "./harness.js";

let h: SlackHarness;
/** Two images of 1536x1024: the actions below act on the second. */
let result: FakeMessage;
let runId: string;

const isResult = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");
const results = (count: number) =>
  waitFor(`${count} results`, () => {
    const done = h.slack.messages.filter((m) => m.bot_id && !m.files && !m.deleted && isResult(m));
    return done.length >= count ? done : undefined;
  });

const press = (value: string, options: { user?: string; messageTs?: string; ephemeral?: boolean } = {}) => {
  const [, action = "", , image] = value.split(":");
  return h.driver.clickButton({
    user: options.user ?? USER,
    channel: CHANNEL,
    messageTs: options.messageTs ?? result.ts,
    actionId: `imagine_${action}${image === undefined ? "" : `_${image}`}`,
    value,
    ...(options.ephemeral ? { ephemeral: true } : {}),
  });
};

const finalBytes = async (index: number) => {
  const key = (await h.process.context.runs.getMetadata(runId)).finals[index] ?? "";
  return h.process.context.runs.blobs.get(key);
};

function sentImage(request: RecordedRequest | undefined): Buffer | undefined {
  return request?.form?.files.find((file) => file.field.startsWith("image"))?.bytes;
}
const field = (request: RecordedRequest | undefined, name: string) => request?.form?.fields[name];

/** The values of an ephemeral message's buttons. */
const buttonValues = (ephemeral: Record<string, unknown> | undefined) =>
  [...JSON.stringify(ephemeral?.blocks ?? []).matchAll(/"value":"([^"]+)"/g)].map((match) => match[1]);

beforeAll(async () => {
  h = await startSlackHarness("slack-image-actions", { env: { BUDGET_USER_DAY_USD: "20" } });
  await h.driver.slashCommand({ text: "a paper boat --n 2 --size 1536x1024 --quality low --partials 0" });
  const [made] = await results(1);
  if (!made) throw new Error("no result");
  result = made;
  runId = /"value":"reroll:([\w-]+)"/.exec(JSON.stringify(made.blocks))?.[1] ?? "";
});
afterAll(() => h.close());
beforeEach(() => h.reset());

describe("Finalize on Slack", () => {
  it("quotes in an ephemeral message; its Confirm reserves and edits image 2 on the final model in the result's thread", async () => {
    await press(`v2:finalize:${runId}:1`);
    const quote = await waitFor("the quote", () => h.slack.ephemerals[0]);
    expect(quote.user).toBe(USER);
    expect(String(quote.text)).toMatch(
      /^Finalize image 2: 3504x2336 on `gpt-image-2\.5-sunburst` at quality max, an edit of it with the same prompt\.\nEstimated cost: up to \$\d+\.\d\d/,
    );
    expect(buttonValues(quote)).toEqual([`v2:finalize-go:${runId}:1`]);
    expect(h.openai.requests).toHaveLength(0);

    await press(`v2:finalize-go:${runId}:1`, { messageTs: "1765000000.000900", ephemeral: true });
    const [finalized] = await results(1);
    expect(finalized?.thread_ts).toBe(result.ts);
    const request = h.openai.requests[0];
    expect(request?.path).toBe("/v1/images/edits");
    expect(field(request, "model")).toBe("gpt-image-2.5-sunburst");
    expect(field(request, "size")).toBe("3504x2336");
    expect(field(request, "quality")).toBe("max");
    expect(sentImage(request)?.equals(await finalBytes(1))).toBe(true);
    const person = { kind: "user" as const, id: `slack:${USER}` };
    expect((await h.process.context.budget.spent(person, "day")).images).toBe(3);
  });

  it("is refused to someone who is neither the requester nor an admin, and nothing is made", async () => {
    await press(`v2:finalize:${runId}:1`, { user: "U0SOMEONE02" });
    const refusal = await waitFor("the refusal", () => h.slack.ephemerals[0]);
    expect(String(refusal.text)).toBe(
      `Only <@${USER}> or an admin can finalize it here: it is made at the top price. Use Vary or Re-roll for your own take.`,
    );
    expect(h.openai.requests).toHaveLength(0);
  });
});

describe("Edit and Use as reference on Slack", () => {
  it("Edit opens a view; its submit edits image 2 with the new prompt", async () => {
    await press(`v2:edit:${runId}:1`);
    const view = await waitFor("the view", () => h.slack.views[0]);
    expect(view).toMatchObject({ title: { text: "Edit image 2" } });
    await h.driver.viewSubmission({ user: USER, view, values: { prompt: { prompt: "add a red sail" } } });
    await results(1);
    const request = h.openai.requests[0];
    expect(field(request, "prompt")).toBe("add a red sail");
    expect(field(request, "size")).toBe("1536x1024");
    expect(sentImage(request)?.equals(await finalBytes(1))).toBe(true);
  });

  it("Use as reference opens a view; its submit makes a new image from image 2", async () => {
    await press(`v2:reference:${runId}:1`);
    const view = await waitFor("the view", () => h.slack.views[0]);
    await h.driver.viewSubmission({ user: USER, view, values: { prompt: { prompt: "a boat in a bottle" } } });
    await results(1);
    const request = h.openai.requests[0];
    expect(field(request, "prompt")).toBe("a boat in a bottle");
    expect(sentImage(request)?.equals(await finalBytes(1))).toBe(true);
  });

  it("a press on an image the run does not have: one sentence, no view, nothing spent", async () => {
    await press(`v2:edit:${runId}:7`);
    const answer = await waitFor("the answer", () => h.slack.ephemerals[0]);
    expect(String(answer.text)).toBe(":warning: That result has 2 images, not an image 8.");
    expect(h.slack.views).toEqual([]);
    expect(h.openai.requests).toHaveLength(0);
  });
});

describe("drafts on Slack", () => {
  it("--draft is made on the draft model at low quality, says draft, and offers Finalize", async () => {
    await h.driver.slashCommand({ text: "a paper plane --draft" });
    const [draft] = await results(1);
    expect(h.openai.requests[0]?.json).toMatchObject({ model: "gpt-image-2.5-flare", quality: "low" });
    const blocks = JSON.stringify(draft?.blocks);
    expect(blocks).toMatch(/"text":"draft · model gpt-image-2\.5-flare · /);
    expect(blocks).toMatch(/"value":"finalize:[\w-]+"/);
  });
});

describe("an image retention removed", () => {
  it("Finalize, Edit and Use as reference of it: one sentence each, no view, nothing spent", async () => {
    const key = (await h.process.context.runs.getMetadata(runId)).finals[0] ?? "";
    const storage = h.config.storage;
    if (storage.kind !== "local") throw new Error("the harness stores runs locally");
    await rm(join(storage.dir, key));
    for (const action of ["finalize", "edit", "reference"]) await press(`v2:${action}:${runId}:0`);
    const answers = await waitFor("three answers", () =>
      h.slack.ephemerals.length >= 3 ? h.slack.ephemerals : undefined,
    );
    const sentence =
      ":warning: Image 1 of that result is no longer kept (old results are removed after a while), so nothing was made from it.";
    expect(answers.map((answer) => answer.text)).toEqual([sentence, sentence, sentence]);
    expect(h.slack.views).toEqual([]);
    expect(h.openai.requests).toHaveLength(0);
  });
});
