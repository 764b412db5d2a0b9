import type { webApi } from "@slack/bolt";

type WebClient = webApi.WebClient;

import { userError } from "../../core/errors.js";
import { LIMITS } from "../../core/limits.js";
import { cappedFetch, DEFAULT_DOWNLOAD_TIMEOUT_MS } from "../../media/capped-fetch.js";
import { assertTokenSafe } from "./hosts.js";
import type { ResolvedSlackOptions } from "./options.js";

/** Where an upload goes: nowhere (private to the bot, for image blocks), or shared in a channel or thread. */
export interface UploadDestination {
  channel: string;
  threadTs?: string;
}

/**
 * Uploads one file the way `filesUploadV2` does (getUploadURLExternal → POST → completeUploadExternal),
 * but checks `upload_url`'s host first: `filesUploadV2` would send the bot token wherever Slack pointed.
 */
export async function uploadFile(
  client: WebClient,
  token: string,
  options: ResolvedSlackOptions,
  file: { name: string; bytes: Buffer; title?: string },
  destination?: UploadDestination,
): Promise<string> {
  const { upload_url: uploadUrl, file_id: fileId } = await client.files.getUploadURLExternal({
    filename: file.name,
    length: file.bytes.length,
  });
  if (!uploadUrl || !fileId) throw new Error("files.getUploadURLExternal returned no upload_url");
  assertTokenSafe(uploadUrl, options.trustedHosts, "file upload URL");
  const response = await fetch(uploadUrl, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" },
    body: new Uint8Array(file.bytes),
    redirect: "error",
  });
  if (!response.ok) throw new Error(`Slack's upload URL answered ${response.status}`);
  const entry = { id: fileId, title: file.title ?? file.name };
  await client.files.completeUploadExternal(
    destination === undefined
      ? { files: [entry] }
      : destination.threadTs === undefined
        ? { files: [entry], channel_id: destination.channel }
        : { files: [entry], channel_id: destination.channel, thread_ts: destination.threadTs },
  );
  return fileId;
}

/**
 * Waits until `files.info` reports the file processed (its mimetype is known): before that, an image block
 * naming it is rejected as "invalid slack file". Returns false on timeout.
 */
export async function waitUntilReady(
  client: WebClient,
  fileId: string,
  options: ResolvedSlackOptions,
): Promise<boolean> {
  const deadline = Date.now() + options.fileReadyTimeoutMs;
  for (;;) {
    const info = await client.files.info({ file: fileId }).catch(() => undefined);
    if (info?.file?.mimetype) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, options.filePollIntervalMs));
  }
}

/** One download of a file a person shared: its name for sentences; the limits are there for tests to shrink. */
export interface SlackDownload {
  name: string;
  /** The size Slack declared (`size` on the file object): a file declared too large is never requested. */
  declaredBytes?: number | undefined;
  /** Default: OpenAI's decimal 50 MB (`LIMITS.maxImageBytes`). */
  maxBytes?: number;
  /** Default: `DEFAULT_DOWNLOAD_TIMEOUT_MS`, covering every redirect hop and the whole body. */
  timeoutMs?: number;
}

/**
 * Downloads a file a person shared, with the bot token, through the one capped fetch: every redirect hop is
 * checked against Slack's hosts before the token is sent to it.
 * @throws `UserError` naming the file: a foreign host, a file the bot may not read, too large, too slow.
 */
export async function downloadPrivate(
  url: string,
  token: string,
  options: ResolvedSlackOptions,
  download: SlackDownload,
): Promise<Buffer> {
  const { name } = download;
  return cappedFetch(
    { url, name, declaredBytes: download.declaredBytes },
    {
      platform: "Slack",
      checkUrl: (next) => assertTokenSafe(next, options.trustedHosts, `file URL for ${name}`),
      headers: { authorization: `Bearer ${token}` },
      maxRedirects: 3,
      maxBytes: download.maxBytes ?? LIMITS.maxImageBytes,
      timeoutMs: download.timeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS,
      checkResponse(response) {
        // Slack answers a file the bot may not read with its sign-in page, not with an error status.
        if (response.ok && !(response.headers.get("content-type") ?? "").startsWith("text/html")) return;
        throw userError("slack_file_unreadable", { file: name }, { details: { status: response.status } });
      },
    },
  );
}
