import { z } from "zod";
import type { RedisClient } from "../../core/redis-slots.js";
import type { StudioEvent } from "./studio-api.js";

/** Whose page a run's progress goes to: the person as the job knows them. */
export const StudioPersonSchema = z.object({ platform: z.string().min(1), id: z.string().min(1) });
export type StudioPerson = z.infer<typeof StudioPersonSchema>;

/** A web run's reply target: the worker publishes its progress to this person's channel. */
export const WebReplySchema = z.object({ kind: z.literal("web"), person: StudioPersonSchema });
export type WebReply = z.infer<typeof WebReplySchema>;

/** One pub/sub channel per person: a page subscribes to its own only, so nobody hears another's runs. */
export function studioChannel(prefix: string, person: StudioPerson): string {
  return `${prefix}:studio:${person.platform}:${person.id}`;
}

export async function publishStudioEvent(
  redis: RedisClient,
  prefix: string,
  person: StudioPerson,
  event: StudioEvent,
): Promise<void> {
  await redis.publish(studioChannel(prefix, person), JSON.stringify(event));
}
