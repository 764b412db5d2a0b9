import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { setShutdownDates, shutdownDateOf } from "../../src/core/model-shutdowns.js";
import { getModel } from "../../src/core/models.js";
import { createOpenAIClient } from "../../src/engine/client.js";
import { keepShutdownDates, readShutdownDates } from "../../src/engine/model-dates.js";
import { createLogger } from "../../src/logger.js";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { openaiConfig } from "./helpers.js";

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI({ shutdownDates: { "gpt-image-2": "2026-12-15" } });
});
afterAll(() => fake.close());
afterEach(() => setShutdownDates(new Map()));

function capture() {
  const lines: { level: number; msg: string; failure?: string; notFound?: string[] }[] = [];
  const logger = createLogger("info", { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { lines, logger };
}

describe("reading the offered models' shutdown dates", () => {
  it("asks GET /models/{id} for every model of the table and keeps the announced dates", async () => {
    const config = openaiConfig(fake);
    const found = await readShutdownDates(createOpenAIClient(config), config);
    expect(found).toEqual({ dates: new Map([["gpt-image-2", "2026-12-15"]]), notFound: [] });
  });

  it("notes models OpenAI answers 404 for and reads on; stops at a failure that would repeat", async () => {
    const config = openaiConfig(fake);
    const client = createOpenAIClient(config);
    const found = await readShutdownDates(client, config, ["gpt-image-9", "gpt-image-2"]);
    expect(found.notFound).toEqual(["gpt-image-9"]);
    expect(found.dates.get("gpt-image-2")).toBe("2026-12-15");
    const nowhere = openaiConfig(fake, { baseURL: "http://127.0.0.1:1/v1", timeoutMs: 2_000 });
    const cut = await readShutdownDates(createOpenAIClient(nowhere), nowhere, [
      "gpt-image-2",
      "gpt-image-2.5-flare",
    ]);
    expect(cut.failure).toMatch(/connection/i);
    expect(cut.dates.size).toBe(0);
  });

  it("sets the process's catalogue at start; a failed reading keeps the last dates and is logged once", async () => {
    const { lines, logger } = capture();
    (await keepShutdownDates({ ...openaiConfig(fake), readShutdownDates: true }, logger))();
    expect(shutdownDateOf("gpt-image-2")).toBe("2026-12-15");
    expect(() => getModel("gpt-image-2", "2026-12-15")).toThrow(/retired on 2026-12-15/);
    expect(lines.filter((line) => line.level >= 40)).toEqual([]);

    const nowhere = openaiConfig(fake, { baseURL: "http://127.0.0.1:1/v1", timeoutMs: 2_000 });
    (await keepShutdownDates({ ...nowhere, readShutdownDates: true }, logger))();
    expect(shutdownDateOf("gpt-image-2")).toBe("2026-12-15");
    const warned = lines.filter((line) => line.level === 40);
    expect(warned).toHaveLength(1);
    expect(warned[0]?.failure).toMatch(/connection/i);
  });

  it("reads nothing with OPENAI_SHUTDOWN_DATES=false", async () => {
    fake.reset();
    (await keepShutdownDates({ ...openaiConfig(fake), readShutdownDates: false }, capture().logger))();
    expect(fake.requests).toHaveLength(0);
    expect(shutdownDateOf("gpt-image-2")).toBeUndefined();
  });
});
