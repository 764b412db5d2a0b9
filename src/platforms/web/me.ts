import { IMAGINE_OPTIONS } from "../../core/imagine-options.js";
import { LIMITS } from "../../core/limits.js";
import { liveModelNames, MODELS } from "../../core/models.js";
import type { RequestDefaults } from "../../core/validate-request.js";
import type { StudioMe, StudioModel, StudioOption, StudioUser } from "./studio-api.js";

/** Every option of `/imagine` but the prompt (a field of its own) and files (dropped on the page). */
function studioOptions(): StudioOption[] {
  return IMAGINE_OPTIONS.filter((option) => option.name !== "prompt" && option.type !== "attachment").map(
    (option) => ({
      name: option.name,
      description: option.description,
      type: option.type as StudioOption["type"],
      ...(option.choices
        ? { choices: option.choices.map((choice) => ({ name: choice, value: choice })) }
        : {}),
      ...(option.min !== undefined ? { min: option.min } : {}),
      ...(option.max !== undefined ? { max: option.max } : {}),
      ...(option.required ? { required: true } : {}),
    }),
  );
}

function studioModels(): StudioModel[] {
  return liveModelNames().flatMap((name) => {
    const model = MODELS.get(name);
    return model ? [{ name, markup: model.markup, edits: model.maxInputImages > 0 }] : [];
  });
}

/** `GET /studio/api/me`: who is signed in, their form token, and what the page draws its form from. */
export function studioMe(
  user: StudioUser,
  csrf: string,
  defaults: Required<Pick<RequestDefaults, "model" | "api">>,
): StudioMe {
  return {
    user,
    csrf,
    options: studioOptions(),
    models: studioModels(),
    defaults: { model: defaults.model, api: defaults.api },
    limits: { maxImages: LIMITS.maxInputImages, maxFileBytes: LIMITS.maxImageBytes },
  };
}
