import { userError } from "../../core/errors.js";
import { LIMITS } from "../../core/limits.js";
import type { AttachmentRef } from "../../intake/intake-request.js";
import { cappedFetch, DEFAULT_DOWNLOAD_TIMEOUT_MS } from "../../media/capped-fetch.js";
import type { RawFile } from "../../media/check-inputs.js";

/** Discord serves uploads from these hosts; nothing else is ever fetched. */
export const DISCORD_CDN_HOSTS: ReadonlySet<string> = new Set(["cdn.discordapp.com", "media.discordapp.net"]);

export interface DownloadPolicy {
  /**
   * Extra origins allowed besides Discord's CDN: only the origin of `DISCORD_API_URL` when it is set (the fake
   * Discord, which serves its own CDN). A deployment on Discord itself fetches from the CDN alone.
   */
  extraOrigins: readonly string[];
  maxBytes: number;
  timeoutMs: number;
}

export const DEFAULT_DOWNLOAD_POLICY: DownloadPolicy = {
  extraOrigins: [],
  maxBytes: LIMITS.maxImageBytes,
  timeoutMs: DEFAULT_DOWNLOAD_TIMEOUT_MS,
};

/** An attachment as Discord describes it. */
export interface AttachmentLike {
  url: string;
  name?: string | null | undefined;
  size?: number | null | undefined;
}

export function isAllowedUrl(url: string, policy: DownloadPolicy): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (policy.extraOrigins.includes(parsed.origin)) return true;
  return parsed.protocol === "https:" && DISCORD_CDN_HOSTS.has(parsed.hostname);
}

/**
 * Downloads one attachment from Discord's CDN through the one capped fetch: size cap (declared and while
 * reading), one timeout for the whole download; redirects are refused so the host check cannot be bypassed.
 * @throws `UserError` (`invalid_input`) with a sentence for the person.
 */
export async function downloadAttachment(
  attachment: AttachmentLike,
  policy: DownloadPolicy,
): Promise<RawFile> {
  const name = attachment.name ?? "attachment";
  const bytes = await cappedFetch(
    { url: attachment.url, name, declaredBytes: attachment.size },
    {
      platform: "Discord",
      checkUrl(url) {
        if (!isAllowedUrl(url, policy)) {
          throw userError("attachment_host_refused", { file: name });
        }
      },
      maxRedirects: 0,
      maxBytes: policy.maxBytes,
      timeoutMs: policy.timeoutMs,
    },
  );
  return { name, bytes };
}

/** An attachment for the intake, fetched only once the request's options have passed. */
export function attachmentRef(attachment: AttachmentLike, policy: DownloadPolicy): AttachmentRef {
  return { name: attachment.name ?? "attachment", download: () => downloadAttachment(attachment, policy) };
}
