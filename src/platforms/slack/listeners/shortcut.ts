import type { App, MessageShortcut, SlackShortcutMiddlewareArgs, SlackViewMiddlewareArgs } from "@slack/bolt";
import { parseFlagText } from "../../../../commands/flag-text.js";
import { imagineCommand, parseImagineOptions } from "../../../../commands/imagine.js";
import { operatorDefaults } from "../../../config/load.js";
import { isUserError, userError } from "../../../core/errors.js";
import { modelsWhere } from "../../../core/models.js";
import { orList } from "../../../core/or-list.js";
import { madeImages } from "../../../storage/run-store.js";
import { requireSlackAccess } from "../access.js";
import { promptText } from "../conversation.js";
import { imageFiles, type SlackDeps, type SlackFileRef, slackThread } from "../deps.js";
import { messageFor } from "../errors.js";
import { submitSlackRun } from "../intake.js";
import { guarded } from "./guard.js";

export const EDIT_SHORTCUT = "imagine_edit";
export const EDIT_VIEW = "imagine_edit_submit";

/** The form's optional markup: one PNG, drawn over the image to guide the edit (`@imagine`'s `markup….png`). */
const MARKUP_INPUT = {
  type: "input",
  block_id: "markup",
  optional: true,
  label: { type: "plain_text", text: "Markup (optional)" },
  hint: {
    type: "plain_text",
    text: `A transparent PNG of arrows and notes drawn over the image, at its size; for ${orList(modelsWhere((model) => model.markup))} (add --model)`,
  },
  element: { type: "file_input", action_id: "markup", filetypes: ["png"], max_files: 1 },
} as const;

interface Target {
  team: string;
  channel: string;
  ts: string;
  threadTs?: string;
}

/**
 * The "Edit image" message shortcut opens a modal for the prompt; submitting it edits the message's images.
 * On a bot result inside a thread it branches the conversation from that result's turn.
 */
export function registerShortcut(app: App, deps: SlackDeps): void {
  app.shortcut(
    { callback_id: EDIT_SHORTCUT, type: "message_action" },
    guarded<SlackShortcutMiddlewareArgs<MessageShortcut>>(deps, async ({ shortcut, ack, client }) => {
      await ack();
      const target: Target = {
        team: shortcut.team?.id ?? "",
        channel: shortcut.channel.id,
        ts: shortcut.message.ts,
        ...(shortcut.message.thread_ts ? { threadTs: String(shortcut.message.thread_ts) } : {}),
      };
      // Refused before the modal opens (answered through the shortcut's response_url).
      requireSlackAccess(deps, { team: target.team, channel: target.channel, user: shortcut.user.id });
      await client.views.open({
        trigger_id: shortcut.trigger_id,
        view: {
          type: "modal",
          callback_id: EDIT_VIEW,
          private_metadata: JSON.stringify(target),
          title: { type: "plain_text", text: "Edit image" },
          submit: { type: "plain_text", text: "Edit" },
          close: { type: "plain_text", text: "Cancel" },
          blocks: [
            {
              type: "input",
              block_id: "prompt",
              label: { type: "plain_text", text: "What should change?" },
              hint: { type: "plain_text", text: "Flags work too, e.g. --quality high --size 1536x1024" },
              element: { type: "plain_text_input", action_id: "prompt", multiline: true },
            },
            MARKUP_INPUT,
          ],
        },
      });
    }),
  );

  app.view(
    EDIT_VIEW,
    guarded<SlackViewMiddlewareArgs>(deps, async ({ ack, view, body }) => {
      const text = promptText(view.state.values.prompt?.prompt?.value ?? "", undefined);
      // Bolt's view state types predate `file_input`: its value carries the files put there.
      const markup = (view.state.values.markup?.markup as { files?: SlackFileRef[] } | undefined)?.files?.[0];
      const target = JSON.parse(view.private_metadata) as Target;
      const user = body.user.id;
      // Again on submit (the lists may have changed while the modal was open); refused in the ack's modal.
      requireSlackAccess(deps, { team: target.team, channel: target.channel, user });
      try {
        // Option mistakes are shown in the modal, before anything is fetched.
        parseImagineOptions(parseFlagText(imagineCommand, text).raw);
      } catch (error) {
        if (!isUserError(error)) throw error;
        await ack({ response_action: "errors", errors: { prompt: error.message } });
        return;
      }
      await ack();
      try {
        await editTarget(deps, target, user, text, markup);
      } catch (error) {
        deps.context.logger.warn({ err: error }, "edit not queued");
        await deps.client.chat.postEphemeral({
          channel: target.channel,
          user,
          text: `:warning: ${messageFor(error)}`,
          ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
        });
      }
    }),
  );
}

async function editTarget(
  deps: SlackDeps,
  target: Target,
  user: string,
  text: string,
  markup?: SlackFileRef,
): Promise<void> {
  const { raw } = parseFlagText(imagineCommand, text);
  const defaults = operatorDefaults(deps.context.config.openai);
  const root = target.threadTs ?? target.ts;
  const thread = slackThread(target.team, target.channel, root);
  const base = { team: target.team, channel: target.channel, user, threadTs: root };

  // A markup goes to the Images API, over the message's own images, not into the thread's Responses chain.
  const turn = markup ? undefined : await deps.context.threads.find(thread, { messageId: target.ts });
  if (turn !== undefined) {
    raw.api ??= "responses";
    await submitSlackRun(deps, {
      ...base,
      ask: { raw, defaults },
      thread: { ...thread, parentJobId: turn.jobId },
    });
    return;
  }
  let storedImageKeys: string[] = [];
  let files: SlackFileRef[] = [];
  const runId = await deps.messageRuns.runOf(target.channel, target.ts);
  const metadata = runId === undefined ? undefined : await deps.context.runs.findMetadata(runId);
  if (metadata !== undefined && madeImages(metadata)) {
    storedImageKeys = metadata.finals;
  } else {
    const replies = await deps.client.conversations.replies({ channel: target.channel, ts: root });
    const message = replies.messages?.find((candidate) => candidate.ts === target.ts);
    files = imageFiles((message?.files ?? []) as SlackFileRef[]);
  }
  if (storedImageKeys.length + files.length === 0) {
    throw userError("no_image_to_edit");
  }
  await submitSlackRun(deps, { ...base, ask: { raw, defaults }, files, storedImageKeys, thread, markup });
}
