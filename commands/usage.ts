import { BUDGET_NAMES, budgetName, describeBudget, SETTABLE_BUDGETS } from "../src/core/budget-names.js";
import { defineOptions } from "../src/core/option-definition.js";
import { textSchema } from "../src/core/option-schemas.js";
import { defineCommand } from "./types.js";

/**
 * `/usage`: with no option, what you spent today and this month, your budgets and your jobs (admins also see
 * the server's spending per person). `set` and `value` together change one of the server's limits. Both are
 * text read by the budget module, so a bad one gets a sentence saying what is accepted, and `default` can give
 * the bot's limit back.
 */
export const usageCommand = defineCommand({
  kind: "slash",
  name: "usage",
  description: "What you spent today and this month, your budgets left and your jobs",
  access: "anywhere",
  options: defineOptions([
    {
      name: "set",
      description: "Admins: a limit of this server to change (give value too)",
      type: "string",
      choices: BUDGET_NAMES,
      choiceLabels: Object.fromEntries(
        SETTABLE_BUDGETS.map((budget) => [
          budgetName(budget),
          `${budgetName(budget)}: ${describeBudget(budget)}`,
        ]),
      ),
      adminOnly: true,
      // Any text: the budget module refuses an unknown name with the names there are.
      schema: textSchema("set", "the name of a budget", false),
    },
    {
      name: "value",
      description: "Admins: the new limit: dollars (e.g. 2.50) or images; 0 = none; default = the bot's",
      type: "string",
      adminOnly: true,
      schema: textSchema("value", "a limit", false),
    },
  ]),
  slack: "word",
  slackHelp: (slash) =>
    `\`${slash} usage\` shows what you spent today and this month and the budgets left; admins set the workspace's limits with \`${slash} usage set <budget> <value>\`.`,
});
