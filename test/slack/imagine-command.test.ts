import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
import { showEachPartial } from "../helpers/pace.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, type SlackHarness, startSlackHarness, USER } from "./harness.js";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-command");
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const topLevelBotMessages = () => h.slack.messages.filter((m) => m.bot_id && !m.thread_ts && !m.files);
const hasButtons = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");

/**
 * Sends a valid `/imagine` and waits for its result: the one status message and the one OpenAI request
 * there are must be its own, so nothing sent before it started a job.
 */
async function onlyThisOneRuns(text: string): Promise<void> {
  await h.driver.slashCommand({ text });
  const status = await waitFor("the status message", () => topLevelBotMessages()[0]);
  await waitFor("the result", () => (hasButtons(status) ? status : undefined));
  await h.idle();
  expect(topLevelBotMessages()).toHaveLength(1);
  expect(h.openai.requests).toHaveLength(1);
  expect(h.openai.requests[0]?.json).toMatchObject({ prompt: text.replace(/ --.*/, "") });
}

describe("/imagine over Slack (real Bolt, worker, Redis; fake OpenAI and Slack)", () => {
  it("posts one status message, shows partial frames in it, then turns it into the result", async () => {
    const reply = await h.driver.slashCommand({
      text: "a lighthouse at dusk --size 1536x1024 --partials 2 --quality high",
    });
    expect(reply.status).toBe(200);
    const status = await waitFor("the status message", () => topLevelBotMessages()[0]);
    const done = await waitFor("the result", () => (hasButtons(status) ? status : undefined));

    expect(topLevelBotMessages()).toHaveLength(1);
    const sent = h.openai.requests[0]?.json as Record<string, unknown>;
    expect(sent).toMatchObject({
      prompt: "a lighthouse at dusk",
      size: "1536x1024",
      quality: "high",
      partial_images: 2,
      stream: true,
    });

    // Every update went to the same message: queued, drawing, frames shown with image blocks, result.
    const updates = h.slack
      .calls("chat.update")
      .map((call) => call.json as { ts: string; blocks?: unknown[] });
    expect(new Set(updates.map((u) => u.ts))).toEqual(new Set([status.ts]));
    const frames = done.history.filter((v) => JSON.stringify(v.blocks ?? []).includes("Work in progress"));
    expect(frames.length).toBeGreaterThanOrEqual(1);
    // Frames were uploaded privately (no channel) and each older one deleted.
    const completes = h.slack
      .calls("files.completeUploadExternal")
      .map((c) => c.json as Record<string, unknown>);
    const privateUploads = completes.filter((c) => c.channel_id === undefined);
    // Counted by file: under load the Web API client may retry an update, recording one frame twice.
    const shownFrameFiles = new Set(
      frames.flatMap((v) =>
        [...JSON.stringify(v.blocks ?? []).matchAll(/"slack_file":\{"id":"(\w+)"\}/g)].map((m) => m[1]),
      ),
    );
    expect(shownFrameFiles.size).toBeGreaterThanOrEqual(1);
    expect(privateUploads.length).toBe(shownFrameFiles.size);
    // The last frame is deleted just after the result edit the test waited for.
    await waitFor("every frame deleted", () =>
      h.slack.calls("files.delete").length === privateUploads.length ? true : undefined,
    );
    // files.info was polled before the first frame was shown.
    expect(h.slack.calls("files.info").length).toBeGreaterThan(0);

    // The final is shared in the status message's thread; the result names model, size, quality and job.
    const shared = h.slack.messages.find((m) => m.thread_ts === status.ts && m.files?.length);
    expect(shared?.files?.[0]?.mimetype).toBe("image/png");
    const result = JSON.stringify(done.blocks);
    expect(result).toContain("a lighthouse at dusk");
    expect(result).toContain("model gpt-image-2");
    expect(result).toContain("size 1536x1024");
    expect(result).toContain("quality high");
    for (const action of ["reroll", "vary", "details", "delete"])
      expect(result).toMatch(new RegExp(`"value":"${action}:[\\w-]+"`));
    expect(done.text).toContain(`<@${USER}>`);
    // Frames and finals were shown only once Slack had processed them: no block was ever rejected.
    expect(h.slack.failures).toEqual([]);
    expect(status.channel).toBe(CHANNEL);
  });

  it("counts partial frames forward only when two images stream their partials in turn", async () => {
    // Every partial is shown (each one sent once the one before it is), so image 2's first partial, the
    // one that must not count back to "1 of 2", is certain to be on screen at some point.
    showEachPartial(
      h.openai,
      () =>
        (topLevelBotMessages()[0]?.history ?? []).filter((version) =>
          /frame \d of 2/.test(version.text ?? ""),
        ).length,
    );
    await h.driver.slashCommand({ text: "two foxes --n 2 --partials 2" });
    const status = await waitFor("the status message", () => topLevelBotMessages()[0]);
    const done = await waitFor("the result", () => (hasButtons(status) ? status : undefined), 30_000);
    const counts = done.history.flatMap((version) => {
      const frame = /frame (\d) of 2/.exec(version.text ?? "");
      return frame ? [Number(frame[1])] : [];
    });
    expect(counts.length).toBeGreaterThanOrEqual(4);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
  });

  it("answers a bad flag privately with the exact problem, and sends nothing to OpenAI", async () => {
    const reply = await h.driver.slashCommand({ text: "a cat --sise 1024x1024" });
    expect(reply.status).toBe(200);
    const body = JSON.parse(reply.body) as { response_type: string; text: string };
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toContain("Unknown flag --sise; did you mean --size? `/imagine help` lists the flags.");

    const invalid = JSON.parse((await h.driver.slashCommand({ text: "a cat --n 11" })).body) as {
      text: string;
    };
    expect(invalid.text).toMatch(/Option n must be a whole number from 1 to 10/);
    const missing = JSON.parse((await h.driver.slashCommand({ text: "a cat --quality" })).body) as {
      text: string;
    };
    expect(missing.text).toContain("Flag --quality needs a value");

    // The barrier: a valid command sent after them; once it has its result, anything the refused ones
    // had set off would be there too.
    await onlyThisOneRuns("a cat --quality low");
  });

  it("tells the person privately when the bot is not in the channel", async () => {
    h.slack.leave("C0NOTINVITED");
    await h.driver.slashCommand({ text: "a cat", channel: "C0NOTINVITED" });
    const answer = await waitFor("the response", () => h.slack.responses[0]);
    expect(answer).toMatchObject({ response_type: "ephemeral" });
    expect(String(answer.text)).toContain("/invite @imagine");
    expect(h.openai.requests).toHaveLength(0);
  });

  it("lists the flags with /imagine help", async () => {
    const body = JSON.parse((await h.driver.slashCommand({ text: "help" })).body) as {
      response_type: string;
      text: string;
    };
    expect(body.response_type).toBe("ephemeral");
    for (const flag of ["--size", "--quality", "--n", "--format", "--partials", "--api", "--frame-ms"]) {
      expect(body.text).toContain(`\`${flag}\``);
    }
    expect(h.openai.requests).toHaveLength(0);
  });

  it("rejects a request with a bad signature", async () => {
    const reply = await h.driver.slashCommand({ text: "a cat" }, { signature: "v0=0000" });
    expect(reply.status).toBe(401);
    await onlyThisOneRuns("a dog");
  });
});
