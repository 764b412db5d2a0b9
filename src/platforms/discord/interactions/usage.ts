import { type ChatInputCommandInteraction, MessageFlags } from "discord.js";
import type { ArgsOf } from "../../../../commands/types.js";
import type { usageCommand } from "../../../../commands/usage.js";
import { setServerLimit } from "../../../budget/budget-names.js";
import { type UsageMarkup, usageLines, usageReport } from "../../../budget/usage-report.js";
import { userError } from "../../../core/errors.js";
import { personJobs } from "../../../queue/person-jobs.js";
import { clip } from "../../../render/clip.js";
import { isDiscordAdmin } from "../admin.js";
import type { DiscordContext } from "../context.js";

const MARKUP: UsageMarkup = {
  heading: (text) => `**${text}**`,
  mention: (id) => `<@${id}>`,
  code: (text) => `\`${text}\``,
};

/** Discord's content limit. */
const MAX_CONTENT = 2000;

/**
 * `/usage`: the person's usage (and, for admins, the server's per person), or with `set` and `value` an
 * admin's new limit for the server. Always private; a refusal is a `UserError` the router answers privately.
 */
export async function handleUsage(
  ctx: DiscordContext,
  interaction: ChatInputCommandInteraction,
  { set: name, value }: ArgsOf<typeof usageCommand>,
): Promise<void> {
  const { budget, limits, queue } = ctx.process;
  const admin = isDiscordAdmin(interaction, ctx.config.adminRoleIds);
  const workspace = interaction.guildId ?? undefined;
  if (name !== undefined || value !== undefined) {
    if (name === undefined || value === undefined) {
      throw userError("budget_value_invalid", { form: "discord_pair" });
    }
    const said = await setServerLimit(
      budget,
      { platform: "discord", workspace, admin, usageCommand: "/usage" },
      name,
      value,
    );
    await interaction.reply({ content: `✅ ${said}`, flags: MessageFlags.Ephemeral });
    return;
  }
  // Several Redis reads: deferred, so a slow moment cannot miss Discord's 3 seconds.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const holder = { platform: "discord", id: interaction.user.id, workspace };
  const jobs = await personJobs(queue, limits, holder);
  const report = await usageReport(budget, holder, { jobs, admin });
  // Its mentions ping nobody: the client's `allowedMentions` (mentions.ts).
  await interaction.editReply({ content: clip(usageLines(report, MARKUP).join("\n"), MAX_CONTENT) });
}
