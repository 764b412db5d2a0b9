import type { App } from "@slack/bolt";
import type { StudioReturnPort } from "../../actions/action.js";
import type { ChatReturn } from "../../intake/chat-return.js";
import { submitRequest } from "../../intake/submit-request.js";
import type { ReturnPlace } from "../../links/edit-region-link.js";
import type { RunMetadata } from "../../storage/run-store.js";
import type { SlackDeps } from "./deps.js";
import { slackPort } from "./intake.js";
import { SlackReplySchema } from "./reply-target.js";

/** The link button's action id: Slack still sends its click to the app, which only acknowledges it. */
export const STUDIO_LINK_ACTION = "imagine_studio_link";

/** The result's message and the thread it sits in (or starts). */
export function slackReturnPlace(metadata: RunMetadata): ReturnPlace | undefined {
  const reply = SlackReplySchema.safeParse(metadata.origin.reply);
  if (!reply.success) return undefined;
  const { channel, ts, threadTs } = reply.data;
  return { platform: "slack", channel, message: ts, thread: threadTs ?? ts };
}

/** Only the presser sees it, where they pressed: the text and a button opening the link. */
export function slackStudioReturn(
  deps: SlackDeps,
  at: { channel: string; user: string; where: { thread_ts?: string } },
): StudioReturnPort {
  return {
    place: slackReturnPlace,
    async answerWithLink(text, link) {
      await deps.client.chat.postEphemeral({
        channel: at.channel,
        user: at.user,
        text: `${text} ${link.url}`,
        blocks: [
          { type: "section", text: { type: "mrkdwn", text } },
          {
            type: "actions",
            elements: [
              {
                type: "button",
                action_id: STUDIO_LINK_ACTION,
                text: { type: "plain_text", text: link.label },
                url: link.url,
                style: "primary",
              },
            ],
          },
        ],
        ...at.where,
      });
    },
  };
}

/** A link button's click reaches the app too: acknowledged, or Slack marks the button as failed. */
export function registerStudioLink(app: App): void {
  app.action(STUDIO_LINK_ACTION, async ({ ack }) => {
    await ack();
  });
}

/** Slack's way back from the studio: the status posted in the result's thread, as a reply there is. */
export function slackChatReturn(deps: SlackDeps): ChatReturn {
  return {
    async submit(link, intake) {
      const { place } = link;
      const team = intake.user.workspace ?? "";
      const threadTs = place.thread ?? place.message;
      const port = slackPort(deps, { team, channel: place.channel, user: intake.user.id, threadTs });
      const { runId } = await submitRequest(deps.context, intake, port);
      return { runId, postedTo: "your Slack thread" };
    },
  };
}
