import type { IncomingMessage } from "node:http";
import busboy from "busboy";
import { userError } from "../../core/errors.js";
import { LIMITS } from "../../core/limits.js";
import { refuseNonImageFiles } from "../../media/check-inputs.js";

/**
 * The most a run's form may carry in all: sixteen phone photos and a mask fit many times over; a drop past it
 * is refused by its declared length before a byte of it is read.
 */
export const MAX_FORM_BYTES = 200_000_000;

/** Text fields of `StudioRunForm` (`options` and `from` as JSON), plus the CSRF token of a form post. */
const FIELDS = ["prompt", "options", "from", "conversation", "parent", "link", "csrf"] as const;
type FieldName = (typeof FIELDS)[number];
/** A prompt is at most 32,000 characters (up to four bytes each); every other field is far shorter. */
const MAX_FIELD_BYTES = 4 * LIMITS.promptMaxChars;

export interface Upload {
  name: string;
  contentType: string;
  bytes: Buffer;
}

export interface RunFormData {
  fields: Partial<Record<FieldName, string>>;
  images: Upload[];
  mask?: Upload;
  markup?: Upload;
}

const fileLabel = (field: string, index: number, name: string) =>
  field === "image" ? `Image ${index + 1} (${name})` : `The ${field} (${name})`;

/**
 * Reads a run's multipart form, refusing as early as it can and before anything is spent: a file that is no
 * image by its declared type, one over the byte cap of chat's inputs, or more input images than a request takes
 * (counted to the end, so the sentence gives the real number, but never kept).
 * @throws `UserError`: the first refusal; the caller answers it and drops the rest of the body.
 */
export function readRunForm(req: IncomingMessage): Promise<RunFormData> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_FORM_BYTES)
    return Promise.reject(userError("web_body_too_large", { maxBytes: MAX_FORM_BYTES }));
  return new Promise((resolve, reject) => {
    const data: RunFormData = { fields: {}, images: [] };
    let imageCount = 0;
    let received = 0;
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      reject(error);
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: LIMITS.maxImageBytes - 1, fieldSize: MAX_FIELD_BYTES, fields: 20, parts: 60 },
      });
    } catch {
      return reject(userError("web_form_invalid", { problem: "it is not a multipart form" }));
    }
    parser.on("field", (name, value, info) => {
      if (info.valueTruncated) fail(userError("web_form_invalid", { problem: `${name} is too long` }));
      else if ((FIELDS as readonly string[]).includes(name)) data.fields[name as FieldName] = value;
    });
    parser.on("file", (field, stream, info) => {
      const index = field === "image" ? imageCount++ : 0;
      const name = info.filename ?? field;
      const keep = field === "image" ? index < LIMITS.maxInputImages : field === "mask" || field === "markup";
      if (!keep || settled) {
        stream.resume();
        return;
      }
      try {
        refuseNonImageFiles([{ name, contentType: info.mimeType }]);
      } catch (error) {
        stream.resume();
        return fail(error);
      }
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("limit", () => {
        const file = fileLabel(field, index, name);
        fail(userError("image_too_large", { file, maxBytes: LIMITS.maxImageBytes }));
      });
      stream.on("end", () => {
        if (settled) return;
        const upload = { name, contentType: info.mimeType, bytes: Buffer.concat(chunks) };
        if (field === "image") data.images[index] = upload;
        else data[field as "mask" | "markup"] = upload;
      });
    });
    parser.on("error", () => fail(userError("web_form_invalid", { problem: "the upload was cut short" })));
    parser.on("close", () => {
      if (settled) return;
      if (imageCount > LIMITS.maxInputImages) {
        return fail(userError("too_many_images", { count: imageCount, max: LIMITS.maxInputImages }));
      }
      settled = true;
      resolve(data);
    });
    req.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_FORM_BYTES) fail(userError("web_body_too_large", { maxBytes: MAX_FORM_BYTES }));
    });
    req.pipe(parser);
  });
}
