import type { ArgsOf } from "../../commands/types.js";
import type { usageCommand } from "../../commands/usage.js";
import { setServerLimit } from "../budget/budget-names.js";
import { usageLines, usageReport } from "../budget/usage-report.js";
import { userError } from "../core/errors.js";
import { personJobs } from "../queue/person-jobs.js";
import { clip } from "../render/clip.js";
import type { CommandHandler } from "./command-port.js";

/**
 * `/usage` (`/imagine usage` on Slack): the person's usage (and, for admins, their server's or workspace's
 * spending per person), or with `set` and `value` an admin's new limit there. Always private; a refusal is a
 * `UserError` the platform answers privately.
 */
export const runUsage: CommandHandler<ArgsOf<typeof usageCommand>> = async (deps, port, { set, value }) => {
  const admin = port.isAdmin();
  if (set !== undefined || value !== undefined) {
    if (set === undefined || value === undefined)
      throw userError("budget_value_invalid", { form: "discord_pair" });
    const setter = {
      platform: port.platform,
      workspace: port.user.workspace,
      admin,
      usageCommand: port.typed("usage"),
    };
    const said = await setServerLimit(deps.budget, setter, set, value);
    await port.answerPrivately(`${port.markup.done} ${said}`);
    return;
  }
  // Several Redis reads: taken first, so a slow moment cannot miss the platform's 3 seconds.
  await port.acknowledge();
  const jobs = await personJobs(deps.queues, deps.limits, port.user);
  const report = await usageReport(deps.budget, port.user, { jobs, admin });
  // Its mentions ping nobody: Discord's client sets `allowedMentions` (mentions.ts), Slack's answer is private.
  await port.answerPrivately(clip(usageLines(report, port.markup).join("\n"), port.maxText));
};
