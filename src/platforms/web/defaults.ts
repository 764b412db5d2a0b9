import { operatorDefaults } from "../../config/load.js";
import type { RequestDefaults } from "../../core/validate-request.js";
// The store alone (Redis, no Discord SDK): a Discord person's `/settings` are theirs in the studio too.
import { SettingsStore } from "../discord/settings-store.js";
import type { PlatformContext } from "../platform.js";
import type { StudioUser } from "./studio-api.js";

/** What the person's untouched fields mean: the operator's defaults under their own `/settings` (Discord). */
export function personDefaults(context: PlatformContext, user: StudioUser): Promise<RequestDefaults> {
  const operator = operatorDefaults(context.config.openai);
  if (user.platform !== "discord") return Promise.resolve(operator);
  return new SettingsStore(context.redis, context.config.queuePrefix).defaults(user.id, operator);
}
