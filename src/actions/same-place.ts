import { userError } from "../core/errors.js";
import type { JobSpec } from "../core/job-spec.js";

/** Where a press comes from: the platform, its server or workspace (none in a Discord DM), who pressed. */
export interface ClickPlace {
  platform: string;
  workspace: string | undefined;
  user: string;
}

/**
 * A button acts only where its run was made: same platform, same Discord server or Slack workspace. A run made
 * outside any server (a Discord DM) belongs to that person's conversation with the bot, so only they act on
 * it, and only outside a server. Anything else (a forwarded message, a crafted click) is refused before
 * anything is queued, deleted or shown.
 * @param origin who asked for the run and where (the job's `user`); undefined when the run is unknown, which
 *   the action itself reports.
 * @throws `UserError` (`button_elsewhere`) when the press comes from elsewhere.
 */
export function requireSamePlace(origin: JobSpec["user"] | undefined, place: ClickPlace): void {
  if (origin === undefined || madeHere(origin, place)) return;
  throw userError("button_elsewhere");
}

/** Whether a run asked for by `origin` was made where `place` is (see `requireSamePlace`). */
export function madeHere(origin: JobSpec["user"], place: ClickPlace): boolean {
  const samePlace = origin.platform === place.platform && origin.workspace === place.workspace;
  const owner = origin.workspace !== undefined || origin.id === place.user;
  return samePlace && owner;
}
