import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, type SlackHarness, startSlackHarness, USER } from "./harness.js";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-buttons");
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const isResult = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");
const results = (count: number) =>
  waitFor(`${count} results`, () => {
    const done = h.slack.messages.filter((m) => m.bot_id && !m.files && !m.deleted && isResult(m));
    return done.length >= count ? done : undefined;
  });
const buttonValue = (message: FakeMessage, action: string) =>
  JSON.stringify(message.blocks).match(new RegExp(`"value":"(${action}:[\\w-]+)"`))?.[1] ?? "";
const click = (message: FakeMessage, action: string, user = USER) =>
  h.driver.clickButton({
    user,
    channel: CHANNEL,
    messageTs: message.ts,
    actionId: `imagine_${action}`,
    value: buttonValue(message, action),
  });

describe("result buttons", () => {
  it("work after a restart: Details privately, Delete for the requester only, Re-roll and Vary in the thread", async () => {
    await h.driver.slashCommand({ text: "a paper boat --quality low" });
    const [result] = await results(1);
    if (!result) throw new Error("no result");
    expect(buttonValue(result, "details")).toMatch(/^details:/);
    await h.restart();

    await click(result, "details");
    const details = await waitFor("details", () => h.slack.ephemerals[0]);
    expect(details.user).toBe(USER);
    expect(String(details.text)).toMatch(/Details of/);
    expect(String(details.text)).toContain("Parameters sent");
    expect(String(details.text)).toContain('"quality": "low"');

    await click(result, "delete", "U0SOMEONE02");
    const refused = await waitFor("refusal", () => h.slack.ephemerals[1]);
    expect(String(refused.text)).toContain(`Only <@${USER}>`);
    expect(h.slack.message(CHANNEL, result.ts)?.deleted).toBeFalsy();

    h.openai.reset();
    await click(result, "reroll");
    const afterReroll = await results(2);
    expect(afterReroll[1]?.thread_ts).toBe(result.ts);
    expect(h.openai.requests[0]?.json).toMatchObject({ prompt: "a paper boat", quality: "low" });

    h.openai.reset();
    await click(result, "vary");
    await results(3);
    expect(h.openai.requests[0]?.path).toMatch(/images\/edits$/);

    // The original's final, the re-roll's and the variation's, all shared in the result's thread.
    const shared = h.slack.messages.filter((m) => m.thread_ts === result.ts && m.files?.length);
    expect(shared).toHaveLength(3);
    await click(result, "delete");
    await waitFor("deletion", () => h.slack.message(CHANNEL, result.ts)?.deleted);
    // Delete removes the result and the file it shared, not the later runs' files.
    const deleted = h.slack.calls("files.delete").map((c) => (c.json as { file: string }).file);
    expect(deleted).toContain(shared[0]?.files?.[0]?.id);
    expect(deleted).not.toContain(shared[1]?.files?.[0]?.id);
  });

  it("delivers the final even when Slack rate-limits edits, waiting out retry-after", async () => {
    h.slack.rateLimit("chat.update", 1, 2);
    const started = Date.now();
    await h.driver.slashCommand({ text: "a windmill --partials 1" });
    const [result] = await results(1);
    expect(result).toBeDefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    const limited = h.slack.calls("chat.update").length;
    expect(limited).toBeGreaterThanOrEqual(3);
  });

  it("converts webp frames to png so image blocks can show them", async () => {
    await h.driver.slashCommand({ text: "a kettle --format webp --partials 1" });
    await results(1);
    const privateUploads = h.slack
      .calls("files.getUploadURLExternal")
      .map((c) => (c.json as { filename: string }).filename);
    expect(privateUploads.some((name) => /^frame_\d+\.png$/.test(name))).toBe(true);
    expect(privateUploads.some((name) => name.endsWith(".webp"))).toBe(true);
  });
});
