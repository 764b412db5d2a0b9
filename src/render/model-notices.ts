import { todayUtc } from "../core/model-shutdowns.js";
import { comingShutdown } from "../core/models.js";
import { orList } from "../core/or-list.js";
import type { ImageRequest } from "../core/request.js";

/**
 * One-line notices about the model a result was made on: a default that named a retired model and was mapped
 * to its replacement, and a shutdown OpenAI announced within the next two weeks. Every platform and the CLI
 * show them under the facts line.
 */
export function modelNotices(
  request: Pick<ImageRequest, "model" | "modelReplaced">,
  today: string = todayUtc(),
): string[] {
  const notices: string[] = [];
  const replaced = request.modelReplaced;
  if (replaced?.from === "settings") {
    notices.push(
      `Your saved model ${replaced.model} was retired on ${replaced.retiredOn}; this used ${request.model}. Change it with /settings.`,
    );
  } else if (replaced) {
    notices.push(
      `The bot's default model ${replaced.model} was retired on ${replaced.retiredOn}; this used ${request.model}.`,
    );
  }
  const coming = comingShutdown(request.model, today);
  if (coming) {
    const instead = coming.replacements.length > 0 ? `; use ${orList(coming.replacements)} instead` : "";
    notices.push(`${request.model} shuts down on ${coming.retiredOn}${instead}.`);
  }
  return notices;
}
