import { modelNotFound } from "./errors.js";
import { sendJson } from "./http.js";
import type { FakeState, RouteContext } from "./state.js";

/**
 * The models the fake serves, as `GET /models` lists them for an organisation with access to all: the image
 * models (aliases and dated snapshots) and the Responses text models. `created` is one fixed time.
 */
const SERVED = [
  "gpt-image-2",
  "gpt-image-2-2026-04-21",
  "gpt-image-2.5-sunburst",
  "gpt-image-2.5-sunburst-2026-09-08",
  "gpt-image-2.5-flare",
  "gpt-image-2.5-flare-2026-09-08",
  "gpt-image-2.6-sunburst",
  "gpt-image-2.6-flare",
  "gpt-5.5",
  "gpt-5.4",
  "gpt-4.1",
  "gpt-4o",
];
const CREATED = 1_767_225_600;

/** Shut down or retired: the real API answers 404 model_not_found for these (and lists them no more). */
export const RETIRED = new Set([
  "gpt-image-1",
  "gpt-image-1.5",
  "gpt-image-1-mini",
  "chatgpt-image-latest",
  "dall-e-2",
  "dall-e-3",
]);

const today = () => new Date().toISOString().slice(0, 10);

/** Whether the API refuses `model` today: retired for good, or past the shutdown date a test set for it. */
export function modelGone(state: Pick<FakeState, "shutdownDates">, model: string): boolean {
  const date = state.shutdownDates.get(model);
  return RETIRED.has(model) || (date !== undefined && date <= today());
}

/** The spec's Model object; `shutdown_date` is null unless announced. */
function modelObject(state: FakeState, id: string) {
  const shutdownDate = state.shutdownDates.get(id) ?? null;
  return { id, object: "model", created: CREATED, owned_by: "openai", shutdown_date: shutdownDate };
}

/**
 * `GET /models/{id}`: any served model, with its shutdown date even once it has passed (as the spec's examples
 * list a dated model); the retired ones answer 404 model_not_found, as OpenAI does.
 */
export function handleRetrieveModel(ctx: RouteContext): Promise<void> {
  const id = ctx.id ?? "";
  if (!SERVED.includes(id) || RETIRED.has(id)) throw modelNotFound(id);
  return sendJson(ctx.x, 200, modelObject(ctx.state, id));
}

/** `GET /models`: the served models, each with its date. */
export function handleListModels(ctx: RouteContext): Promise<void> {
  const data = SERVED.filter((id) => !RETIRED.has(id)).map((id) => modelObject(ctx.state, id));
  return sendJson(ctx.x, 200, { object: "list", data });
}

/** A shutdown date as the spec writes it (`YYYY-MM-DD`), checked so a test's typo fails loudly. */
export function checkShutdownDate(model: string, date: string | null): void {
  if (date !== null && !/^\d{4}-\d\d-\d\d$/.test(date))
    throw new Error(`fake OpenAI: shutdown date of ${model} must be YYYY-MM-DD or null, not ${date}`);
}
