import OpenAI, { BadRequestError } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "./openai/server.js";

let fake: FakeOpenAI;
let client: OpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  client = new OpenAI({ apiKey: "sk-test", baseURL: fake.url, maxRetries: 0 });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const imageTool = { type: "image_generation" as const, model: "gpt-image-2", size: "256x256" as const };

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

describe("the fake's web search", () => {
  it("streams the search before the image, with sources only when included, citations and its usage", async () => {
    const stream = await client.responses.create({
      model: "gpt-5.5",
      input: "the weather in Lyon",
      tools: [{ type: "web_search" }, imageTool],
      tool_choice: "required",
      include: ["web_search_call.action.sources"],
      stream: true,
    });
    const types: string[] = [];
    let done: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.completed") done = event.response;
    }
    expect(types.indexOf("response.web_search_call.completed")).toBeLessThan(
      types.indexOf("response.image_generation_call.in_progress"),
    );
    expect(types).toContain("response.output_text.annotation.added");
    const [search, image, message] = done?.output ?? [];
    expect(search).toMatchObject({
      type: "web_search_call",
      status: "completed",
      action: { type: "search", query: "the weather in Lyon" },
    });
    expect(
      search?.type === "web_search_call" && search.action.type === "search" && search.action.sources,
    ).toHaveLength(7);
    expect(image?.type).toBe("image_generation_call");
    expect(
      message?.type === "message" &&
        message.content[0]?.type === "output_text" &&
        message.content[0].annotations,
    ).toEqual([
      expect.objectContaining({
        type: "url_citation",
        url: "https://example.org/the-weather-in-lyon/source-2",
      }),
      expect.objectContaining({ type: "url_citation", url: "https://news.example.com/the-weather-in-lyon" }),
    ]);
    expect(done?.tool_usage?.web_search.num_requests).toBe(1);
  });

  it("lists no sources unless they are included, and makes no search when the image tool is forced", async () => {
    const plain = await client.responses.create({
      model: "gpt-5.5",
      input: "the weather in Lyon",
      tools: [{ type: "web_search" }, imageTool],
      tool_choice: "required",
    });
    const [search] = plain.output;
    expect(
      search?.type === "web_search_call" && search.action.type === "search" && search.action.sources,
    ).toBeUndefined();
    const forced = await client.responses.create({
      model: "gpt-5.5",
      input: "the weather in Lyon",
      tools: [{ type: "web_search" }, imageTool],
      tool_choice: { type: "image_generation" },
    });
    expect(forced.output.map((item) => item.type)).toEqual(["image_generation_call", "message"]);
    expect(forced.tool_usage?.web_search.num_requests).toBe(0);
  });

  it("refuses what the API refuses: an unknown include, an unknown search tool field, max_tool_calls below 1", async () => {
    const base = { model: "gpt-5.5", input: "x", tools: [{ type: "web_search" as const }, imageTool] };
    const badInclude = await rejection(
      client.responses.create({
        ...base,
        include: ["web_search_call.everything" as "web_search_call.results"],
      }),
    );
    expect(badInclude).toBeInstanceOf(BadRequestError);
    expect((badInclude as BadRequestError).param).toBe("include[0]");
    const badField = await rejection(
      client.responses.create({
        ...base,
        tools: [
          { type: "web_search", depth: "deep" } as unknown as OpenAI.Responses.WebSearchTool,
          imageTool,
        ],
      }),
    );
    expect((badField as BadRequestError).param).toBe("tools[0].depth");
    const badCount = await rejection(client.responses.create({ ...base, max_tool_calls: 0 }));
    expect((badCount as BadRequestError).param).toBe("max_tool_calls");
  });
});

describe("the fake's answers in words", () => {
  it("answers a question with text and no image call when the model may choose, and draws otherwise", async () => {
    const asked = await client.responses.create({
      model: "gpt-5.5",
      input: "what is a lighthouse?",
      tools: [{ ...imageTool, action: "auto" }],
      tool_choice: "auto",
    });
    expect(asked.output.map((item) => item.type)).toEqual(["message"]);
    expect(asked.output_text).toMatch(/^Turn 1 answer: you asked "what is a lighthouse\?"/);
    const forced = await client.responses.create({
      model: "gpt-5.5",
      input: "what is a lighthouse?",
      tools: [imageTool],
      tool_choice: { type: "image_generation" },
    });
    expect(forced.output.map((item) => item.type)).toEqual(["image_generation_call", "message"]);
  });
});
