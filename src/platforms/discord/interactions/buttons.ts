import {
  type ButtonInteraction,
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type ModalMessageModalSubmitInteraction,
  type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
  TextInputStyle,
} from "discord.js";
import type { APIModalInteractionResponseCallbackData } from "discord-api-types/v10";
import { requireAccess } from "../../../access/access-list.js";
import type { PressPort, PromptForm } from "../../../actions/action.js";
import type { RunDetails } from "../../../actions/follow-ups.js";
import { pressAction } from "../../../actions/press-action.js";
import { type Press, pressId, unknownButton } from "../../../actions/press-id.js";
import { isConfirmation } from "../../../actions/registry.js";
import { isUserError } from "../../../core/errors.js";
import { clip } from "../../../render/clip.js";
import { clickPlace, interactionPlace } from "../access.js";
import { isDiscordAdmin } from "../admin.js";
import { type DiscordContext, personDefaults } from "../context.js";
import { pressedOnEphemeral, webhookOnly } from "../install.js";
import { answerPrivately, followUpIsPrivate, submitInteraction } from "../intake.js";
import { cancelledContent } from "../result-message.js";
import { postShownRun } from "../show-run.js";
import { discordStudioReturn } from "../studio-return.js";
import { discordStylePlace } from "../style-place.js";
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

/** A form's submit carries its press: `form:<press id>` (at most 5 + 56 of Discord's 100 characters). */
const FORM = "form:";
const PROMPT_FIELD = "prompt";

/**
 * A press: a button, an image picked in a gallery's select of one action (`gallery.ts`), or the submit of the
 * form a button opened (which carries the button's message).
 */
type PressInteraction = ButtonInteraction | StringSelectMenuInteraction | ModalMessageModalSubmitInteraction;

/** Discord's modal: a title of at most 45 characters, one paragraph field for the prompt. */
function promptModal(form: PromptForm): APIModalInteractionResponseCallbackData {
  return {
    custom_id: `${FORM}${pressId(form.press)}`,
    title: form.title.slice(0, 45),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: PROMPT_FIELD,
            label: form.label,
            style: TextInputStyle.Paragraph,
            required: true,
            max_length: 4000,
          },
        ],
      },
    ],
  };
}

/** Only the presser sees it: the text and one button pressing `press`. */
async function confirmPrivately(
  interaction: PressInteraction,
  text: string,
  confirm: { label: string; press: Press },
): Promise<void> {
  const button = {
    type: ComponentType.Button,
    style: ButtonStyle.Primary,
    label: confirm.label,
    custom_id: pressId(confirm.press),
  } as const;
  const components = [{ type: ComponentType.ActionRow, components: [button] }] as const;
  const payload = { content: text, components: [...components], flags: MessageFlags.Ephemeral } as const;
  if (interaction.deferred || interaction.replied) await interaction.followUp(payload);
  else await interaction.reply(payload);
}

/** A button's part of a press: its answers are the interaction's, its message the one the button is on. */
function interactionPort(ctx: DiscordContext, interaction: PressInteraction): PressPort {
  return {
    platform: "discord",
    place: clickPlace(interaction),
    requireAccess: () => requireAccess(ctx.config.access, interactionPlace(interaction)),
    isAdmin: () => isDiscordAdmin(interaction, ctx.config.adminRoleIds),
    acknowledge: async () => {
      await interaction.deferUpdate();
      ctx.acks.acknowledged(interaction);
    },
    answerPrivately: (text) => answerPrivately(interaction, text),
    confirmPrivately: (text, confirm) => confirmPrivately(interaction, text, confirm),
    requestDefaults: () => personDefaults(ctx, interaction.user.id),
    askForPrompt: async (form) => {
      // A modal must be the first answer to a press, and a form's submit cannot open another.
      if (!interaction.isButton()) throw new Error("a form's submit cannot open a form");
      await interaction.showModal(promptModal(form));
    },
    showDetails: async (view) => {
      await interaction.reply({ flags: MessageFlags.Ephemeral, embeds: [detailsEmbed(view)] });
    },
    submitFollowUp: async (followUp, press) => {
      const confirmation = isConfirmation(press.action);
      const privately = await followUpIsPrivate(ctx, interaction, { runId: press.runId, confirmation });
      await submitInteraction(ctx, interaction, { kind: "follow-up", followUp, privately });
    },
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
    style: discordStylePlace(ctx),
    studioReturn: discordStudioReturn(interaction),
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

export const isPressForm = (interaction: ModalSubmitInteraction) => interaction.customId.startsWith(FORM);

/** The submit of a form a button opened (Edit, Use as reference): the same press again, with the prompt. */
export async function handlePressForm(
  ctx: DiscordContext,
  interaction: ModalSubmitInteraction,
): Promise<void> {
  if (!interaction.isFromMessage()) throw unknownButton();
  const prompt = interaction.fields.getTextInputValue(PROMPT_FIELD);
  const id = interaction.customId.slice(FORM.length);
  await pressAction(ctx.process, id, interactionPort(ctx, interaction), { prompt });
}
