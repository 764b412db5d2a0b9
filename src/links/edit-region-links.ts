import type { RedisClient } from "../core/redis-slots.js";
import {
  type EditRegionAsk,
  type EditRegionLink,
  editRegionLinkUsed,
  editRegionUrl,
  readEditRegionLink,
  releaseEditRegionLink,
  signEditRegionLink,
  takeEditRegionLink,
} from "./edit-region-link.js";

/** The process's "Edit region" links: signed with the links' shared key, served under `PUBLIC_BASE_URL`. */
export interface EditRegionLinks {
  /** A link for the presser, valid 15 minutes. */
  urlFor(ask: EditRegionAsk): Promise<string>;
  /** @throws `UserError` for an expired, tampered or other-purpose link. */
  read(token: string): Promise<EditRegionLink>;
  /** @throws `UserError` `link_used` when its one submit was taken before. */
  take(link: EditRegionLink): Promise<void>;
  /** The submit was refused before anything was queued: the link may be submitted again. */
  release(link: EditRegionLink): Promise<void>;
  /** Whether its one submit was taken. */
  used(link: EditRegionLink): Promise<boolean>;
}

export interface EditRegionLinksOptions {
  publicBaseUrl: string;
  /** The links' HMAC key (`stores/shared-secret.ts`), resolved on first use. */
  secret: () => Promise<string>;
  redis: RedisClient;
  prefix: string;
}

export function editRegionLinks({
  publicBaseUrl,
  secret,
  redis,
  prefix,
}: EditRegionLinksOptions): EditRegionLinks {
  return {
    urlFor: async (ask) => editRegionUrl(publicBaseUrl, signEditRegionLink(await secret(), ask)),
    read: async (token) => readEditRegionLink(await secret(), token),
    take: (link) => takeEditRegionLink(redis, prefix, link),
    release: (link) => releaseEditRegionLink(redis, prefix, link),
    used: (link) => editRegionLinkUsed(redis, prefix, link),
  };
}

/**
 * The links where they can be followed: the studio is on (`WEB_ENABLED`) and the bot has an address people
 * reach (`PUBLIC_BASE_URL`); none otherwise, and no result offers Edit region.
 */
export function studioEditRegionLinks(
  config: { web: unknown; links: { publicBaseUrl: string | undefined }; queuePrefix: string },
  secret: () => Promise<string>,
  redis: RedisClient,
): EditRegionLinks | undefined {
  const { publicBaseUrl } = config.links;
  if (config.web === undefined || publicBaseUrl === undefined) return undefined;
  return editRegionLinks({ publicBaseUrl, secret, redis, prefix: config.queuePrefix });
}
