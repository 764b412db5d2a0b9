import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SLACK_REQUEST_WINDOW_S, seenSignatureKey } from "../../src/platforms/slack/replay-guard.js";
import type { SentRequest } from "../fakes/slack/driver.js";
import type { FakeMessage } from "../fakes/slack/server.js";
import { testRedis } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";
import { type SlackHarness, startSlackHarness } from "./harness.js";

/**
 * Slack's HTTP mode against a captured request: real Bolt's receiver behind the replay guard, on the real Redis
 * where the signatures seen are kept, the driver sending what Slack (or an attacker who captured it) sends.
 */
let h: SlackHarness;
const redis = testRedis();
beforeAll(async () => {
  h = await startSlackHarness("slack-replay");
});
afterAll(async () => {
  redis.disconnect();
  await h.close();
});
beforeEach(() => h.reset());

const hasButtons = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");
const prompts = () => h.openai.requests.map((request) => (request.json as { prompt?: string }).prompt);
const nowS = () => Math.floor(Date.now() / 1000);

/** Sends `/imagine <text>` as Slack does and waits for its result: the barrier after requests refused. */
async function imagineAndWait(text: string): Promise<void> {
  expect((await h.driver.slashCommand({ text })).status).toBe(200);
  await waitFor("the result", () =>
    h.slack.messages.find((m) => m.bot_id && hasButtons(m) && JSON.stringify(m.blocks).includes(text)),
  );
  await h.idle();
}

function signatureOf(request: SentRequest): string {
  return request.headers["x-slack-signature"] ?? "";
}

describe("Slack HTTP mode against replays", () => {
  it("refuses a signed request sent again, in this process or the next, and runs it once", async () => {
    await imagineAndWait("a replayed lighthouse");
    const captured = h.driver.lastSent;
    if (captured === undefined) throw new Error("nothing was sent");

    const replay = await h.driver.resend(captured);
    expect(replay).toEqual({ status: 401, body: "" });
    // Remembered in Redis, shared by every bot process, until the request would be stale anyway.
    const ttl = await redis.pttl(seenSignatureKey(h.config.queuePrefix, signatureOf(captured)));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual((SLACK_REQUEST_WINDOW_S + 1) * 1000);

    await h.restart();
    expect((await h.driver.resend(captured)).status).toBe(401);

    await imagineAndWait("a fresh lighthouse");
    expect(prompts()).toEqual(["a replayed lighthouse", "a fresh lighthouse"]);
    const warnings = h.logs.filter((record) => /already received \(a replay\)/.test(record.msg));
    expect(warnings).toHaveLength(2);
    expect(JSON.stringify(h.logs)).not.toContain(signatureOf(captured).slice(3));
  });

  it("refuses a request dated more than 5 minutes ahead or behind, and takes one a minute ahead", async () => {
    const ahead = await h.driver.slashCommand({ text: "a cat from the future" }, { timestamp: nowS() + 400 });
    expect(ahead).toEqual({ status: 401, body: "" });
    const aheadSignature = signatureOf(h.driver.lastSent ?? { body: "", headers: {} });
    // Bolt's own check: older than 5 minutes.
    const stale = await h.driver.slashCommand({ text: "a cat from the past" }, { timestamp: nowS() - 400 });
    expect(stale).toEqual({ status: 401, body: "" });
    // A clock a minute fast is not an attack.
    expect(
      (await h.driver.slashCommand({ text: "a slightly early cat" }, { timestamp: nowS() + 60 })).status,
    ).toBe(200);

    await imagineAndWait("a cat on time");
    expect(prompts().sort()).toEqual(["a cat on time", "a slightly early cat"]);
    expect(h.logs.filter((record) => /more than 5 minutes ahead/.test(record.msg))).toHaveLength(1);
    expect(JSON.stringify(h.logs)).not.toContain(aheadSignature.slice(3));
  });
});
