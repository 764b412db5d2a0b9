import { describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.js";
import {
  getModel,
  MODEL_NAMES,
  MODELS,
  modelsWhere,
  PRESET_SIZES,
  RETIRED_MODELS,
} from "../../src/core/models.js";

function thrown(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("expected a UserError");
}

describe("the model capability table", () => {
  it("lists every current model the SDK names, with dated snapshots", () => {
    expect(MODEL_NAMES).toEqual([
      "gpt-image-2",
      "gpt-image-2.5-sunburst",
      "gpt-image-2.5-flare",
      "gpt-image-2.6-sunburst",
      "gpt-image-2.6-flare",
    ]);
    for (const snapshot of [
      "gpt-image-2-2026-04-21",
      "gpt-image-2.5-sunburst-2026-09-08",
      "gpt-image-2.5-flare-2026-09-08",
    ]) {
      const model = MODELS.get(snapshot);
      const alias = MODELS.get(model?.snapshotOf ?? "");
      expect(alias, snapshot).toBeDefined();
      expect({ ...model, name: "", snapshotOf: undefined }).toEqual({
        ...alias,
        name: "",
        snapshotOf: undefined,
      });
    }
  });

  it("follows the SDK's per-model sentences", () => {
    expect(modelsWhere((m) => m.qualities.includes("xhigh"))).toEqual([
      "gpt-image-2.5-sunburst",
      "gpt-image-2.5-flare",
    ]);
    expect(modelsWhere((m) => m.sizes.kind === "arbitrary")).toEqual([
      "gpt-image-2",
      "gpt-image-2.5-sunburst",
      "gpt-image-2.5-flare",
    ]);
    // input_fidelity went with the gpt-image-1.x line: no current model takes it.
    expect(modelsWhere((m) => m.fidelities.length > 0)).toEqual([]);
    expect(MODELS.get("gpt-image-2")?.transparent).toBe("preview");
    expect(modelsWhere((m) => m.markup)).toEqual(["gpt-image-2.5-sunburst", "gpt-image-2.5-flare"]);
    for (const model of MODELS.values()) {
      expect(model.maxInputImages).toBe(16);
      expect(model.formats).toEqual(expect.arrayContaining(["png", "jpeg", "webp"]));
      expect(model.qualities).toEqual(expect.arrayContaining(["auto", "low", "medium", "high"]));
    }
    expect(PRESET_SIZES).toEqual(["auto", "1024x1024", "1536x1024", "1024x1536"]);
  });

  it("finds a model whatever its case", () => {
    expect(getModel(" GPT-Image-2.5-Flare ").name).toBe("gpt-image-2.5-flare");
  });

  it("names the replacements of a retired model", () => {
    const error = thrown(() => getModel("gpt-image-1"));
    expect(error.code).toBe("model_retired");
    expect(error.message).toBe(
      "Model gpt-image-1 was retired on 2026-10-23; use gpt-image-2.5-sunburst or gpt-image-2.5-flare instead.",
    );
    for (const name of ["dall-e-2", "dall-e-3"]) {
      const dalle = thrown(() => getModel(name));
      expect(dalle.code).toBe("model_retired");
      expect(dalle.message).toMatch(/retired on 2026-05-12; use a GPT image model instead \(gpt-image-2, /);
    }
    expect([...RETIRED_MODELS.keys()]).toEqual([
      "gpt-image-1.5",
      "gpt-image-1-mini",
      "chatgpt-image-latest",
      "gpt-image-1",
      "dall-e-2",
      "dall-e-3",
    ]);
  });

  it("refuses the models shut down on 2026-12-01, each naming its replacement", () => {
    const cases = [
      ["gpt-image-1.5", "gpt-image-2.5-sunburst"],
      ["gpt-image-1-mini", "gpt-image-2.5-flare"],
      ["chatgpt-image-latest", "gpt-image-2.5-sunburst"],
    ];
    for (const [name, replacement] of cases) {
      const error = thrown(() => getModel(name ?? ""));
      expect(error.code).toBe("model_retired");
      expect(error.message).toBe(`Model ${name} was retired on 2026-12-01; use ${replacement} instead.`);
    }
  });

  it("lists the current models for an unknown one", () => {
    const error = thrown(() => getModel("gpt-image-9"));
    expect(error.code).toBe("unknown_model");
    expect(error.message).toMatch(
      /^Unknown model "gpt-image-9"; current models are gpt-image-2, .* or gpt-image-2\.6-flare\.$/,
    );
  });
});
