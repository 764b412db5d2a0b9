import { blendImagesCommand } from "../../../commands/blend-images.js";
import { describeImageCommand } from "../../../commands/describe-image.js";
import { editImageCommand } from "../../../commands/edit-image.js";
import { imagineCommand } from "../../../commands/imagine.js";
import { SUGGESTED_PROMPTS } from "./assistant-words.js";
import { BLEND_SHORTCUT } from "./listeners/blend-shortcut.js";
import { DESCRIBE_SHORTCUT } from "./listeners/describe-shortcut.js";
import { EDIT_SHORTCUT } from "./listeners/shortcut.js";

/** Scopes the bot uses, each for a reason. */
export const BOT_SCOPES = [
  "app_mentions:read", // app_mention events: edits and refinement by mention
  "channels:history", // plain replies in bot threads, conversations.replies for a thread's root image
  "groups:history",
  "im:history",
  "mpim:history",
  "chat:write", // the status message, edited in place
  "commands", // /imagine and the Edit image and Describe image shortcuts
  "files:read", // url_private downloads of images to edit, files.info readiness
  "files:write", // frames and finals
  "im:write", // conversations.open: `--private true` shows the run in the person's DM with the app
  "assistant:write", // the assistant view: a thread's status while a run waits and draws, its prompts and title
] as const;

export const BOT_EVENTS = [
  "app_mention",
  "message.channels",
  "message.groups",
  "message.im", // also a person's prompts in the assistant view
  "message.mpim",
  "assistant_thread_started",
  "assistant_thread_context_changed",
];

/**
 * The Slack app manifest, derived from `commands/` (`/imagine` and the Edit image shortcut). Socket Mode by default (no public URL needed);
 * with `requestUrl` (`https://host/slack/events`) it is an HTTP mode manifest instead.
 */
export function slackManifest(requestUrl?: string): Record<string, unknown> {
  const flags = imagineCommand.options
    .filter((option) => option.type !== "attachment" && !option.required)
    .slice(0, 4)
    .map(
      (option) =>
        `[--${option.name} ${option.choices?.[0] ?? (option.type === "integer" ? String(option.min ?? 1) : "…")}]`,
    );
  const url = requestUrl ? { url: requestUrl } : {};
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name: "imagine",
      description: imagineCommand.description,
      long_description: `${imagineCommand.description}. Type /imagine with a prompt, reply in a result's thread with @imagine to edit or refine it, or use the Edit image shortcut on any message with an image. /imagine help lists every flag.`,
      background_color: "#1d1c1d",
    },
    features: {
      bot_user: { display_name: "imagine", always_online: true },
      slash_commands: [
        {
          command: `/${imagineCommand.name}`,
          description: imagineCommand.description,
          usage_hint: `<prompt> ${flags.join(" ")} … (or: help)`,
          should_escape: false,
          ...url,
        },
      ],
      shortcuts: [
        {
          name: editImageCommand.name,
          type: "message",
          callback_id: EDIT_SHORTCUT,
          description: editImageCommand.description,
        },
        {
          name: blendImagesCommand.name,
          type: "message",
          callback_id: BLEND_SHORTCUT,
          description: blendImagesCommand.description,
        },
        {
          name: describeImageCommand.name,
          type: "message",
          callback_id: DESCRIBE_SHORTCUT,
          description: describeImageCommand.description,
        },
      ],
      // Slack's assistant (agent) view: each message in its thread is a prompt; the bot sets the thread's status.
      assistant_view: {
        assistant_description:
          "Describe a picture and it is drawn with OpenAI's image models; reply to refine it.",
        suggested_prompts: SUGGESTED_PROMPTS.prompts,
      },
    },
    oauth_config: { scopes: { bot: [...BOT_SCOPES] } },
    settings: {
      event_subscriptions: { ...(requestUrl ? { request_url: requestUrl } : {}), bot_events: BOT_EVENTS },
      interactivity: { is_enabled: true, ...(requestUrl ? { request_url: requestUrl } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: requestUrl === undefined,
      token_rotation_enabled: false,
    },
  };
}

export function manifestJson(requestUrl?: string): string {
  return `${JSON.stringify(slackManifest(requestUrl), null, 2)}\n`;
}
