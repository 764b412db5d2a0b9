import { invalidInput } from "../../core/errors.js";
import { formatMegabytes, LIMITS } from "../../core/limits.js";
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
  timeoutMs: 20_000,
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
 * Downloads one attachment from Discord's CDN with a size cap (checked before and while reading) and a
 * timeout; redirects are refused so the host check cannot be bypassed.
 * @throws `UserError` (`invalid_input`) with a sentence for the person.
 */
export async function downloadAttachment(
  attachment: AttachmentLike,
  policy: DownloadPolicy,
): Promise<RawFile> {
  const name = attachment.name ?? "attachment";
  if (!isAllowedUrl(attachment.url, policy)) {
    throw invalidInput(
      "attachment_host_refused",
      `${name} is not a Discord upload, so it was not downloaded.`,
    );
  }
  const tooBig = () =>
    invalidInput(
      "image_too_large",
      `${name} is larger than ${formatMegabytes(policy.maxBytes)}; input images must be under ${formatMegabytes(policy.maxBytes)}.`,
    );
  if ((attachment.size ?? 0) > policy.maxBytes) throw tooBig();
  let response: Response;
  try {
    response = await fetch(attachment.url, {
      redirect: "error",
      signal: AbortSignal.timeout(policy.timeoutMs),
    });
  } catch {
    throw invalidInput(
      "attachment_download_failed",
      `${name} could not be downloaded from Discord; please try again.`,
    );
  }
  if (!response.ok || response.body === null) {
    throw invalidInput(
      "attachment_download_failed",
      `${name} could not be downloaded from Discord (HTTP ${response.status}).`,
    );
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of response.body) {
      total += chunk.length;
      if (total > policy.maxBytes) throw tooBig();
      chunks.push(Buffer.from(chunk));
    }
  } catch (error) {
    if (total > policy.maxBytes) throw error;
    throw invalidInput(
      "attachment_download_failed",
      `${name} could not be downloaded from Discord; please try again.`,
    );
  }
  return { name, bytes: Buffer.concat(chunks) };
}
