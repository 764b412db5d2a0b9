import { z } from "zod";

/** `4` or `auto` (Discord's recommendation from `GET /gateway/bot`, read at start); unset means one shard. */
export const shardCountSchema = z
  .string()
  .trim()
  .toLowerCase()
  .optional()
  .transform((value, ctx): number | "auto" => {
    if (value === undefined || value === "") return 1;
    if (value === "auto") return "auto";
    if (/^\d+$/.test(value) && Number(value) >= 1) return Number(value);
    ctx.addIssue({ code: "custom", message: "must be a whole number of shards (1 or more), or auto" });
    return z.NEVER;
  });

const MAX_SHARDS = 100_000;

/** `0,1`, `2-3` or `0-1,4`: the shards this process runs, sorted; unset means all of them. */
export const shardIdsSchema = z
  .string()
  .optional()
  .transform((value, ctx): number[] | undefined => {
    if (value === undefined || value.trim() === "") return undefined;
    const ids = new Set<number>();
    for (const part of value.split(",").map((text) => text.trim())) {
      if (part === "") continue;
      const range = /^(\d+)(?:-(\d+))?$/.exec(part);
      const from = Number(range?.[1]);
      const to = range?.[2] === undefined ? from : Number(range[2]);
      // A typo such as 0-10000000 must not allocate ten million ids; no bot runs that many shards.
      if (range === null || to < from || to >= MAX_SHARDS) {
        ctx.addIssue({ code: "custom", message: `"${part}": must be shard ids such as 0,1 or 2-3` });
        return z.NEVER;
      }
      for (let id = from; id <= to; id += 1) ids.add(id);
    }
    if (ids.size > 0) return [...ids].sort((a, b) => a - b);
    ctx.addIssue({ code: "custom", message: "names no shard: leave it empty to run all of them" });
    return z.NEVER;
  });

/** Why `ids` cannot run among `count` shards (ids run from 0 to count - 1), or undefined when they can. */
export function shardIdsProblem(ids: readonly number[] | undefined, count: number): string | undefined {
  const beyond = (ids ?? []).filter((id) => id >= count);
  if (beyond.length === 0) return undefined;
  const range = count === 1 ? "the only shard is 0" : `shard ids run from 0 to ${count - 1}`;
  const named = beyond.length === 1 ? `shard ${beyond[0]} does` : `shards ${beyond.join(", ")} do`;
  return `${named} not exist among ${count} shard${count === 1 ? "" : "s"}: ${range}`;
}
