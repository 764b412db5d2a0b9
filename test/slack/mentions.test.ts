import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, mentionBot, type SlackHarness, startSlackHarness, USER } from "./harness.js";

/** Slack's mention syntax, as a prompt can hold it: everyone, the channel, here, a person. */
const PINGS = "<!everyone> <!channel> <!here> <@U0SOMEONE02>";
const ESCAPED = "&lt;!everyone&gt; &lt;!channel&gt; &lt;!here&gt; &lt;@U0SOMEONE02&gt;";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-mentions");
});
afterAll(() => h.close());

/** Every mrkdwn text of a message or answer: its `text` and the text objects of its blocks. */
function mrkdwnTexts(message: Record<string, unknown>): string[] {
  const texts = typeof message.text === "string" ? [message.text] : [];
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    const object = node as Record<string, unknown>;
    if (object.type === "mrkdwn" && typeof object.text === "string") texts.push(object.text);
    for (const child of Object.values(object)) visit(child);
  };
  visit(message.blocks);
  return texts;
}

const isResult = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");

describe("text from people reaches Slack escaped", () => {
  it("a prompt's mentions are shown as typed and ping nobody: status, result, thread reply, Details, refusals", async () => {
    await h.driver.slashCommand({ text: `${PINGS} a kite --partials 1` });
    const result = await waitFor("the result", () => h.slack.messages.find((m) => m.bot_id && isResult(m)));
    // The prompt itself reaches OpenAI as typed.
    expect(h.openai.requests[0]?.json).toMatchObject({ prompt: `${PINGS} a kite` });
    // A thread reply that mentions the bot: a Responses turn, its status and result in the thread.
    await mentionBot(h.slack, h.driver, { text: `${PINGS} make it red`, threadTs: result.ts });
    await waitFor("the thread's result", () =>
      h.slack.messages.find((m) => m.bot_id && isResult(m) && m.thread_ts === result.ts),
    );
    // Details, answered privately.
    const details = JSON.stringify(result.blocks).match(/"value":"(details:[\w-]+)"/)?.[1] ?? "";
    await h.driver.clickButton({
      user: USER,
      channel: CHANNEL,
      messageTs: result.ts,
      actionId: "imagine_details",
      value: details,
    });
    await waitFor("the details", () => h.slack.ephemerals.length > 0);
    // A refusal that quotes what was typed, in the command's own answer.
    const refused = await h.driver.slashCommand({ text: `a kite --size ${PINGS}` });
    await h.idle();

    const sent = [
      ...h.slack.calls("chat.postMessage"),
      ...h.slack.calls("chat.update"),
      ...h.slack.calls("chat.postEphemeral"),
    ].map((call) => call.json as Record<string, unknown>);
    const texts = [...sent, ...h.slack.responses, JSON.parse(refused.body)].flatMap(mrkdwnTexts);
    for (const text of texts) {
      expect(text).not.toMatch(/<!(everyone|channel|here)>|<@U0SOMEONE02>/);
    }
    // Each place showed the prompt, escaped: the status, the result, the thread turn, Details, the refusal.
    expect(texts.filter((text) => text.includes(`${ESCAPED} a kite`)).length).toBeGreaterThanOrEqual(3);
    expect(texts.some((text) => text.includes(`${ESCAPED} make it red`))).toBe(true);
    expect(h.slack.ephemerals.some((answer) => String(answer.text).includes(`Prompt:* ${ESCAPED}`))).toBe(
      true,
    );
    expect(JSON.parse(refused.body).text).toContain("&lt;!everyone&gt;");
  });
});
