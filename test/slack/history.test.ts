import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, type SlackHarness, startSlackHarness, USER } from "./harness.js";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-history");
});
afterAll(() => h.close());
beforeEach(() => h.reset());

/** The ts an ephemeral message is clicked at: Slack gives one, the fake keeps no ephemeral messages. */
const EPHEMERAL_TS = "1700000000.000100";

const isResult = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");
const results = () => h.slack.messages.filter((m) => m.bot_id && !m.files && !m.deleted && isResult(m));
const jobIdOf = (message: FakeMessage) => /\(job ([\w-]+)\)/.exec(message.text)?.[1] ?? "";

async function imagine(prompt: string): Promise<{ message: FakeMessage; jobId: string }> {
  const before = results().length;
  await h.driver.slashCommand({ text: `${prompt} --partials 0` });
  const message = await waitFor(prompt, () => results()[before], 20_000);
  await h.idle();
  return { message, jobId: jobIdOf(message) };
}

/** The next private answer through the command's `response_url`. */
async function answer(text: string, user = USER): Promise<Record<string, unknown>> {
  const before = h.slack.responses.length;
  const reply = await h.driver.slashCommand({ text, user });
  expect(reply.status).toBe(200);
  const said = await waitFor("the private answer", () => h.slack.responses[before], 20_000);
  expect(said).toMatchObject({ response_type: "ephemeral" });
  return said;
}

interface Block {
  type: string;
  text?: { text: string };
  slack_file?: { id: string };
  elements?: { action_id: string; value: string }[];
}

const click = (ts: string, value: string) =>
  h.driver.clickButton({
    user: USER,
    channel: CHANNEL,
    messageTs: ts,
    actionId: `imagine_${value.split(":")[0]}`,
    value,
  });

describe("/imagine history and /imagine show", () => {
  it("lists a person's runs newest first, privately, and shows them again with working buttons", async () => {
    expect((await answer("history")).text).toBe(":warning: You have no images here yet. Try /imagine.");

    const kite = await imagine("a red kite");
    const boat = await imagine("a blue boat");
    const hill = await imagine("a green hill");
    const list = await answer("history");
    const blocks = list.blocks as Block[];
    const sections = blocks.filter((block) => block.type === "section").slice(1);
    expect(sections.map((block) => block.text?.text)).toEqual([
      `*1.* job \`${hill.jobId}\` · a green hill`,
      `*2.* job \`${boat.jobId}\` · a blue boat`,
      `*3.* job \`${kite.jobId}\` · a red kite`,
    ]);
    const shows = blocks.flatMap((block) => block.elements ?? []).map((element) => element.value);
    expect(shows).toEqual([`show:${hill.jobId}`, `show:${boat.jobId}`, `show:${kite.jobId}`]);
    // Each run's image is the file its result shared in Slack.
    const images = blocks.filter((block) => block.type === "image").map((block) => block.slack_file?.id);
    expect(images).toHaveLength(3);
    for (const id of images) expect(h.slack.file(id ?? "")?.name).toMatch(/^\d{8}-\d{6}-[0-9a-f]{8}_0\.png$/);

    h.openai.reset();
    const before = results().length;
    await click(EPHEMERAL_TS, `show:${boat.jobId}`);
    const shown = await waitFor("the shown result", () => results()[before], 20_000);
    expect(shown.ts).not.toBe(boat.message.ts);
    expect(jobIdOf(shown)).toBe(boat.jobId);
    expect(JSON.stringify(shown.blocks)).toContain(`"details:${boat.jobId}"`);
    expect(h.openai.requests).toEqual([]);

    await click(shown.ts, `details:${boat.jobId}`);
    const details = await waitFor("details", () => h.slack.ephemerals[0]);
    expect(String(details.text)).toContain(`Details of ${boat.jobId}`);

    const beforeSlash = results().length;
    await h.driver.slashCommand({ text: `show ${kite.jobId}` });
    const again = await waitFor("the result shown by /imagine show", () => results()[beforeSlash], 20_000);
    expect(jobIdOf(again)).toBe(kite.jobId);
    expect(again.channel).toBe(CHANNEL);
  });

  it("refuses another workspace's job, a deleted one and a malformed id", async () => {
    const elsewhere = await imagine("a yellow bus");
    const deleted = await imagine("a grey owl");

    const file = join(h.config.storageDir, elsewhere.jobId, "metadata.json");
    const metadata = JSON.parse(await readFile(file, "utf8"));
    metadata.origin.user.workspace = "T0OTHERTEAM";
    await writeFile(file, JSON.stringify(metadata));
    expect((await answer(`show ${elsewhere.jobId}`)).text).toBe(
      `:warning: I have no image with job id ${elsewhere.jobId} here.`,
    );

    await click(deleted.message.ts, `delete:${deleted.jobId}`);
    await waitFor("deletion", () => h.slack.message(CHANNEL, deleted.message.ts)?.deleted);
    expect((await answer(`show ${deleted.jobId}`)).text).toBe(
      `:warning: I have no image with job id ${deleted.jobId} here.`,
    );
    expect(String((await answer("show yesterday's")).text)).toMatch(/^:warning: That is not a job id/);
    expect(String((await answer("show")).text)).toMatch(/^:warning: That is not a job id/);

    const list = JSON.stringify((await answer("history")).blocks);
    expect(list).not.toContain(deleted.jobId);
    expect(list).not.toContain(elsewhere.jobId);
  });

  it("lists the newest 10 of more, within a message's 50 blocks", async () => {
    const made: string[] = [];
    for (let i = 1; i <= 11; i++) made.push((await imagine(`a paper boat, take ${i}`)).jobId);
    const blocks = (await answer("history")).blocks as Block[];
    const shows = blocks.flatMap((block) => block.elements ?? []).map((element) => element.value);
    expect(shows).toEqual(
      made
        .slice(1)
        .reverse()
        .map((jobId) => `show:${jobId}`),
    );
    expect(blocks.filter((block) => block.type === "image")).toHaveLength(10);
    expect(blocks.length).toBeLessThanOrEqual(50);
  });
});
