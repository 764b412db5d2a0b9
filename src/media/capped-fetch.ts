import { UserError, userError } from "../core/errors.js";

/** How long one download may take, every redirect hop and the whole body included. */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 20_000;

/**
 * What differs between platforms when the bot fetches a file a person shared: which hosts may be asked (and
 * what to say when one may not), which headers travel (Slack's bot token), and how a platform's own refusal looks.
 */
export interface CappedFetchPolicy {
  /** The platform serving the file, as sentences name it: "Discord", "Slack". */
  platform: string;
  /** Throws a `UserError` saying why when `url` may not be asked: before the first request and before every hop. */
  checkUrl(url: string): void;
  /** Sent with every request, so `checkUrl` is what keeps them on the platform's hosts. */
  headers?: Readonly<Record<string, string>>;
  /** Redirects followed, each hop checked first; 0 refuses every redirect. */
  maxRedirects: number;
  /** Largest body read; reading stops as soon as it is passed, whatever `content-length` said. */
  maxBytes: number;
  /** Covers the whole download: every hop, the headers and the body. */
  timeoutMs: number;
  /** Refuses an answer before its body is read (Slack's sign-in page in place of the file). */
  checkResponse?(response: Response): void;
}

export interface FileToFetch {
  url: string;
  /** The file's name, for sentences. */
  name: string;
  /** The size the platform declared, if it did: a file declared too large is refused without a request. */
  declaredBytes?: number | null | undefined;
}

/**
 * Downloads one shared file with a byte cap checked before and while reading, one timeout for the whole
 * download, and redirects refused or checked hop by hop against the policy's hosts.
 * @throws `UserError`: the policy's own refusals, `image_too_large`, `attachment_download_timed_out`,
 *   `attachment_download_failed`; each a sentence naming the file.
 */
export async function cappedFetch(file: FileToFetch, policy: CappedFetchPolicy): Promise<Buffer> {
  const name = file.name || "The file";
  const { platform } = policy;
  policy.checkUrl(file.url);
  const { maxBytes } = policy;
  const tooLarge = () => userError("image_too_large", { file: name, maxBytes }, { details: { maxBytes } });
  if ((file.declaredBytes ?? 0) > policy.maxBytes) throw tooLarge();
  const failed = (reason?: string) =>
    userError("attachment_download_failed", { file: name, platform, reason });
  const signal = AbortSignal.timeout(policy.timeoutMs);
  try {
    const response = await follow(file.url, policy, signal, failed);
    if (!response.body) throw failed(`HTTP ${response.status}`);
    try {
      policy.checkResponse?.(response);
      if (!response.ok) throw failed(`HTTP ${response.status}`);
      if (Number(response.headers.get("content-length") ?? "0") > policy.maxBytes) throw tooLarge();
    } catch (error) {
      await response.body.cancel().catch(() => undefined);
      throw error;
    }
    return await readCapped(response.body, policy.maxBytes, tooLarge);
  } catch (error) {
    if (error instanceof UserError) throw error;
    if (signal.aborted) {
      const { timeoutMs } = policy;
      throw userError(
        "attachment_download_timed_out",
        { file: name, platform, timeoutMs },
        { details: { timeoutMs } },
      );
    }
    throw failed();
  }
}

/** Requests `url`, following redirects by hand so that every hop is checked before anything is sent to it. */
async function follow(
  url: string,
  policy: CappedFetchPolicy,
  signal: AbortSignal,
  failed: (reason: string) => UserError,
): Promise<Response> {
  let next = url;
  for (let hop = 0; ; hop++) {
    const response = await fetch(next, { headers: { ...policy.headers }, redirect: "manual", signal });
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || location === null) return response;
    await response.body?.cancel().catch(() => undefined);
    if (hop >= policy.maxRedirects) {
      throw failed(policy.maxRedirects === 0 ? "it was redirected elsewhere" : "too many redirects");
    }
    next = new URL(location, next).toString();
    policy.checkUrl(next);
  }
}

/** Reads a body up to `maxBytes`; one byte more and the connection is dropped. */
async function readCapped(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  tooLarge: () => UserError,
): Promise<Buffer> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, total);
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
}
