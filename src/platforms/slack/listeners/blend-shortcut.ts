import type { App, MessageShortcut, SlackShortcutMiddlewareArgs } from "@slack/bolt";
import { requireSlackAccess } from "../access.js";
import { type BlendTarget, blendMessage } from "../blend.js";
import type { SlackDeps } from "../deps.js";
import { guarded } from "./guard.js";

export const BLEND_SHORTCUT = "imagine_blend";

/**
 * The "Blend images" message shortcut: blends the message's 2 to 5 images at once, in its thread. A refusal is
 * answered privately through the shortcut's response_url (`guarded`).
 */
export function registerBlendShortcut(app: App, deps: SlackDeps): void {
  app.shortcut(
    { callback_id: BLEND_SHORTCUT, type: "message_action" },
    guarded<SlackShortcutMiddlewareArgs<MessageShortcut>>(deps, async ({ shortcut, ack }) => {
      await ack();
      const target: BlendTarget = {
        team: shortcut.team?.id ?? "",
        channel: shortcut.channel.id,
        ts: shortcut.message.ts,
        ...(shortcut.message.thread_ts ? { threadTs: String(shortcut.message.thread_ts) } : {}),
      };
      const user = shortcut.user.id;
      requireSlackAccess(deps, { team: target.team, channel: target.channel, user });
      await blendMessage(deps, target, user);
    }),
  );
}
