import {
  ApplicationCommandOptionType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { budgetName, describeBudget, SETTABLE_BUDGETS } from "../../../core/budget-names.js";

/**
 * `/usage`: with no option, what you spent today and this month, your budgets and your jobs (admins also see
 * the server's spending per person). `set` and `value` together change one of the server's limits (admins:
 * Manage Server, or a role in DISCORD_ADMIN_ROLE_IDS). The value is text so that a bad one gets a sentence
 * saying what is accepted, and `default` can give the bot's limit back.
 */
export const usageData = {
  name: "usage",
  description: "What you spent today and this month, your budgets left and your jobs",
  options: [
    {
      name: "set",
      description: "Admins: a limit of this server to change (give value too)",
      type: ApplicationCommandOptionType.String,
      required: false,
      choices: SETTABLE_BUDGETS.map((budget) => ({
        name: `${budgetName(budget)}: ${describeBudget(budget)}`,
        value: budgetName(budget),
      })),
    },
    {
      name: "value",
      description: "Admins: the new limit: dollars (e.g. 2.50) or images; 0 = none; default = the bot's",
      type: ApplicationCommandOptionType.String,
      required: false,
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
