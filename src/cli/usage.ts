import { userInfo } from "node:os";
import { scopesOf } from "../budget/budget-scopes.js";
import { whenItResets } from "../budget/budget-words.js";
import { BudgetLedger } from "../budget/ledger.js";
import { budgetLines, formatSpend, usageReport } from "../budget/usage-report.js";
import type { Config } from "../config/types.js";
import { userError } from "../core/errors.js";
import { connectRedis, createRedisConnection, redisAddress } from "../queue/connection.js";
import { probeRedis } from "./redis-probe.js";

const TITLES = { day: "Today", month: "This month" } as const;

/**
 * `npm run -s imagine -- usage`: what everyone spent through Discord and Slack today and this month, against
 * the bot's shared budget. The CLI's own jobs are not budgeted (one person on their own machine), so nothing
 * of theirs is counted unless this machine's user also reserved under the `cli` platform.
 * @throws `UserError` `usage_needs_redis` when no Redis answers: the budgets live there.
 */
export async function usageText(config: Config): Promise<string> {
  const probe = await probeRedis(config);
  if (!probe.ok) {
    throw userError("usage_needs_redis", { redis: redisAddress(config), reason: probe.reason });
  }
  const redis = await connectRedis(createRedisConnection(config, "producer"), config);
  try {
    const ledger = new BudgetLedger(redis, config.queuePrefix, config.budgets);
    const holder = { platform: "cli", id: userInfo().username };
    const report = await usageReport(ledger, holder, { jobs: [], admin: false });
    const user = scopesOf(holder)[0]?.id;
    const lines = ["Everyone on Discord and Slack together (jobs run from this CLI are not budgeted):"];
    for (const { period, scopes } of report.periods) {
      const global = scopes.find((scope) => scope.kind === "global");
      const own = scopes.find((scope) => scope.kind === "user");
      lines.push(
        "",
        `${TITLES[period]} (resets ${whenItResets(period, report.now)}):`,
        `  spent: ${formatSpend(global?.spent ?? { micro: 0, images: 0 })}`,
      );
      const limits = global ? budgetLines(global, period) : [];
      lines.push(...(limits.length > 0 ? limits : ["no shared budget"]).map((line) => `  ${line}`));
      if (own && (own.spent.micro > 0 || own.spent.images > 0)) {
        lines.push(`  of which ${user}: ${formatSpend(own.spent)}`);
      }
    }
    return lines.join("\n");
  } finally {
    redis.disconnect();
  }
}
