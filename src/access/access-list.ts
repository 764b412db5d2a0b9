import { type UserError, userError } from "../core/errors.js";

/**
 * Who may use the bot where, as the operator configured it. Each list is ids; an empty list allows everyone,
 * so a bot with no lists set behaves as before. Platform-neutral: Discord fills `roles` (a guild's roles) and
 * leaves `users` empty, Slack fills `users` and leaves `roles` empty.
 */
export interface AccessList {
  /** Discord guilds or Slack workspaces (teams). */
  workspaces: readonly string[];
  /** Channels; a thread counts as the channel it belongs to. */
  channels: readonly string[];
  users: readonly string[];
  /** Any one of them lets a person in. */
  roles: readonly string[];
}

export const OPEN_ACCESS: AccessList = { workspaces: [], channels: [], users: [], roles: [] };

/** Where a request comes from. Absent workspace or channel (a DM without a guild) is allowed only by empty lists. */
export interface RequestPlace {
  workspace?: string | undefined;
  channel?: string | undefined;
  user: string;
  roles?: readonly string[] | undefined;
}

export type AccessRefusal = "workspace" | "channel" | "user" | "role";

export type AccessVerdict = { allowed: true } | { allowed: false; reason: AccessRefusal };

const within = (list: readonly string[], id: string | undefined) =>
  list.length === 0 || (id !== undefined && list.includes(id));

/** The rule, checked broadest first so the answer names the broadest reason. */
export function checkAccess(list: AccessList, place: RequestPlace): AccessVerdict {
  if (!within(list.workspaces, place.workspace)) return { allowed: false, reason: "workspace" };
  if (!within(list.channels, place.channel)) return { allowed: false, reason: "channel" };
  if (!within(list.users, place.user)) return { allowed: false, reason: "user" };
  const roles = place.roles ?? [];
  if (list.roles.length > 0 && !roles.some((role) => list.roles.includes(role))) {
    return { allowed: false, reason: "role" };
  }
  return { allowed: true };
}

/** The refusal as the person reads it; the ids stay in the log, not in the sentence. */
export function accessRefusal(reason: AccessRefusal): UserError {
  return userError("not_enabled_here", { reason }, { details: { reason } });
}

/** @throws `UserError` (`not_enabled_here`) when the place is not on the lists; nothing has been done yet. */
export function requireAccess(list: AccessList, place: RequestPlace): void {
  const verdict = checkAccess(list, place);
  if (!verdict.allowed) throw accessRefusal(verdict.reason);
}
