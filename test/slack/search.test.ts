import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { type SlackHarness, startSlackHarness, USER } from "./harness.js";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-search");
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const blocksOf = (m: FakeMessage | undefined) => JSON.stringify(m?.blocks ?? []);
const result = () =>
  waitFor("the result", () =>
    h.slack.messages.find(
      (m) => m.bot_id && !m.files && !m.deleted && blocksOf(m).includes("imagine_reroll"),
    ),
  );
const runIdOf = (m: FakeMessage | undefined) => blocksOf(m).match(/"value":"details:([\w-]+)"/)?.[1] ?? "";

describe("/imagine --search", () => {
  it("searches the web before drawing on the Responses API, lists the sources under the image and counts the search in the cost", async () => {
    await h.driver.slashCommand({ text: "tomorrow's weather in Lyon as a poster --search --partials 0" });
    const shown = await result();
    const [sent] = h.openai.requests.filter((r) => r.method === "POST");
    expect(sent?.path).toMatch(/\/responses$/);
    expect(sent?.json).toMatchObject({ tools: [{ type: "web_search" }, { type: "image_generation" }] });

    const context = (shown?.blocks ?? []).find((block) => JSON.stringify(block).includes("Sources:")) as
      | { type: string; elements: Array<{ text: string }> }
      | undefined;
    expect(context?.type).toBe("context");
    const base = "https://example.org/tomorrow-s-weather-in-lyon-as-a-poster";
    expect(context?.elements[0]?.text).toBe(
      [
        `Sources: <${base}/source-2|Source two about tomorrow's weather in Lyon as a poster>`,
        "<https://news.example.com/tomorrow-s-weather-in-lyon-as-a-poster|News: tomorrow's weather in Lyon as a poster>",
        `<${base}/source-1|example.org>`,
        `<${base}/source-3|example.org>`,
        `<${base}/source-4|example.org>`,
      ].join(" · "),
    );
    const metadata = await h.process.context.runs.getMetadata(runIdOf(shown));
    expect(metadata.cost).toMatchObject({ source: "usage", webSearches: 1 });
    expect(blocksOf(shown)).toMatch(/job [\w-]+ · <?\$\d/);
  });

  it.each([
    [
      "--api images",
      "Web search runs on the Responses API: use api responses with search, or leave api out.",
    ],
    ["--n 2", "A search grounds one image: set n to 1 with search (got n 2)."],
  ])("refuses --search with %s privately, in one sentence, spending nothing", async (flags, sentence) => {
    const reply = await h.driver.slashCommand({ text: `the news today --search ${flags}` });
    const body = reply.body ? (JSON.parse(reply.body) as { text?: string }) : {};
    const told = await waitFor("the sentence", () =>
      [body.text, ...h.slack.ephemerals.filter((e) => e.user === USER).map((e) => e.text)].find(
        (text) => typeof text === "string" && text.includes(sentence),
      ),
    );
    expect(told).toContain(sentence);
    expect(h.openai.requests).toEqual([]);
  });
});
