import type { Config } from "../../config/types.js";
import type { Logger } from "../../logger.js";
import { discordSignIn } from "./sign-in-discord.js";
import type { SignInProvider } from "./sign-in-provider.js";
import { slackSignIn } from "./sign-in-slack.js";

export type { SignInProvider } from "./sign-in-provider.js";

/**
 * The providers this configuration offers: Discord with `WEB_DISCORD_CLIENT_SECRET`, Slack with
 * `WEB_SLACK_CLIENT_ID`/`_SECRET`. None: single-operator mode, where the studio prints a one-time sign-in link
 * at start (`operator-link.ts`).
 */
export function signInProviders(config: Config, logger: Logger): SignInProvider[] {
  const providers: SignInProvider[] = [];
  const discord = config.discord;
  if (discord?.signInSecret !== undefined && discord.applicationId !== undefined) {
    const { applicationId, signInSecret } = discord;
    providers.push(discordSignIn({ ...discord, applicationId, signInSecret }));
  }
  const slack = config.slack;
  if (slack?.signIn !== undefined) providers.push(slackSignIn({ ...slack, signIn: slack.signIn }, logger));
  return providers;
}
