import type { App, MessageShortcut, SlackShortcutMiddlewareArgs } from "@slack/bolt";
import { describeImageRun, describeRequest } from "../../../actions/studio-runs.js";
import { operatorDefaults } from "../../../config/load.js";
import { userError } from "../../../core/errors.js";
import { madeImages } from "../../../storage/run-store.js";
import { requireSlackAccess } from "../access.js";
import { imageFiles, type SlackDeps, type SlackFileRef } from "../deps.js";
import { submitSlackRun } from "../intake.js";
import { guarded } from "./guard.js";

export const DESCRIBE_SHORTCUT = "imagine_describe";

/**
 * The "Describe image" message shortcut: the message's image (a bot result's stored original, or its first
 * image file) described in its thread, 3 prompts with a "Use" button each. Nothing to ask first, so no modal;
 * a refusal is answered privately through the shortcut's response_url.
 */
export function registerDescribeShortcut(app: App, deps: SlackDeps): void {
  app.shortcut(
    { callback_id: DESCRIBE_SHORTCUT, type: "message_action" },
    guarded<SlackShortcutMiddlewareArgs<MessageShortcut>>(deps, async ({ shortcut, ack }) => {
      await ack();
      const team = shortcut.team?.id ?? "";
      const channel = shortcut.channel.id;
      const user = shortcut.user.id;
      requireSlackAccess(deps, { team, channel, user });
      const { ts } = shortcut.message;
      const root = shortcut.message.thread_ts ? String(shortcut.message.thread_ts) : ts;
      const place = { team, channel, user, threadTs: root };
      const defaults = operatorDefaults(deps.context.config.openai);

      const runId = await deps.messageRuns.runOf(channel, ts);
      const metadata = runId === undefined ? undefined : await deps.context.runs.findMetadata(runId);
      if (runId !== undefined && metadata !== undefined && madeImages(metadata)) {
        const press = { action: "describe", runId, image: 0 };
        const { request, storedImageKeys } = await describeImageRun(deps.context.runs, press, defaults);
        await submitSlackRun(deps, { ...place, ask: { request }, storedImageKeys, kind: "describe" });
        return;
      }
      const replies = await deps.client.conversations.replies({ channel, ts: root });
      const message = replies.messages?.find((candidate) => candidate.ts === ts);
      const [file] = imageFiles((message?.files ?? []) as SlackFileRef[]);
      if (file === undefined) throw userError("describe_no_image");
      await submitSlackRun(deps, {
        ...place,
        ask: { request: describeRequest(defaults) },
        files: [file],
        kind: "describe",
      });
    }),
  );
}
