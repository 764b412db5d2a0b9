import type { Logger } from "../logger.js";
import type { BlobStore } from "../storage/blob-store.js";
import { signOriginalUrl } from "./signed-url.js";

/**
 * Links to a final's original in run storage, for messages that show something else (re-encoded or shrunk
 * to fit an upload limit, or a format the platform cannot show): a presigned GET when the store is S3, else a
 * signed URL the bot's HTTP endpoint serves under PUBLIC_BASE_URL; none when neither can be made.
 */
export interface OriginalLinks {
  /** A link that works for `days`; `undefined` when none can be made (a message then says the original is kept). */
  linkTo(key: string): Promise<string | undefined>;
  readonly days: number;
}

export interface OriginalLinksOptions {
  blobs: BlobStore;
  publicBaseUrl: string | undefined;
  days: number;
  /** The HMAC key of the bot's links (`stores/shared-secret.ts`), resolved on first use. */
  secret: () => Promise<string>;
  logger: Logger;
}

export function originalLinks({
  blobs,
  publicBaseUrl,
  days,
  secret,
  logger,
}: OriginalLinksOptions): OriginalLinks {
  const seconds = days * 24 * 3600;
  return {
    days,
    async linkTo(key) {
      try {
        if (blobs.presignedGet) return await blobs.presignedGet(key, seconds);
        if (publicBaseUrl === undefined) return undefined;
        return signOriginalUrl(publicBaseUrl, await secret(), key, new Date(Date.now() + seconds * 1000));
      } catch (error) {
        // A message without its link is still the result: the image is shown, the original kept.
        logger.warn({ err: error, key }, "no link to the original");
        return undefined;
      }
    },
  };
}

/** `make` once it has succeeded; a failure (Redis away) is not remembered, so the next call tries again. */
export function onceResolved<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };
}
