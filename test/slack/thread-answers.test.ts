import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { slackThread } from "../../src/platforms/slack/deps.js";
import type { FakeMessage } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, mentionBot, type SlackHarness, startSlackHarness } from "./harness.js";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-thread-answers");
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const blocksOf = (m: FakeMessage | undefined) => JSON.stringify(m?.blocks ?? []);
/** Status messages that became results (an image or an answer: both have Details). */
const results = (count: number) =>
  waitFor(`${count} results`, () => {
    const done = h.slack.messages.filter(
      (m) => m.bot_id && !m.files && !m.deleted && blocksOf(m).includes("imagine_details"),
    );
    return done.length >= count ? done : undefined;
  });
const runIdOf = (m: FakeMessage | undefined) => blocksOf(m).match(/"value":"details:([\w-]+)"/)?.[1] ?? "";
const actionIds = (m: FakeMessage | undefined) =>
  [...blocksOf(m).matchAll(/"action_id":"(imagine_[a-z_]+)"/g)].map((match) => match[1]).sort();
const responsesPosts = () =>
  h.openai.requests
    .filter((r) => r.method === "POST" && r.path.endsWith("/responses"))
    .map((r) => r.json as { previous_response_id?: string; tool_choice?: unknown; tools?: unknown[] });
const sharedFiles = (threadTs: string) =>
  h.slack.messages.filter((m) => m.bot_id && m.thread_ts === threadTs && m.files?.length).length;

describe("a question in a Slack thread", () => {
  it("is answered in words streamed in the thread, chained, priced, with only Details and Delete; the next change draws", async () => {
    await h.driver.slashCommand({ text: "a lighthouse at dusk --api responses --partials 0" });
    const [root] = await results(1);
    if (!root) throw new Error("no result");
    const rootResponse = (await h.process.context.runs.getMetadata(runIdOf(root))).responseId;
    expect(sharedFiles(root.ts)).toBe(1);

    await mentionBot(h.slack, h.driver, { threadTs: root.ts, text: "what colour is the sky?" });
    const [, answer] = await results(2);
    expect(answer?.thread_ts).toBe(root.ts);
    const blocks = blocksOf(answer);
    // The words stream as a reply of their own in the thread; the status message does not repeat them.
    const streamed = h.slack.messages.filter((m) => m.stream !== undefined && m.thread_ts === root.ts);
    const words = streamed.filter((m) =>
      m.text?.startsWith('Turn 2 answer: you asked "what colour is the sky?"'),
    );
    expect(words.map((m) => m.stream?.state)).toEqual(["stopped"]);
    expect(blocks).not.toContain("Turn 2 answer");
    expect(blocks).toMatch(/answer · job [\w-]+ · <?\$\d/);
    expect(blocks).not.toContain('"type":"image"');
    expect(actionIds(answer)).toEqual(["imagine_delete", "imagine_details"]);
    // No file shared for an answer.
    expect(sharedFiles(root.ts)).toBe(1);

    const asked = responsesPosts()[1];
    expect(asked?.previous_response_id).toBe(rootResponse);
    expect(asked?.tool_choice).toBe("auto");
    expect(asked?.tools?.[0]).toMatchObject({ type: "image_generation", action: "auto" });
    const answerRun = runIdOf(answer);
    const turns = await h.process.context.threads.turns(slackThread(h.driver.team, CHANNEL, root.ts));
    expect(turns.map((turn) => turn.jobId)).toEqual([runIdOf(root), answerRun]);
    expect(turns[1]?.imageKeys).toEqual([]);
    expect(await h.process.context.runs.getMetadata(answerRun)).toMatchObject({ answered: true, finals: [] });

    await mentionBot(h.slack, h.driver, { threadTs: root.ts, text: "add stars" });
    const [, , drawn] = await results(3);
    expect(blocksOf(drawn)).toContain("imagine_reroll");
    expect(sharedFiles(root.ts)).toBe(2);
    expect(responsesPosts()[2]?.previous_response_id).toBe(turns[1]?.responseId);
  });
});
