/** Discord's epoch (2015-01-01): snowflakes are milliseconds since it, shifted left 22 bits. */
const DISCORD_EPOCH = 1_420_070_400_000n;

let increment = 0n;

/**
 * A realistic snowflake (18–19 digits today): @discordjs/rest buckets routes by the major ids in the path,
 * and discord.js reads creation times from them, so fakes must not use short counters.
 */
export function snowflake(at = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

export function isSnowflake(value: string): boolean {
  return /^\d{17,19}$/.test(value);
}

/** The shard that gets a guild's events among `count`: `(guild_id >> 22) % count`, on the full 64 bits. */
export function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** A guild id, made now or a few milliseconds before, that lands on `shard` of `count`. */
export function snowflakeOnShard(shard: number, count: number, at = Date.now()): string {
  const behind = (BigInt(at) - DISCORD_EPOCH - BigInt(shard)) % BigInt(count);
  return snowflake(at - Number(behind));
}
