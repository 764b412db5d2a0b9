import type { Config } from "../config/types.js";
import { addDays, isPast, isSoon, todayUtc } from "../core/model-shutdowns.js";
import { MODEL_NAMES } from "../core/models.js";
import { createOpenAIClient, IDENTITY_PACKAGE } from "../engine/client.js";
import { readShutdownDates, type ShutdownDates } from "../engine/model-dates.js";
import type { CheckOutcome } from "./checks.js";

/** How a model's date reads in the doctor's line: none, coming (in n days), or past. */
function dateNote(date: string | undefined, today: string): string {
  if (date === undefined) return "no shutdown date";
  if (isPast(date, today)) return `shut down on ${date}, refused`;
  const days = Math.round((Date.parse(date) - Date.parse(today)) / 86_400_000);
  return `shuts down on ${date} (in ${days} days${isSoon(date, today) ? ", said on results" : ""})`;
}

/** What the operator should act on: the default model retired, gone or going, models the key cannot see. */
function warnings(config: Config, found: ShutdownDates, today: string): string[] {
  const { defaultImageModel, retiredDefaultModel } = config.openai;
  const said: string[] = [];
  if (retiredDefaultModel) {
    said.push(
      `DEFAULT_IMAGE_MODEL ${retiredDefaultModel.model} was retired on ${retiredDefaultModel.retiredOn}: the bot uses ${defaultImageModel}; set DEFAULT_IMAGE_MODEL=${defaultImageModel}`,
    );
  }
  const date = found.dates.get(defaultImageModel);
  if (date !== undefined && date <= addDays(today, 14))
    said.push(`DEFAULT_IMAGE_MODEL ${defaultImageModel} ${dateNote(date, today)}: choose another`);
  if (found.notFound.length > 0)
    said.push(`OpenAI answered 404 for ${found.notFound.join(", ")}: this key cannot use them`);
  return said;
}

/**
 * Each offered model's shutdown date as the bot reads it at start (`GET /models/{id}`), one model after another
 * on one line. A reading that fails is a failed check (the bot would start without dates); the default model
 * retired or shutting down, or models the key cannot see, are warnings.
 */
export async function checkModelDates(config: Config): Promise<CheckOutcome> {
  const openai = config.openai;
  if (!openai.readShutdownDates)
    return { name: "models", ok: true, detail: "OPENAI_SHUTDOWN_DATES=false: shutdown dates not read" };
  if (openai.provider === "azure")
    return { name: "models", ok: true, detail: "Azure OpenAI: deployments have no shutdown dates to read" };
  const today = todayUtc();
  const found = await readShutdownDates(createOpenAIClient(openai), openai);
  if (found.failure !== undefined) {
    return {
      name: "models",
      ok: false,
      detail: `cannot read shutdown dates (${found.failure}); the bot starts without them`,
    };
  }
  const perModel = MODEL_NAMES.map((model) => `${model}: ${dateNote(found.dates.get(model), today)}`);
  const warned = warnings(config, found, today);
  const detail = [...warned.map((warning) => `warning: ${warning}`), ...perModel].join("; ");
  return { name: "models", ok: true, detail, ...(warned.length > 0 ? { warning: true } : {}) };
}

/** Entra ID needs the optional `@azure/identity`: without it every job would fail. */
export async function checkEntraId(config: Config): Promise<CheckOutcome | undefined> {
  const openai = config.openai;
  if (openai.provider !== "azure" || !openai.azure.useEntraId) return undefined;
  try {
    // A variable specifier keeps TypeScript from requiring the package's types at build time.
    const specifier: string = IDENTITY_PACKAGE;
    await import(specifier);
    return {
      name: "entra",
      ok: true,
      detail: `${IDENTITY_PACKAGE} is installed for AZURE_OPENAI_USE_ENTRA_ID`,
    };
  } catch {
    return {
      name: "entra",
      ok: false,
      detail: `AZURE_OPENAI_USE_ENTRA_ID=true needs ${IDENTITY_PACKAGE}, which is not installed: run \`npm install ${IDENTITY_PACKAGE}\``,
    };
  }
}
