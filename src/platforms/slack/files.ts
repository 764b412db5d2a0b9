import type { webApi } from "@slack/bolt";

type WebClient = webApi.WebClient;

import { UserError } from "../../core/errors.js";
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

/** Largest file the bot downloads (OpenAI's input limit is 50 MB). */
const MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024;

/** Downloads a file a person shared, with the bot token, only from Slack's own hosts. */
export async function downloadPrivate(
  url: string,
  token: string,
  options: ResolvedSlackOptions,
): Promise<Buffer> {
  const response = await fetchWithToken(url, token, options);
  const type = response.headers.get("content-type") ?? "";
  if (!response.ok || type.startsWith("text/html")) {
    throw new UserError(
      "slack_file_unreadable",
      "invalid_input",
      "The bot could not read that file; make sure it was shared in a channel the bot is in.",
      { details: { status: response.status } },
    );
  }
  const length = Number(response.headers.get("content-length") ?? "0");
  if (length > MAX_DOWNLOAD_BYTES) {
    throw new UserError("image_too_large", "invalid_input", "That file is over 50 MB, OpenAI's limit.");
  }
  return Buffer.from(await response.arrayBuffer());
}

/** Follows redirects by hand so that every hop's host is checked before the token is sent to it. */
async function fetchWithToken(url: string, token: string, options: ResolvedSlackOptions): Promise<Response> {
  let next = url;
  for (let hop = 0; hop < 4; hop++) {
    assertTokenSafe(next, options.trustedHosts, "file URL");
    const response = await fetch(next, { headers: { authorization: `Bearer ${token}` }, redirect: "manual" });
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || !location) return response;
    await response.body?.cancel();
    next = new URL(location, next).toString();
  }
  throw new UserError(
    "slack_file_unreadable",
    "invalid_input",
    "That file could not be downloaded (too many redirects).",
  );
}
