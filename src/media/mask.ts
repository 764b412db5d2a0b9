import sharp, { type Sharp } from "sharp";
import { userError } from "../core/errors.js";
import type { InputFile } from "../core/images.js";
import { LIMITS } from "../core/limits.js";
import { decoderOptions, type FileLabel } from "./decode.js";
import { checkMaskHeader, maskLabel } from "./mask-header.js";

/** Per-pixel spread between R, G and B still counted as grey: JPEG chroma noise on a clean mask stays below. */
const GREY_TOLERANCE = 32;
/** Share of pixels allowed beyond the tolerance (coloured anti-aliasing at stroke edges). */
const GREY_OUTLIERS = 0.01;
/**
 * Luminance (0.299 R + 0.587 G + 0.114 B) above which a pixel is "white" (edit); greys round to the nearer end.
 * Exactly 128 stays black, as it did when this was computed in floating point (where the grey 128 came out at
 * 127.99999999999999): every black-and-white PNG with anti-aliased edges converts to the same bytes as before.
 */
const WHITE_ABOVE = 128;
/** Whole-band answers fold a band down to this many bytes, then read those (natively, a few microseconds). */
const FOLDED_BYTES = 256 * 1024;
/** Width, in four-byte pixels, of the images a fold step works on. */
const FOLD_WIDTH = 1024;

/*
 * Every pixel operation below is a libvips operation run by sharp in libuv's thread pool: a mask of 50
 * megapixels must not hold the event loop (the bot's gateway shares the process with the worker). The mask is
 * decoded once; every later step reads that raw buffer (or a band of it) and costs no decode. Whole-image
 * answers ("is any pixel ...?") come from folding a band with bitwise operations (`fold`) rather than from
 * `stats()`, which runs several passes (entropy, sharpness, histogram) and costs milliseconds even on a few
 * pixels.
 */

/** Raw pixels in memory: the decoded mask (4 bands, RGBA) or one band of it. */
interface Raw {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 4;
}

function rawOptions({ width, height, channels }: Omit<Raw, "data">) {
  return { raw: { width, height, channels } };
}

function open(image: Raw) {
  return sharp(image.data, rawOptions(image));
}

/** A one-band result: kept as one band (sharp would otherwise convert it to three-band sRGB). */
async function toBand(pipeline: Sharp, { width, height }: Raw): Promise<Raw> {
  const data = await pipeline.toColourspace("b-w").raw({ depth: "uchar" }).toBuffer();
  return { data, width, height, channels: 1 };
}

async function decodeRgba(bytes: Buffer, label: FileLabel, maxPixels: number): Promise<Raw> {
  try {
    const { data, info } = await sharp(bytes, decoderOptions(maxPixels))
      .autoOrient()
      .toColourspace("srgb")
      .ensureAlpha()
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: 4 };
  } catch (cause) {
    throw userError("mask_corrupt", { file: label.text }, { details: { reason: (cause as Error).message } });
  }
}

/** Band 0 (R), 1 (G), 2 (B) or 3 (alpha) of the decoded mask. */
async function band(rgba: Raw, index: 0 | 1 | 2 | 3): Promise<Raw> {
  const data = await open(rgba).extractChannel(index).raw({ depth: "uchar" }).toBuffer();
  return { data, width: rgba.width, height: rgba.height, channels: 1 };
}

/** `a <op> b`, byte by byte, for two bands of the same size. */
function bitwise(a: Raw, b: Raw, op: "and" | "or" | "eor"): Promise<Raw> {
  return toBand(open(a).boolean(b.data, op, rawOptions(b)), a);
}

/**
 * Folds a band with `op` until at most `FOLDED_BYTES` are left, for whole-band answers: the band's two halves
 * (overlapping when they must, harmless to "and" and "or"), seen as four-band images, combined with
 * `boolean` and their four bands with `bandbool`: an eighth as many bytes per step. With "and" the remainder
 * is all 255 only if every byte is, and holds a 0 if a two-level (0/255) band does; with "or" it is all 0 only
 * if every byte is.
 */
async function fold(image: Raw, op: "and" | "or"): Promise<Buffer> {
  let data = image.data;
  while (data.length > FOLDED_BYTES) {
    const height = Math.ceil(data.length / (8 * FOLD_WIDTH));
    // At least half the bytes (so the two cover them all) and, above 8 KiB, at most all of them.
    const bytes = 4 * FOLD_WIDTH * height;
    const half = { raw: { width: FOLD_WIDTH, height, channels: 4 as const } };
    data = await sharp(data.subarray(0, bytes), half)
      .boolean(data.subarray(data.length - bytes), op, half)
      .bandbool(op)
      .toColourspace("b-w")
      .raw({ depth: "uchar" })
      .toBuffer();
  }
  return data;
}

/** Whether every byte of `image` is 255. */
async function all255(image: Raw): Promise<boolean> {
  const folded = await fold(image, "and");
  return folded.equals(Buffer.alloc(folded.length, 255));
}

/** Whether a two-level (0/255) band has a 0. */
async function hasZero(image: Raw): Promise<boolean> {
  return (await fold(image, "and")).includes(0);
}

/** Alpha as OpenAI reads it: fully opaque, or else whether some pixel is fully transparent (to edit). */
async function alphaStats(alpha: Raw): Promise<{ opaque: boolean; hasZero: boolean }> {
  if (await all255(alpha)) return { opaque: true, hasZero: false };
  return {
    opaque: false,
    hasZero: await hasZero(await toBand(open(alpha).threshold(1, { greyscale: false }), alpha)),
  };
}

/** Whether R = G = B in every pixel: a black-and-white or grey mask drawn and saved losslessly. */
async function isExactGrey(red: Raw, green: Raw, blue: Raw): Promise<boolean> {
  const differs = await bitwise(await bitwise(red, green, "eor"), await bitwise(green, blue, "eor"), "or");
  const folded = await fold(differs, "or");
  return folded.equals(Buffer.alloc(folded.length));
}

/**
 * Whether at most `GREY_OUTLIERS` of the pixels spread more than `GREY_TOLERANCE` between their lowest and
 * highest of R, G and B. That spread is the largest of |R-G|, |G-B| and |B-R|; each difference, offset by 128
 * (the opaque alpha, 255, supplies the constant), lands in a byte, where two thresholds find it beyond the
 * tolerance either way.
 */
async function isGreyscale(rgba: Raw): Promise<boolean> {
  const offset = (128 + 0.25) / 255; // +0.25: the same byte whether libvips rounds or truncates the float
  const differences: Raw = {
    ...rgba,
    data: await open(rgba)
      .recomb([
        [1, -1, 0, offset],
        [0, 1, -1, offset],
        [-1, 0, 1, offset],
        [1, -1, 0, offset], // R-G again: the fourth band must not change an OR or an AND over the bands
      ])
      .raw({ depth: "uchar" })
      .toBuffer(),
  };
  const withinAbove = await toBand(
    open(differences)
      .threshold(128 + GREY_TOLERANCE + 1, { greyscale: false })
      .bandbool("or")
      .negate(),
    rgba,
  );
  const withinBelow = await toBand(
    open(differences)
      .threshold(128 - GREY_TOLERANCE, { greyscale: false })
      .bandbool("and"),
    rgba,
  );
  const within = await bitwise(withinAbove, withinBelow, "and");
  if (await all255(within)) return true;
  const [stats] = (await open(within).stats()).channels;
  const pixels = rgba.width * rgba.height;
  const outliers = Math.round(pixels * (1 - (stats?.mean ?? 0) / 255));
  return outliers <= pixels * GREY_OUTLIERS;
}

/**
 * White (light) → alpha 0, edit; black (dark) → alpha 255, keep; as one band. Luminance above `WHITE_ABOVE` is
 * 299 R + 587 G + 114 B > 1000 × `WHITE_ABOVE`, in integers: no rounding decides a pixel. For an exactly grey
 * mask that is R > `WHITE_ABOVE`.
 */
async function blackAndWhiteToAlpha(rgba: Raw, red: Raw, exactGrey: boolean): Promise<Raw> {
  if (exactGrey) {
    return toBand(
      open(red)
        .threshold(WHITE_ABOVE + 1, { greyscale: false })
        .negate(),
      red,
    );
  }
  // k × (1000 × WHITE_ABOVE + 0.5 - luminance × 1000): at least ±k/2 either side, which clips to 255 or 0.
  const k = 1024;
  const data = await open(rgba)
    .recomb([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [-299 * k, -587 * k, -114 * k, ((WHITE_ABOVE * 1000 + 0.5) * k) / 255], // alpha is 255 here
    ])
    .extractChannel(3)
    .raw({ depth: "uchar" })
    .toBuffer();
  return { data, width: rgba.width, height: rgba.height, channels: 1 };
}

function encodePng(pipeline: Sharp): Promise<Buffer> {
  // zlib's default level: a two-level alpha mask compresses as well, and level 9 is slow on noisy ones.
  return pipeline.png({ compressionLevel: 6 }).toBuffer();
}

/** Black RGB behind `alpha`: only alpha counts for OpenAI, and a flat colour costs nothing in the PNG. */
function alphaOnlyPng(alpha: Raw): Promise<Buffer> {
  // Zero-filled by the allocator, not in JavaScript. One three-band input: joining three one-band ones is slower.
  const black = Buffer.alloc(alpha.width * alpha.height * 3);
  return encodePng(
    sharp(black, { raw: { width: alpha.width, height: alpha.height, channels: 3 } }).joinChannel(
      alpha.data,
      rawOptions(alpha),
    ),
  );
}

/**
 * Turns whatever the person sent as a mask into what OpenAI requires: a PNG with alpha, same size as the
 * first image, under 4 MB. A mask with meaningful alpha keeps it; an opaque black-and-white (or grey) one is
 * converted (white = edit); an opaque colour one is refused, since which colour means "edit" is a guess.
 * The pixels are worked on by libvips in the thread pool, never in JavaScript: the event loop stays free.
 * @throws `UserError` with a `mask_*` code.
 */
export async function prepareMask(
  file: { name: string; bytes: Buffer },
  first: { width: number; height: number },
  maxPixels: number,
): Promise<InputFile> {
  const label = maskLabel(file.name);
  const info = await checkMaskHeader(file, first, maxPixels);
  const rgba = await decodeRgba(file.bytes, label, maxPixels);
  // Without an alpha channel the decoded alpha is 255 throughout (`ensureAlpha`): nothing to read.
  const alpha = info.hasAlpha ? await band(rgba, 3) : undefined;
  const alphaFacts = alpha ? await alphaStats(alpha) : { opaque: true, hasZero: false };
  let png: Buffer;
  let converted: Raw | undefined;
  if (!alphaFacts.opaque) {
    if (!alphaFacts.hasZero) {
      throw userError("mask_empty", { file: label.text, drawn: "alpha" });
    }
    png = await encodePng(open(rgba));
  } else {
    const red = await band(rgba, 0);
    const exactGrey = await isExactGrey(red, await band(rgba, 1), await band(rgba, 2));
    if (!exactGrey && !(await isGreyscale(rgba))) {
      throw userError("mask_not_greyscale", { file: label.text });
    }
    converted = await blackAndWhiteToAlpha(rgba, red, exactGrey);
    if (!(await hasZero(converted))) {
      throw userError("mask_empty", { file: label.text, drawn: "black_and_white" });
    }
    png = await alphaOnlyPng(converted);
  }
  if (png.length >= LIMITS.maxMaskBytes && alpha && !converted) {
    // Only alpha matters to OpenAI; a photo kept behind the alpha is what makes a mask this big.
    png = await alphaOnlyPng(alpha);
  }
  if (png.length >= LIMITS.maxMaskBytes) {
    const bytes = png.length;
    const too = { file: label.text, bytes, maxBytes: LIMITS.maxMaskBytes, as: "png" } as const;
    throw userError("mask_too_large", too, { details: { bytes } });
  }
  return { name: "mask.png", bytes: png, contentType: "image/png" };
}
