import type { SlackDeps } from "./deps.js";

/**
 * The bot's admins in a workspace: the members in `SLACK_ADMIN_USER_IDS` (Slack has no per-channel admin the
 * bot could ask). They may cancel anyone's job, forget anyone's thread, and see and set the workspace's usage.
 */
export function isSlackAdmin(deps: SlackDeps, user: string): boolean {
  return (deps.context.config.slack?.adminUserIds ?? []).includes(user);
}
