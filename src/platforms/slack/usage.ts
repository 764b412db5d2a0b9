import type { RespondFn } from "@slack/bolt";
import type { ArgsOf } from "../../../commands/types.js";
import type { usageCommand } from "../../../commands/usage.js";
import { setServerLimit } from "../../budget/budget-names.js";
import { type UsageMarkup, usageLines, usageReport } from "../../budget/usage-report.js";
import { BUDGET_NAMES } from "../../core/budget-names.js";
import { userError } from "../../core/errors.js";
import { personJobs } from "../../queue/person-jobs.js";
import { clip } from "../../render/clip.js";
import type { SlackDeps } from "./deps.js";

const MARKUP: UsageMarkup = {
  heading: (text) => `*${text}*`,
  mention: (id) => `<@${id}>`,
  code: (text) => `\`${text}\``,
};

/** Slack's limit for a message's text is far higher; this keeps a long list of people readable. */
const MAX_TEXT = 3_000;

type UsageArgs = ArgsOf<typeof usageCommand>;

/** Who typed `/imagine usage`, where. */
export interface UsageAsker {
  team: string;
  user: string;
}

/**
 * The words after `/imagine usage`: none, or `set <budget> <value>`.
 * @throws `UserError` `budget_value_invalid` for anything else, with the form to use.
 */
export function usageArgs(text: string): UsageArgs {
  const words = text.split(/\s+/).filter((word) => word !== "");
  if (words.length === 0) return {};
  const [verb, name, value, ...rest] = words;
  if (verb?.toLowerCase() !== "set" || name === undefined || value === undefined || rest.length > 0) {
    throw userError("budget_value_invalid", { form: "slack_usage", names: BUDGET_NAMES });
  }
  return { set: name, value };
}

/**
 * Answers `/imagine usage` privately: the person's usage (and, for the workspace's admins in
 * `SLACK_ADMIN_USER_IDS`, its spending per person), or an admin's new limit for the workspace. A refusal is a
 * `UserError` the listener's guard answers privately.
 */
export async function answerUsage(
  deps: SlackDeps,
  asker: UsageAsker,
  { set, value }: UsageArgs,
  respond: RespondFn,
): Promise<void> {
  const { budget, limits, queue, config } = deps.context;
  const admin = (config.slack?.adminUserIds ?? []).includes(asker.user);
  if (set !== undefined && value !== undefined) {
    const setter = { platform: "slack", workspace: asker.team, admin, usageCommand: "/imagine usage" };
    const said = await setServerLimit(budget, setter, set, value);
    await respond({
      response_type: "ephemeral",
      replace_original: false,
      text: `:white_check_mark: ${said}`,
    });
    return;
  }
  const holder = { platform: "slack", id: asker.user, workspace: asker.team };
  const jobs = await personJobs(queue, limits, holder);
  const report = await usageReport(budget, holder, { jobs, admin });
  await respond({
    response_type: "ephemeral",
    replace_original: false,
    text: clip(usageLines(report, MARKUP).join("\n"), MAX_TEXT),
  });
}
