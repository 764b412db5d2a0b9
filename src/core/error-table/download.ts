import type { ErrorGroup } from "./entry.js";
import { INPUT_ERRORS } from "./input.js";

/** The file as sentences name it, and the platform serving it ("Discord", "Slack"). */
interface FetchParams {
  file: string;
  platform: string;
}

/** `cappedFetch` (src/media/capped-fetch.ts) and the platforms' download policies: shared files fetched. */
export const DOWNLOAD_ERRORS = {
  image_too_large: INPUT_ERRORS.image_too_large,
  // `reason` absent: the request itself failed (no answer); present: what the answer said (`HTTP 500`).
  attachment_download_failed: {
    kind: "invalid_input",
    sentence: ({ file, platform, reason }: FetchParams & { reason?: string | undefined }) =>
      reason === undefined
        ? `${file} could not be downloaded from ${platform}; please try again.`
        : `${file} could not be downloaded from ${platform} (${reason}).`,
  },
  attachment_download_timed_out: {
    kind: "invalid_input",
    sentence: ({ file, platform, timeoutMs }: FetchParams & { timeoutMs: number }) =>
      `Downloading ${file} from ${platform} took longer than ${timeoutMs / 1000} seconds; please try again.`,
  },
  attachment_host_refused: {
    kind: "invalid_input",
    sentence: ({ file }: { file: string }) => `${file} is not a Discord upload, so it was not downloaded.`,
  },
} as const satisfies ErrorGroup;
