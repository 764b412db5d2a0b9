import { SETTINGS_FIELDS, type SettingsField } from "../../../commands/settings.js";
import type { RedisClient } from "../../core/redis-slots.js";
import type { RequestDefaults } from "../../core/validate-request.js";

export type UserSettings = Partial<Record<SettingsField, string>>;

/** Per-user defaults for /imagine and /edit, one Redis hash per Discord user. */
export class SettingsStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(userId: string): string {
    return `${this.prefix}:discord:settings:${userId}`;
  }

  async get(userId: string): Promise<UserSettings> {
    const raw = await this.redis.hgetall(this.key(userId));
    const settings: UserSettings = {};
    for (const field of SETTINGS_FIELDS) if (raw[field]) settings[field] = raw[field];
    return settings;
  }

  async set(userId: string, values: UserSettings): Promise<void> {
    const entries = Object.entries(values).filter(([, value]) => value !== undefined);
    if (entries.length > 0) await this.redis.hset(this.key(userId), Object.fromEntries(entries));
  }

  async clear(userId: string): Promise<void> {
    await this.redis.del(this.key(userId));
  }

  /** The person's defaults over the operator's; validation lets a clashing preference yield. */
  async defaults(userId: string, operator: RequestDefaults): Promise<RequestDefaults> {
    const { draft, ...settings } = await this.get(userId);
    return {
      ...operator,
      ...(settings as Omit<RequestDefaults, "model" | "draft">),
      model: settings.model ?? operator.model,
      ...(draft === undefined ? {} : { draft: draft === "true" }),
      ...(settings.model !== undefined ? { modelFrom: "settings" as const } : {}),
    };
  }
}
