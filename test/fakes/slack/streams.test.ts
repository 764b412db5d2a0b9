import { webApi } from "@slack/bolt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BOT_SCOPES } from "../../../src/platforms/slack/manifest.js";
import { type FakeSlack, startFakeSlack } from "./server.js";

let fake: FakeSlack;
let client: webApi.WebClient;
/** The refusals are the point here: the client's own error lines would only clutter the output. */
const quiet: webApi.Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => webApi.LogLevel.ERROR,
  setName() {},
};
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (error: { data?: { error?: string } }) => error.data?.error,
  );

beforeAll(async () => {
  fake = await startFakeSlack();
  client = new webApi.WebClient("xoxb-fake", {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logger: quiet,
  });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const recipient = { recipient_team_id: "T0FAKE0001", recipient_user_id: "U0FAKEUSER1" };

async function thread(): Promise<string> {
  return String((await client.chat.postMessage({ channel: "C1", text: "root" })).ts);
}

describe("the fake Slack's text streaming (chat.startStream, appendStream, stopStream)", () => {
  it("streams a thread reply through the SDK's chatStream and refuses appends once it is stopped", async () => {
    const threadTs = await thread();
    const streamer = client.chatStream({ channel: "C1", thread_ts: threadTs, ...recipient, buffer_size: 1 });
    await streamer.append({ markdown_text: "Here is " });
    await streamer.append({ markdown_text: "your image." });
    await streamer.stop({ markdown_text: " Enjoy." });
    const message = fake.message("C1", String(streamer.ts));
    expect(message?.thread_ts).toBe(threadTs);
    expect(message?.text).toBe("Here is your image. Enjoy.");
    expect(message?.stream).toMatchObject({
      state: "stopped",
      appends: ["Here is ", "your image.", " Enjoy."],
    });
    const late = client.chat.appendStream({ channel: "C1", ts: String(streamer.ts), markdown_text: "more" });
    expect(await errorOf(late)).toBe("message_not_in_streaming_state");
  });

  it("refuses what Slack refuses: no thread, no recipient in a channel, mixed modes, too long a text", async () => {
    const threadTs = await thread();
    expect(await errorOf(client.chat.startStream({ channel: "C1" } as never))).toBe("invalid_arguments");
    expect(await errorOf(client.chat.startStream({ channel: "C1", thread_ts: threadTs }))).toBe(
      "missing_recipient_team_id",
    );
    // A DM needs no recipient.
    const dm = String((await client.chat.postMessage({ channel: "D1", text: "root" })).ts);
    expect(await errorOf(client.chat.startStream({ channel: "D1", thread_ts: dm, markdown_text: "a" }))).toBe(
      "ok",
    );
    const started = await client.chat.startStream({
      channel: "C1",
      thread_ts: threadTs,
      ...recipient,
      markdown_text: "a",
    });
    const ts = String(started.ts);
    const chunks = [{ type: "markdown_text" as const, text: "b" }];
    expect(await errorOf(client.chat.appendStream({ channel: "C1", ts, chunks }))).toBe(
      "streaming_mode_mismatch",
    );
    const both = client.chat.appendStream({ channel: "C1", ts, markdown_text: "b", chunks });
    expect(await errorOf(both)).toBe("cannot_provide_both_markdown_text_and_chunks");
    const long = client.chat.appendStream({ channel: "C1", ts, markdown_text: "x".repeat(12_001) });
    expect(await errorOf(long)).toBe("invalid_arguments");
    expect(await errorOf(client.chat.appendStream({ channel: "C1", ts: "1.2", markdown_text: "b" }))).toBe(
      "message_not_found",
    );
  });

  it("plays a workspace without streaming: the methods are unknown there", async () => {
    fake.refuseStreaming();
    const threadTs = await thread();
    const start = client.chat.startStream({
      channel: "C1",
      thread_ts: threadTs,
      ...recipient,
      markdown_text: "a",
    });
    expect(await errorOf(start)).toBe("unknown_method");
  });
});

describe("the fake Slack's assistant threads", () => {
  it("keeps an opened thread's status, prompts and title; a message the app posts there clears the status", async () => {
    const opened = fake.openAssistantThread("U0FAKEUSER1");
    const where = { channel_id: opened.channel, thread_ts: opened.threadTs };
    await client.assistant.threads.setStatus({
      ...where,
      status: "is drawing…",
      loading_messages: ["Mixing"],
    });
    expect(fake.assistantThread(opened.channel, opened.threadTs)).toMatchObject({
      status: "is drawing…",
      loadingMessages: ["Mixing"],
    });
    await client.chat.postMessage({ channel: opened.channel, thread_ts: opened.threadTs, text: "done" });
    await client.assistant.threads.setSuggestedPrompts({
      ...where,
      title: "Try",
      prompts: [{ title: "Fox", message: "a fox" }],
    });
    await client.assistant.threads.setTitle({ ...where, title: "A fox" });
    expect(fake.assistantThread(opened.channel, opened.threadTs)).toMatchObject({
      status: "",
      statuses: ["is drawing…", ""],
      title: "A fox",
      prompts: { title: "Try", prompts: [{ title: "Fox", message: "a fox" }] },
    });
  });

  it("refuses what Slack refuses: unknown threads, long statuses, more than 4 prompts, missing scopes", async () => {
    const opened = fake.openAssistantThread("U0FAKEUSER1");
    const where = { channel_id: opened.channel, thread_ts: opened.threadTs };
    const threads = client.assistant.threads;
    expect(await errorOf(threads.setStatus({ ...where, thread_ts: "9.9", status: "x" }))).toBe(
      "invalid_thread_ts",
    );
    expect(await errorOf(threads.setStatus({ ...where, status: "x".repeat(51) }))).toBe("invalid_arguments");
    const loading = Array.from({ length: 11 }, (_, i) => `m${i}`);
    expect(await errorOf(threads.setStatus({ ...where, status: "x", loading_messages: loading }))).toBe(
      "invalid_arguments",
    );
    const prompt = { title: "t", message: "m" };
    const five = Array.from({ length: 5 }, () => prompt);
    expect(await errorOf(threads.setSuggestedPrompts({ ...where, prompts: five as [typeof prompt] }))).toBe(
      "invalid_arguments",
    );
    const untitled = [{ title: "", message: "m" }] as [typeof prompt];
    expect(await errorOf(threads.setSuggestedPrompts({ ...where, prompts: untitled }))).toBe(
      "invalid_arguments",
    );

    const withoutAssistant = await startFakeSlack({
      scopes: BOT_SCOPES.filter((scope) => scope !== "assistant:write"),
    });
    try {
      const other = new webApi.WebClient("xoxb-fake", {
        slackApiUrl: withoutAssistant.apiUrl,
        retryConfig: { retries: 0 },
        logger: quiet,
      });
      const there = withoutAssistant.openAssistantThread("U0FAKEUSER1");
      const place = { channel_id: there.channel, thread_ts: there.threadTs };
      expect(await errorOf(other.assistant.threads.setTitle({ ...place, title: "t" }))).toBe("missing_scope");
      // setStatus takes chat:write as well, for now (its method page).
      expect(await errorOf(other.assistant.threads.setStatus({ ...place, status: "x" }))).toBe("ok");
    } finally {
      await withoutAssistant.close();
    }
  });
});
