/**
 * The numeric limits OpenAI documents for image requests (openai-node 7.x `images.d.ts`, DESIGN.md "Facts").
 * One place, so option definitions, validation, input checks and help text quote the same numbers.
 */
export const LIMITS = {
  /** "The maximum length is 32000 characters for the GPT image models." */
  promptMaxChars: 32_000,
  n: { min: 1, max: 10 },
  partials: { min: 0, max: 3 },
  compression: { min: 0, max: 100 },
  /** GIF `frame_count`: "integers from 2 through 16". */
  frames: { min: 2, max: 16 },
  /** GIF `frame_duration_ms`: the encoded delay is capped at 655,350 ms per frame. */
  frameMs: { min: 1, max: 655_350 },
  /** Arbitrary sizes: both sides divisible by 16. */
  sizeStep: 16,
  /** Arbitrary sizes: aspect ratio between 1:3 and 3:1. */
  maxAspectRatio: 3,
  /** "The maximum supported resolution is 3840x2160": longest side and pixel count. */
  maxEdge: 3840,
  maxPixels: 3840 * 2160,
  /** Input images for edits. */
  maxInputImages: 16,
  /**
   * "less than 50MB". Read as decimal megabytes: the smaller of the two readings, so a file we accept is never
   * one OpenAI rejects.
   */
  maxImageBytes: 50_000_000,
  /** Mask: "a valid PNG file, less than 4MB" (decimal, as above). */
  maxMaskBytes: 4_000_000,
  /**
   * Markup: OpenAI publishes no size limit for it; held to the mask's, the other PNG laid over the first
   * image (a mostly transparent overlay of strokes is far smaller).
   */
  maxMarkupBytes: 4_000_000,
  /**
   * Longest input edge worth sending: above the largest output (3840) with room to spare, and OpenAI scales
   * inputs down before the model sees them. Larger inputs (a 7070x7070 scan, an 8160x6120 phone photo) are
   * scaled down in the worker: the same result, a fraction of the upload and of the memory.
   */
  maxUsefulInputEdge: 4096,
  /**
   * Web searches one grounded image may make (`search`): bounds its bill, sent as `max_tool_calls` with the
   * image call, and reserved at this many.
   */
  maxWebSearches: 3,
} as const;

/** `12345678` → `12,345,678`, for messages that quote limits. */
export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}

/** `50000000` → `50 MB`. */
export function formatMegabytes(bytes: number): string {
  const mb = bytes / 1_000_000;
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}
