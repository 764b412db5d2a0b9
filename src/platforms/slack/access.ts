import { OPEN_ACCESS, requireAccess } from "../../access/access-list.js";
import type { ClickPlace } from "../../actions/same-place.js";
import type { SlackDeps } from "./deps.js";

/** Where a Slack request comes from: the team (workspace), the channel (a thread is in its channel), the person. */
export interface SlackPlace {
  team: string | undefined;
  channel: string | undefined;
  user: string;
}

/**
 * The access lists (`SLACK_ALLOWED_*`), checked before anything is fetched, reserved or queued.
 * @throws `UserError` (`not_enabled_here`), which `guarded` (or the listener) answers privately.
 */
export function requireSlackAccess(deps: SlackDeps, place: SlackPlace): void {
  requireAccess(deps.context.config.slack?.access ?? OPEN_ACCESS, {
    workspace: place.team || undefined,
    channel: place.channel || undefined,
    user: place.user,
  });
}

/** Where a button is clicked, for `requireSamePlace`: the clicker's workspace and the clicker. */
export function clickPlace(team: string | undefined, user: string): ClickPlace {
  return { platform: "slack", workspace: team || undefined, user };
}
