import { type ChatInputCommandInteraction, MessageFlags } from "discord.js";
import type { styleCommand } from "../../../../commands/style.js";
import type { ArgsOf } from "../../../../commands/types.js";
import { userError } from "../../../core/errors.js";
import { styleSummary } from "../../../core/thread-style.js";
import { refuseNonImageFiles } from "../../../media/check-inputs.js";
import { checkStyleSentence, pinStyle, unpinStyle } from "../../../style/pin-style.js";
import type { DiscordContext } from "../context.js";
import { downloadAttachment } from "../download.js";
import { discordStylePlace } from "../style-place.js";
import { threadAddress, threadSeed } from "../threads.js";

const OUTSIDE = "use /style inside a thread the bot opened (Refine in thread, or Pin style on a result)";

/**
 * `/style` in a refinement thread: pins a sentence and images (`clear` unpins first), answered privately.
 * The sentence and the count are checked before the reply is deferred; the images, fetched from Discord's
 * CDN, are checked like an edit's inputs before anything is pinned. Nothing is asked of OpenAI.
 */
export async function handleStyle(
  ctx: DiscordContext,
  interaction: ChatInputCommandInteraction,
  args: ArgsOf<typeof styleCommand>,
): Promise<void> {
  const { guildId, channelId } = interaction;
  if (!guildId || !interaction.channel?.isThread() || !(await threadSeed(ctx, channelId))) {
    throw userError("style_needs_thread", { how: OUTSIDE });
  }
  const address = threadAddress(guildId, channelId);
  const images = args.image ?? [];
  const sentence = checkStyleSentence(args.sentence);
  refuseNonImageFiles(
    images.map((image) => ({ name: image.name ?? "attachment", contentType: image.contentType })),
  );
  const place = discordStylePlace(ctx);
  const deps = { runs: ctx.process.runs, styles: ctx.process.styles };
  if (args.clear) {
    const cleared = await unpinStyle(deps, address);
    if (sentence === undefined && images.length === 0) {
      if (cleared !== undefined) await place.showPinned(address, undefined);
      await interaction.reply({
        content: cleared
          ? "Unpinned this thread's style: later turns here use none."
          : "Nothing is pinned here.",
        flags: MessageFlags.Ephemeral,
      });
      return;
    }
  }
  // Downloads may take longer than Discord's 3 seconds.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  ctx.acks.acknowledged(interaction);
  const style = await pinStyle(deps, address, {
    sentence,
    images: images.map((image) => ({
      name: image.name ?? "attachment",
      read: () => downloadAttachment({ url: image.source, name: image.name, size: image.size }, ctx.download),
    })),
  });
  await place.showPinned(address, style);
  await interaction.editReply({
    content: `Pinned to this thread; every later turn here uses it. ${styleSummary(style)}`,
  });
}
