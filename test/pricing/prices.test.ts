import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { ConfigError } from "../../src/config/types.js";
import { MODELS } from "../../src/core/models.js";
import { DEFAULT_PRICES, pricesFor, withOverrides } from "../../src/pricing/prices.js";

function configProblems(prices: string, extra: Record<string, string> = {}): string[] {
  try {
    loadConfig({ OPENAI_API_KEY: "sk-test", OPENAI_PRICES: prices, ...extra });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("price table", () => {
  it("prices every model of the capability table, snapshots through their alias", () => {
    for (const name of MODELS.keys()) expect(pricesFor(DEFAULT_PRICES, name), name).toBeDefined();
    expect(pricesFor(DEFAULT_PRICES, "gpt-image-2-2026-04-21")).toBe(DEFAULT_PRICES["gpt-image-2"]);
    expect(pricesFor(DEFAULT_PRICES, " GPT-Image-2 ")).toBe(DEFAULT_PRICES["gpt-image-2"]);
    expect(pricesFor(DEFAULT_PRICES, "gpt-image-9")).toBeUndefined();
  });

  it("carries DESIGN.md's public prices for gpt-image-2 and 2.5", () => {
    for (const model of ["gpt-image-2", "gpt-image-2.5-flare", "gpt-image-2.5-sunburst"]) {
      expect(DEFAULT_PRICES[model]).toMatchObject({ textInput: 5, imageInput: 8, imageOutput: 30 });
    }
  });

  it("merges overrides field by field over the defaults", () => {
    const { table, problems } = withOverrides({ "gpt-image-2": { imageOutput: 25 } });
    expect(problems).toEqual([]);
    expect(table["gpt-image-2"]).toEqual({ ...DEFAULT_PRICES["gpt-image-2"], imageOutput: 25 });
    expect(table["gpt-image-2.5-flare"]).toEqual(DEFAULT_PRICES["gpt-image-2.5-flare"]);
    expect(DEFAULT_PRICES["gpt-image-2"]?.imageOutput).toBe(30);
  });

  it("adds the configured Responses model when both text prices are given", () => {
    const added = withOverrides({ "gpt-6": { textInput: 4, textOutput: 20 } }, ["gpt-6"]);
    expect(added.problems).toEqual([]);
    // Its searches at the dearer known rate until the operator says otherwise.
    expect(added.table["gpt-6"]).toEqual({
      textInput: 4,
      imageInput: 4,
      imageOutput: 0,
      textOutput: 20,
      webSearchCalls: 25,
    });
    const priced = withOverrides({ "gpt-6": { textInput: 4, textOutput: 20, webSearchCalls: 12 } }, [
      "gpt-6",
    ]);
    expect(priced.table["gpt-6"]?.webSearchCalls).toBe(12);
    expect(withOverrides({ "gpt-6": { textInput: 4 } }, ["gpt-6"]).problems).toEqual([
      expect.stringMatching(/^gpt-6: has no default prices; set at least textInput and textOutput/),
    ]);
  });

  it("reports unknown models and snapshots", () => {
    expect(withOverrides({ "gpt-image-9": { imageOutput: 1 } }).problems).toEqual([
      expect.stringMatching(/^gpt-image-9: unknown model; prices can be set for gpt-image-2, /),
    ]);
    expect(withOverrides({ "gpt-image-2-2026-04-21": { imageOutput: 1 } }).problems).toEqual([
      "gpt-image-2-2026-04-21: a snapshot is priced as gpt-image-2; set gpt-image-2 instead",
    ]);
  });
});

describe("OPENAI_PRICES", () => {
  it("is optional and exposes the merged table on the config", () => {
    expect(loadConfig({ OPENAI_API_KEY: "sk-test" }).prices).toEqual(DEFAULT_PRICES);
    const config = loadConfig({
      OPENAI_API_KEY: "sk-test",
      OPENAI_PRICES: '{"gpt-image-2":{"imageOutput":20}}',
    });
    expect(config.prices["gpt-image-2"]?.imageOutput).toBe(20);
  });

  it("names what is wrong: bad JSON, negative or non-numeric prices, unknown fields and models", () => {
    expect(configProblems("{gpt-image-2")).toEqual([expect.stringMatching(/^OPENAI_PRICES: must be JSON/)]);
    expect(configProblems('{"gpt-image-2":{"imageOutput":-1}}')).toEqual([
      "OPENAI_PRICES: gpt-image-2.imageOutput: must not be negative",
    ]);
    expect(configProblems('{"gpt-image-2":{"imageOutput":"30"}}')).toEqual([
      expect.stringMatching(/^OPENAI_PRICES: gpt-image-2.imageOutput: must be a number/),
    ]);
    expect(configProblems('{"gpt-image-2":{"imageOut":30}}')).toEqual([
      expect.stringMatching(/^OPENAI_PRICES: gpt-image-2: .*imageOut/),
    ]);
    expect(configProblems("[1]")).toEqual([expect.stringMatching(/^OPENAI_PRICES: must be a JSON object/)]);
    expect(configProblems('{"gpt-image-9":{"imageOutput":30}}')).toEqual([
      expect.stringMatching(/^OPENAI_PRICES: gpt-image-9: unknown model/),
    ]);
  });

  it("accepts prices for the configured Responses model", () => {
    const config = loadConfig({
      OPENAI_API_KEY: "sk-test",
      RESPONSES_MODEL: "gpt-6",
      OPENAI_PRICES: '{"gpt-6":{"textInput":4,"textOutput":20}}',
    });
    expect(config.prices["gpt-6"]?.textOutput).toBe(20);
  });
});
