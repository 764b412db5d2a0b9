import { type ButtonInteraction, MessageFlags, type StringSelectMenuInteraction } from "discord.js";
import { requireAccess } from "../../../access/access-list.js";
import type { PressPort } from "../../../actions/action.js";
import type { RunDetails } from "../../../actions/follow-ups.js";
import { pressAction } from "../../../actions/press-action.js";
import { isUserError } from "../../../core/errors.js";
import { clip } from "../../../render/clip.js";
import { clickPlace, interactionPlace } from "../access.js";
import { isDiscordAdmin } from "../admin.js";
import type { DiscordContext } from "../context.js";
import { pressedOnEphemeral, webhookOnly } from "../install.js";
import { answerPrivately, submitInteraction } from "../intake.js";
import { cancelledContent } from "../result-message.js";
import { postShownRun } from "../show-run.js";
import { openRefinementThread, refineHow } from "../threads.js";

function detailsEmbed(view: RunDetails) {
  return {
    title: view.title,
    fields: view.fields.map(([name, value]) => ({
      name,
      value: clip(value, 1024),
      inline: value.length < 40,
    })),
    description: `**Parameters sent**\n\`\`\`json\n${clip(view.parameters, 2500)}\n\`\`\`\n**Usage**\n\`\`\`json\n${clip(view.usage, 800)}\n\`\`\``,
  };
}

/** A press: a button, or an image picked in a gallery's select of one action (`gallery.ts`). */
type PressInteraction = ButtonInteraction | StringSelectMenuInteraction;

/** A button's part of a press: its answers are the interaction's, its message the one the button is on. */
function interactionPort(ctx: DiscordContext, interaction: PressInteraction): PressPort {
  return {
    platform: "discord",
    place: clickPlace(interaction),
    requireAccess: () => requireAccess(ctx.config.access, interactionPlace(interaction)),
    isAdmin: () => isDiscordAdmin(interaction, ctx.config.adminRoleIds),
    acknowledge: async () => {
      await interaction.deferUpdate();
    },
    answerPrivately: (text) => answerPrivately(interaction, text),
    showDetails: async (view) => {
      await interaction.reply({ flags: MessageFlags.Ephemeral, embeds: [detailsEmbed(view)] });
    },
    submitFollowUp: (followUp) => submitInteraction(ctx, interaction, { kind: "follow-up", followUp }),
    deleteMessage: async () => {
      await interaction.deleteReply();
    },
    showRun: (shown) => postShownRun(ctx, interaction, shown),
    showCancelled: async (job) => {
      await interaction.update({
        content: cancelledContent(job.request.model),
        components: [],
        attachments: [],
      });
    },
    // The bot can open no thread on a message only the webhook reaches (a private reply, a DM it is not in).
    ...(webhookOnly(interaction, pressedOnEphemeral(interaction))
      ? {}
      : {
          threads: {
            inThread: interaction.channel?.isThread() ?? false,
            how: refineHow(ctx, interaction.client.user.id),
            open: (runId: string) => openRefinementThread(ctx, interaction.message, runId),
          },
        }),
  };
}

/**
 * Every button and every gallery select (`actions/press-action.ts`): a button's custom id is its press id, a
 * select's picked option value is. A refusal or a failure that is the person's own is answered
 * privately here; anything else goes on to the router, which logs it and says it went wrong on our side.
 */
export async function handleButton(ctx: DiscordContext, interaction: PressInteraction): Promise<void> {
  const id = interaction.isStringSelectMenu() ? interaction.values[0] : interaction.customId;
  try {
    await pressAction(ctx.process, id, interactionPort(ctx, interaction));
  } catch (error) {
    if (!isUserError(error)) throw error;
    ctx.logger.info(
      { interaction: interaction.id, user: interaction.user.id, code: error.code },
      "button refused",
    );
    await answerPrivately(interaction, `⚠️ ${error.message}`);
  }
}
