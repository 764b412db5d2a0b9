import type { Config } from "../../config/types.js";

/** A way to sign in with a chat account (OAuth2): a button on the sign-in page, `/studio/auth/<id>`. */
export interface SignInProvider {
  id: "discord" | "slack";
  label: string;
}

/**
 * The providers this configuration offers. None: single-operator mode, where the studio prints a one-time
 * sign-in link at start (`operator-link.ts`).
 */
export function signInProviders(_config: Config): SignInProvider[] {
  return [];
}
