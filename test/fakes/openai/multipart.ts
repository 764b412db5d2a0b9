import { invalidRequest } from "./errors.js";

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  bytes: Buffer;
}

export interface ParsedForm {
  fields: Record<string, string | string[]>;
  files: UploadedFile[];
}

/** Parses multipart/form-data with the web `Request` parser built into Node (undici). */
export async function parseMultipart(body: Buffer, contentType: string): Promise<ParsedForm> {
  let form: FormData;
  try {
    form = await new Request("http://fake.local/", {
      method: "POST",
      headers: { "content-type": contentType },
      body: new Uint8Array(body),
    }).formData();
  } catch {
    throw invalidRequest("Could not parse multipart form data: malformed body or boundary.");
  }
  const fields: Record<string, string | string[]> = {};
  const files: UploadedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === "string") {
      const previous = fields[field];
      if (previous === undefined) fields[field] = value;
      else fields[field] = Array.isArray(previous) ? [...previous, value] : [previous, value];
      continue;
    }
    const bytes = Buffer.from(await value.arrayBuffer());
    files.push({ field, filename: value.name, contentType: value.type, size: bytes.length, bytes });
  }
  return { fields, files };
}
