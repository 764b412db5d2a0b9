import { formatCount } from "../limits.js";
import { orList } from "../or-list.js";
import type { ErrorGroup } from "./entry.js";

/** A custom size as typed (normalised), and the valid size nearest to it when there is one. */
interface SizeParams {
  size: string;
  suggestion?: string | undefined;
}

const tryIt = (suggestion: string | undefined) => (suggestion === undefined ? "" : ` (try ${suggestion})`);

/** `resolveRequest`'s size rules (src/core/size.ts), each broken rule with its own code. */
export const SIZE_ERRORS = {
  size_invalid: {
    kind: "invalid_input",
    sentence: ({ size }: { size: string }) =>
      `Option size must be auto or WIDTHxHEIGHT, e.g. 1536x1024 (got "${size}").`,
  },
  size_not_supported: {
    kind: "invalid_input",
    sentence: (p: { model: string; size: string; presets: readonly string[]; custom: readonly string[] }) =>
      `Model ${p.model} only takes size ${orList(p.presets)} (got ${p.size}); custom sizes need ${orList(p.custom)}.`,
  },
  size_not_multiple_of_16: {
    kind: "invalid_input",
    sentence: (p: SizeParams & { step: number }) =>
      `Size ${p.size}: width and height must both be multiples of ${p.step}${tryIt(p.suggestion)}.`,
  },
  size_too_large: {
    kind: "invalid_input",
    sentence: (p: SizeParams & { maxEdge: number; maxPixels: number }) =>
      `Size ${p.size} is too large: the longest side may be at most ${p.maxEdge} and the image at most 3840x2160 (${formatCount(p.maxPixels)} pixels)${tryIt(p.suggestion)}.`,
  },
  size_aspect_ratio: {
    kind: "invalid_input",
    sentence: (p: SizeParams & { ratio: number; maxAspect: number }) =>
      `Size ${p.size} has an aspect ratio of ${p.ratio.toFixed(2)}:1; it must be between 1:${p.maxAspect} and ${p.maxAspect}:1${tryIt(p.suggestion)}.`,
  },
  size_pixels_out_of_range: {
    kind: "invalid_input",
    sentence: (p: SizeParams & { pixels: number; model: string; minPixels: number; maxPixels: number }) =>
      `Size ${p.size} has ${formatCount(p.pixels)} pixels; ${p.model} needs between ${formatCount(p.minPixels)} and ${formatCount(p.maxPixels)}${tryIt(p.suggestion)}.`,
  },
} as const satisfies ErrorGroup;
