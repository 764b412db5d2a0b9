import type { ChatInputCommandInteraction, MessageContextMenuCommandInteraction } from "discord.js";
import type { describeCommand } from "../../../../commands/describe.js";
import type { ArgsOf } from "../../../../commands/types.js";
import { describeImageRun } from "../../../actions/studio-runs.js";
import { userError } from "../../../core/errors.js";
import { type DiscordContext, personDefaults } from "../context.js";
import { submitInteraction } from "../intake.js";
import { resultJobId } from "../result-job.js";

/** `/describe image:<file>`: the attachment through the intake as a Describe. */
export async function handleDescribeCommand(
  ctx: DiscordContext,
  interaction: ChatInputCommandInteraction,
  args: ArgsOf<typeof describeCommand>,
): Promise<void> {
  const [image] = args.image;
  if (image === undefined) throw userError("describe_no_image");
  await submitInteraction(ctx, interaction, { kind: "describe", image, privately: args.private === true });
}

/**
 * "Describe image" on a message: a bot result's stored original (not the copy Discord shows), or the message's
 * first image attachment (a context-menu target carries them without MESSAGE_CONTENT).
 */
export async function handleDescribeImageCommand(
  ctx: DiscordContext,
  interaction: MessageContextMenuCommandInteraction,
): Promise<void> {
  const jobId = resultJobId(interaction.targetMessage);
  if (jobId !== undefined) {
    const defaults = await personDefaults(ctx, interaction.user.id);
    const press = { action: "describe", runId: jobId, image: 0 };
    const followUp = await describeImageRun(ctx.process.runs, press, defaults);
    await submitInteraction(ctx, interaction, { kind: "follow-up", followUp, privately: false });
    return;
  }
  const attachment = [...interaction.targetMessage.attachments.values()].find((file) =>
    (file.contentType ?? "").startsWith("image/"),
  );
  if (attachment === undefined) throw userError("describe_no_image");
  const image = {
    source: attachment.url,
    name: attachment.name,
    size: attachment.size,
    ...(attachment.contentType ? { contentType: attachment.contentType } : {}),
  };
  await submitInteraction(ctx, interaction, { kind: "describe", image, privately: false });
}
