import type { OutputFormat } from "./request.js";

/** File extensions and content types of the image formats, for run files and uploads. */
const EXTENSIONS: Record<OutputFormat, string> = {
  png: "png",
  jpeg: "jpg",
  webp: "webp",
  gif: "gif",
  svg: "svg",
};

export function extensionFor(format: OutputFormat): string {
  return EXTENSIONS[format];
}

const CONTENT_TYPES: Record<OutputFormat, string> = {
  png: "image/png",
  jpeg: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
  svg: "image/svg+xml",
};

export function contentTypeOf(format: OutputFormat): string {
  return CONTENT_TYPES[format];
}

/** A run file's content type from its key (an image's extension, or metadata's `.json`); none for others. */
export function contentTypeOfKey(key: string): string | undefined {
  if (key.endsWith(".json")) return "application/json";
  const format = imageFormatOfKey(key);
  return format === undefined ? undefined : CONTENT_TYPES[format];
}

/** The format of a stored image, from the extension `extensionFor` gave it. */
export function formatOfKey(key: string): OutputFormat {
  const format = imageFormatOfKey(key);
  if (format === undefined) throw new Error(`Not a stored image: ${key}`);
  return format;
}

function imageFormatOfKey(key: string): OutputFormat | undefined {
  const extension = key.slice(key.lastIndexOf(".") + 1);
  return (Object.keys(EXTENSIONS) as OutputFormat[]).find((name) => EXTENSIONS[name] === extension);
}
