import { describe, expect, it } from "vitest";
import { parseFlagText } from "../../commands/flag-text.js";
import { imagineCommand, parseImagineOptions } from "../../commands/imagine.js";
import { parseCliArgs } from "../../src/cli/args.js";
import { resolveRequest } from "../../src/core/validate-request.js";

const defaults = { model: "gpt-image-2", draftModel: "gpt-image-2.5-flare" };
const noInputs = { imageCount: 0, hasMask: false };
const typed = (text: string) => parseImagineOptions(parseFlagText(imagineCommand, text).raw);

describe("drafts", () => {
  it("run on the draft model at low quality with partials, and say so", () => {
    const request = resolveRequest({ prompt: "a fox", draft: true }, noInputs, defaults);
    expect(request).toMatchObject({ model: "gpt-image-2.5-flare", quality: "low", draft: true });
    expect(request.partials).toBeGreaterThanOrEqual(1);
  });

  it("fill only what the person did not give: an explicit model or quality wins", () => {
    const request = resolveRequest(
      { prompt: "a fox", draft: true, model: "gpt-image-2", quality: "medium", partials: 3 },
      noInputs,
      defaults,
    );
    expect(request).toMatchObject({ model: "gpt-image-2", quality: "medium", partials: 3, draft: true });
  });

  it("come from a person's saved default, and a request can say no to it", () => {
    const saved = { ...defaults, draft: true, quality: "high" as const };
    expect(resolveRequest({ prompt: "a fox" }, noInputs, saved)).toMatchObject({
      model: "gpt-image-2.5-flare",
      quality: "low",
      draft: true,
    });
    const finished = resolveRequest({ prompt: "a fox", draft: false }, noInputs, saved);
    expect(finished).toMatchObject({ model: "gpt-image-2", quality: "high" });
    expect(finished.draft).toBeUndefined();
  });

  it("are not marked when not asked for", () => {
    expect(resolveRequest({ prompt: "a fox" }, noInputs, defaults).draft).toBeUndefined();
  });

  it("are a switch in Slack's flags and the CLI: --draft alone, or with true or false", () => {
    expect(typed("a fox --draft")).toMatchObject({ prompt: "a fox", draft: true });
    expect(typed("--draft a fox")).toMatchObject({ prompt: "a fox", draft: true });
    expect(typed("a fox --draft false")).toMatchObject({ prompt: "a fox", draft: false });
    expect(typed("a fox --draft=TRUE --n 2")).toMatchObject({ draft: true, n: 2 });
    expect(parseImagineOptions(parseCliArgs(["a fox", "--draft"]).options)).toMatchObject({ draft: true });
  });
});
