import type { Interaction } from "discord.js";
import { commandNamed } from "../../../../commands/index.js";
import { requireAccess } from "../../../access/access-list.js";
import { asUserError, isUserError } from "../../../core/errors.js";
import { refusalFields } from "../../../log-safety.js";
import { interactionPlace } from "../access.js";
import type { DiscordContext } from "../context.js";
import { requireInstallAllowed } from "../install.js";
import { answerPrivately } from "../intake.js";
import { handleAutocomplete } from "./autocomplete.js";
import { handleButton, handlePressForm, isPressForm } from "./buttons.js";
import { runCommand } from "./commands.js";
import { EDIT_IMAGE_MODAL, handleEditImageModal } from "./edit-image.js";

/** Commands that answer only the person and spend nothing (commands/): usable wherever the bot is. */
const runsAnywhere = (name: string) => commandNamed(name)?.access === "anywhere";

/**
 * Whatever can start a job (commands, Edit image, its modal) is access-listed. Buttons (and a gallery's
 * selects) are checked by their
 * action (`actions/press-action.ts`): Cancel is not, it only stops spending on a job allowed when queued.
 */
function accessListed(interaction: Interaction): boolean {
  if (interaction.isAutocomplete()) return false;
  if (interaction.isButton() || interaction.isStringSelectMenu()) return false;
  return !(interaction.isCommand() && runsAnywhere(interaction.commandName));
}

async function route(ctx: DiscordContext, interaction: Interaction): Promise<void> {
  // Before anything is deferred, downloaded, reserved or queued; the refusal is answered privately below.
  requireInstallAllowed(interaction, ctx.config.allowUserInstall);
  if (accessListed(interaction)) requireAccess(ctx.config.access, interactionPlace(interaction));
  if (interaction.isAutocomplete()) return handleAutocomplete(interaction);
  if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand()) {
    return runCommand(ctx, interaction);
  }
  if (interaction.isModalSubmit() && interaction.customId.startsWith(`${EDIT_IMAGE_MODAL}:`)) {
    return handleEditImageModal(ctx, interaction);
  }
  if (interaction.isModalSubmit() && isPressForm(interaction)) return handlePressForm(ctx, interaction);
  if (interaction.isButton() || interaction.isStringSelectMenu()) return handleButton(ctx, interaction);
}

/**
 * Tells the person privately, whatever state the interaction is in (`answerPrivately`). Autocomplete gets no
 * suggestions rather than Discord's error.
 */
async function answerFailure(interaction: Interaction, content: string): Promise<void> {
  if (interaction.isAutocomplete()) {
    if (!interaction.responded) await interaction.respond([]);
    return;
  }
  if (interaction.isRepliable()) await answerPrivately(interaction, content);
}

/**
 * Every interaction: handled, or answered privately while the log gets the cause. Never rejects (the
 * gateway calls it as `void onInteraction(…)`), not even when the answer itself fails.
 */
export async function onInteraction(ctx: DiscordContext, interaction: Interaction): Promise<void> {
  ctx.acks.arrive(interaction);
  try {
    await route(ctx, interaction);
  } catch (error) {
    const failure = asUserError(error);
    try {
      const where = { interaction: interaction.id, user: interaction.user.id };
      if (isUserError(error)) ctx.logger.info({ ...where, ...refusalFields(error) }, "interaction refused");
      else ctx.logger.error({ ...where, err: error }, "interaction failed");
      await answerFailure(interaction, `⚠️ ${failure.message}`);
    } catch (answerError) {
      ctx.logger.warn({ err: answerError, interaction: interaction.id }, "failed interaction not answered");
    }
  } finally {
    ctx.acks.acknowledged(interaction);
  }
}
