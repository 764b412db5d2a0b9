import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DRAWING_STATUS,
  QUEUED_STATUS,
  SUGGESTED_PROMPTS,
} from "../../src/platforms/slack/assistant-words.js";
import { BOT_SCOPES } from "../../src/platforms/slack/manifest.js";
import type { FakeMessage } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { type SlackHarness, startSlackHarness, USER } from "./harness.js";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-assistant");
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const isResult = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");
const resultsIn = (channel: string, threadTs: string) =>
  h.slack.messages.filter((m) => m.channel === channel && m.thread_ts === threadTs && isResult(m));
const modelRequests = () => h.openai.requests.filter((r) => r.method === "POST");

/** The person opens the app's assistant view: Slack makes the thread and tells the app. */
async function openView() {
  const opened = h.slack.openAssistantThread(USER);
  const delivered = await h.driver.event(opened.event);
  expect(delivered.status).toBe(200);
  return opened;
}

/** A person's message in a DM thread, delivered as Slack delivers it (`message`, `channel_type: im`). */
async function say(channel: string, threadTs: string, text: string) {
  const posted = h.slack.postAsUser({ channel, user: USER, text, thread_ts: threadTs });
  const event = { type: "message", channel_type: "im", channel, user: USER, text, ts: posted.ts };
  return h.driver.event({ ...event, thread_ts: threadTs });
}

describe("Slack's assistant view", () => {
  it("offers a few prompts when a person opens it", async () => {
    const opened = await openView();
    const thread = await waitFor("the suggested prompts", () => {
      const found = h.slack.assistantThread(opened.channel, opened.threadTs);
      return found?.prompts ? found : undefined;
    });
    expect(thread.prompts).toEqual({ title: SUGGESTED_PROMPTS.title, prompts: SUGGESTED_PROMPTS.prompts });
    expect(thread.prompts?.prompts.length).toBeLessThanOrEqual(4);
  });

  it("takes a change of the channel the person looks at without touching the thread", async () => {
    const { channel, threadTs } = await openView();
    const delivered = await h.driver.event(h.slack.assistantContextChanged(channel, threadTs, "C0FAKECHAN1"));
    expect(delivered.status).toBe(200);
    // A prompt after it, followed to its result: Bolt's default would by then have read the thread for its
    // metadata and rewritten the app's first message with the new context.
    await say(channel, threadTs, "a paper boat");
    await waitFor("the result", () => resultsIn(channel, threadTs).length === 1);
    await h.idle();
    const bodies = h.slack.requests.map((r) => JSON.stringify(r.json ?? {}));
    expect(bodies.filter((body) => body.includes("include_all_metadata"))).toEqual([]);
    expect(bodies.filter((body) => body.includes("assistant_thread_context"))).toEqual([]);
  });

  it("answers each prompt in the thread through the intake, its status following the run; the first prompt titles it", async () => {
    const { channel, threadTs } = await openView();
    // The result waits for the words to reach the thread: the worker drops words still pending then.
    const streams = () => h.slack.messages.filter((m) => m.stream).length;
    let results = 0;
    h.openai.pace(async (event) => {
      if (event !== "response.completed") return;
      results++;
      await waitFor("the words in the thread", () => streams() >= results);
    });
    await say(channel, threadTs, "A lighthouse at dusk, watercolor --quality low");
    const [first] = await waitFor("the result in the thread", () => {
      const results = resultsIn(channel, threadTs);
      return results.length === 1 ? results : undefined;
    });
    await h.idle();
    const thread = h.slack.assistantThread(channel, threadTs);
    // Waiting, drawing (with Slack's rotating messages), cleared at the end.
    expect(thread?.statuses[0]).toBe(QUEUED_STATUS);
    expect(thread?.statuses).toContain(DRAWING_STATUS.status);
    expect(thread?.status).toBe("");
    const drawing = h.slack
      .calls("assistant.threads.setStatus")
      .map((call) => call.json as { status: string; loading_messages?: string[] })
      .find((call) => call.status === DRAWING_STATUS.status);
    expect(drawing?.loading_messages).toEqual(DRAWING_STATUS.loading_messages);
    expect(thread?.title).toBe("A lighthouse at dusk, watercolor");
    // The model's words stream in the same thread.
    expect(h.slack.messages.find((m) => m.stream)?.thread_ts).toBe(threadTs);
    expect(first?.text).toContain("lighthouse");
    expect(modelRequests()[0]?.path).toMatch(/\/responses$/);

    // The next prompt refines the first (the thread's Responses chain); the title stays the first prompt's.
    await say(channel, threadTs, "now at night");
    await waitFor("the second result", () => resultsIn(channel, threadTs).length === 2);
    await h.idle();
    const chained = modelRequests()[1]?.json as { previous_response_id?: string };
    expect(chained.previous_response_id).toMatch(/^resp_/);
    expect(h.slack.calls("assistant.threads.setTitle")).toHaveLength(1);
    expect(h.slack.assistantThread(channel, threadTs)?.status).toBe("");
    expect(h.slack.failures).toEqual([]);
    h.openai.pace(undefined);
  });

  it("answers a bad flag privately in the thread, with nothing sent to OpenAI and no title", async () => {
    const { channel, threadTs } = await openView();
    await say(channel, threadTs, "a fox --quality enormous");
    const answer = await waitFor("the private answer", () => h.slack.ephemerals[0]);
    expect(answer).toMatchObject({ channel, thread_ts: threadTs, user: USER });
    expect(String(answer.text)).toContain(":warning:");
    expect(modelRequests()).toEqual([]);
    expect(h.slack.calls("assistant.threads.setTitle")).toEqual([]);
  });

  it("leaves everything else as it was: a reply in a private run's DM thread refines it, with no status", async () => {
    await h.driver.slashCommand({ text: "a red fox --private true" });
    const result = await waitFor("the private result", () =>
      h.slack.messages.find((m) => m.channel.startsWith("D") && isResult(m)),
    );
    await h.idle();
    await say(result.channel, result.ts, "make it blue");
    await waitFor("the refinement", () => resultsIn(result.channel, result.ts).length === 1);
    await h.idle();
    expect(modelRequests()[1]?.path).toMatch(/\/responses$/);
    expect(h.slack.requests.filter((r) => r.path.startsWith("/api/assistant."))).toEqual([]);
  });
});

describe("Slack's assistant view for an app installed without assistant:write", () => {
  let bare: SlackHarness;
  beforeAll(async () => {
    bare = await startSlackHarness("slack-assistant-scope", {
      fake: { scopes: BOT_SCOPES.filter((scope) => scope !== "assistant:write") },
    });
  });
  afterAll(() => bare.close());

  it("still answers in the thread; the prompts and title Slack refuses are logged, the status goes by chat:write", async () => {
    const opened = bare.slack.openAssistantThread(USER);
    await bare.driver.event(opened.event);
    const { channel, threadTs } = opened;
    const posted = bare.slack.postAsUser({ channel, user: USER, text: "a kite", thread_ts: threadTs });
    const event = { type: "message", channel_type: "im", channel, user: USER, text: "a kite", ts: posted.ts };
    await bare.driver.event({ ...event, thread_ts: threadTs });
    await waitFor("the result", () =>
      bare.slack.messages.some((m) => m.channel === channel && m.thread_ts === threadTs && isResult(m)),
    );
    await bare.idle();
    const refused = bare.slack.failures.map((failure) => `${failure.method} ${failure.error}`);
    expect(refused).toEqual([
      "assistant.threads.setSuggestedPrompts missing_scope",
      "assistant.threads.setTitle missing_scope",
    ]);
    const warnings = bare.logs.map((line) => line.msg);
    expect(warnings).toContain("assistant thread's suggested prompts not set");
    expect(warnings).toContain("assistant thread's title not set");
    expect(bare.slack.assistantThread(channel, threadTs)?.statuses).toContain(QUEUED_STATUS);
  });
});
