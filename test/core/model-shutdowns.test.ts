import { afterEach, describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.js";
import { addDays, isPast, isSoon, setShutdownDates, todayUtc } from "../../src/core/model-shutdowns.js";
import {
  comingShutdown,
  defaultModel,
  getModel,
  liveModelNames,
  retirementOf,
} from "../../src/core/models.js";
import { resolveRequest } from "../../src/core/validate-request.js";
import { modelNotices } from "../../src/render/model-notices.js";

const TODAY = "2026-12-07";

function thrown(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("expected a UserError");
}

afterEach(() => setShutdownDates(new Map()));

describe("the shutdown-date catalogue", () => {
  it("counts days in UTC: gone on the date itself, said within 14 days before it", () => {
    expect(todayUtc(new Date("2026-12-07T23:59:59Z"))).toBe("2026-12-07");
    expect(addDays("2026-12-25", 14)).toBe("2027-01-08");
    expect(isPast("2026-12-07", TODAY)).toBe(true);
    expect(isPast("2026-12-08", TODAY)).toBe(false);
    expect(isSoon("2026-12-08", TODAY)).toBe(true);
    expect(isSoon("2026-12-21", TODAY)).toBe(true);
    expect(isSoon("2026-12-22", TODAY)).toBe(false);
    expect(isSoon("2026-12-06", TODAY)).toBe(false);
  });

  it("refuses a model past its announced date as a retired one, naming the date and a role model", () => {
    setShutdownDates(new Map([["gpt-image-2", "2026-12-01"]]));
    const error = thrown(() => getModel("gpt-image-2", TODAY));
    expect(error.code).toBe("model_retired");
    expect(error.message).toBe(
      "Model gpt-image-2 was retired on 2026-12-01; use gpt-image-2.5-sunburst or gpt-image-2.5-flare instead.",
    );
    // Its dated snapshot goes with it; the other models stay.
    expect(thrown(() => getModel("gpt-image-2-2026-04-21", TODAY)).code).toBe("model_retired");
    expect(getModel("gpt-image-2.5-flare", TODAY).name).toBe("gpt-image-2.5-flare");
    expect(liveModelNames(TODAY)).not.toContain("gpt-image-2");
    // The day before, it was still served.
    expect(getModel("gpt-image-2", "2026-11-30").name).toBe("gpt-image-2");
  });

  it("offers the other role model, or any live one, when a role model itself shuts down", () => {
    setShutdownDates(new Map([["gpt-image-2.5-sunburst", "2026-12-05"]]));
    expect(retirementOf("gpt-image-2.5-sunburst", TODAY)?.replacements).toEqual(["gpt-image-2.5-flare"]);
    setShutdownDates(
      new Map([
        ["gpt-image-2.5-sunburst", "2026-12-05"],
        ["gpt-image-2.5-flare", "2026-12-05"],
      ]),
    );
    expect(retirementOf("gpt-image-2.5-sunburst", TODAY)?.replacements).toEqual([
      "gpt-image-2",
      "gpt-image-2.6-sunburst",
      "gpt-image-2.6-flare",
    ]);
  });

  it("says a shutdown within 14 days on the result, not one further off", () => {
    setShutdownDates(
      new Map([
        ["gpt-image-2", "2026-12-15"],
        ["gpt-image-2.6-flare", "2027-03-01"],
      ]),
    );
    expect(comingShutdown("gpt-image-2", TODAY)?.retiredOn).toBe("2026-12-15");
    expect(comingShutdown("gpt-image-2.6-flare", TODAY)).toBeUndefined();
    expect(modelNotices({ model: "gpt-image-2" }, TODAY)).toEqual([
      "gpt-image-2 shuts down on 2026-12-15; use gpt-image-2.5-sunburst or gpt-image-2.5-flare instead.",
    ]);
    expect(modelNotices({ model: "gpt-image-2.6-flare" }, TODAY)).toEqual([]);
  });
});

describe("a default naming a model that is gone", () => {
  it("maps a retired or shut-down default to its replacement and says so; an unknown one stays an error", () => {
    expect(defaultModel("gpt-image-1.5", TODAY)).toMatchObject({
      model: { name: "gpt-image-2.5-sunburst" },
      replaced: { model: "gpt-image-1.5", retiredOn: "2026-12-01" },
    });
    expect(defaultModel("gpt-image-1-mini", TODAY).model.name).toBe("gpt-image-2.5-flare");
    setShutdownDates(new Map([["gpt-image-2.6-flare", "2026-12-02"]]));
    expect(defaultModel("gpt-image-2.6-flare", TODAY)).toMatchObject({
      model: { name: "gpt-image-2.5-sunburst" },
      replaced: { model: "gpt-image-2.6-flare", retiredOn: "2026-12-02" },
    });
    expect(defaultModel("gpt-image-2", TODAY)).toEqual({ model: getModel("gpt-image-2") });
    expect(thrown(() => defaultModel("gpt-image-9", TODAY)).code).toBe("unknown_model");
  });

  it("resolves a request on the replacement with the notice, but refuses a model the person typed", () => {
    const saved = resolveRequest(
      { prompt: "a harbour" },
      { imageCount: 0, hasMask: false },
      { model: "gpt-image-1.5", modelFrom: "settings" },
    );
    expect(saved.model).toBe("gpt-image-2.5-sunburst");
    expect(saved.modelReplaced).toEqual({
      model: "gpt-image-1.5",
      retiredOn: "2026-12-01",
      from: "settings",
    });
    expect(modelNotices(saved)).toEqual([
      "Your saved model gpt-image-1.5 was retired on 2026-12-01; this used gpt-image-2.5-sunburst. Change it with /settings.",
    ]);
    const operator = resolveRequest(
      { prompt: "a harbour" },
      { imageCount: 0, hasMask: false },
      { model: "chatgpt-image-latest" },
    );
    expect(modelNotices(operator)).toEqual([
      "The bot's default model chatgpt-image-latest was retired on 2026-12-01; this used gpt-image-2.5-sunburst.",
    ]);
    const typed = thrown(() =>
      resolveRequest(
        { prompt: "a harbour", model: "gpt-image-1.5" },
        { imageCount: 0, hasMask: false },
        { model: "gpt-image-2" },
      ),
    );
    expect(typed.code).toBe("model_retired");
    expect(typed.message).toBe(
      "Model gpt-image-1.5 was retired on 2026-12-01; use gpt-image-2.5-sunburst instead.",
    );
  });
});
