import { createHash } from "node:crypto";
import type { StudioUser } from "./studio-api.js";

/**
 * A chat platform people sign in to the studio with (OAuth2 / OpenID Connect, authorization code flow): the
 * page it sends the browser to, and the person the bot knows, from the code the browser brings back.
 */
export interface SignInProvider {
  id: "discord" | "slack";
  /** The sign-in page's button: "Sign in with Discord". */
  label: string;
  authorizeUrl(state: string, redirectUri: string): string;
  /**
   * Trades the code (once) for the person: their platform id, name and admin right, after the operator's access
   * lists. `state` is the one the callback checked, which the request was bound to (Slack's `nonce`).
   * @throws `UserError` (`sign_in_refused`, `sign_in_unavailable`, `sign_in_not_allowed`).
   */
  userFor(code: string, redirectUri: string, state: string): Promise<StudioUser>;
}

/** The `nonce` an OpenID request carries: bound to the state, so an id token made for another sign-in is refused. */
export function nonceFor(state: string): string {
  return createHash("sha256").update(`nonce:${state}`).digest("base64url");
}

/** `https://discord.com` for `https://discord.com/api`: the provider's pages live on its API's origin. */
export function originOf(apiUrl: string | undefined, fallback: string): string {
  return new URL(apiUrl ?? fallback).origin;
}
