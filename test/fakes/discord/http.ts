import type { IncomingMessage, ServerResponse } from "node:http";
import { readIncoming } from "../incoming.js";
import type { RecordedFile, RecordedRequest } from "./types.js";

/** A Discord JSON error: `{ message, code }` (plus `errors` for form errors). */
export class DiscordHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const unknownMessage = () => new DiscordHttpError(404, 10008, "Unknown Message");
export const unknownChannel = () => new DiscordHttpError(404, 10003, "Unknown Channel");
export const unknownWebhook = () => new DiscordHttpError(404, 10015, "Unknown Webhook");
export const invalidWebhookToken = () => new DiscordHttpError(401, 50027, "Invalid Webhook Token");
export const unauthorized = () => new DiscordHttpError(401, 0, "401: Unauthorized");
export const tooLarge = () => new DiscordHttpError(413, 40005, "Request entity too large");
export const invalidForm = (errors: unknown) => new DiscordHttpError(400, 50035, "Invalid Form Body", errors);

export interface ParsedBody {
  json?: unknown;
  files: RecordedFile[];
  fileBytes: Buffer[];
}

/** JSON, or multipart with `payload_json` and `files[n]` (what @discordjs/rest sends with files). */
export async function parseBody(body: Buffer, contentType: string): Promise<ParsedBody> {
  if (body.length === 0) return { files: [], fileBytes: [] };
  if (contentType.includes("application/json")) {
    return { json: JSON.parse(body.toString("utf8")), files: [], fileBytes: [] };
  }
  // OAuth2's token endpoint and the consent page's form: fields as a flat object.
  if (contentType.startsWith("application/x-www-form-urlencoded")) {
    return { json: Object.fromEntries(new URLSearchParams(body.toString("utf8"))), files: [], fileBytes: [] };
  }
  if (!contentType.startsWith("multipart/form-data")) return { files: [], fileBytes: [] };
  const form = await new Request("http://fake.local/", {
    method: "POST",
    headers: { "content-type": contentType },
    body: new Uint8Array(body),
  }).formData();
  const parsed: ParsedBody = { files: [], fileBytes: [] };
  for (const [field, value] of form.entries()) {
    if (typeof value === "string") {
      if (field === "payload_json") parsed.json = JSON.parse(value);
      continue;
    }
    const bytes = Buffer.from(await value.arrayBuffer());
    parsed.files.push({ field, name: value.name, contentType: value.type, bytes: bytes.length });
    parsed.fileBytes.push(bytes);
  }
  return parsed;
}

export async function readRequest(req: IncomingMessage): Promise<{ request: RecordedRequest; body: Buffer }> {
  const { method, path, query, headers, body, arrivedAt } = await readIncoming(req);
  const request: RecordedRequest = {
    method,
    path,
    query,
    headers,
    arrivedAt,
    files: [],
    fileBytes: [],
  };
  try {
    const parsed = await parseBody(body, headers["content-type"] ?? "");
    if (parsed.json !== undefined) request.json = parsed.json;
    request.files = parsed.files;
    request.fileBytes = parsed.fileBytes;
  } catch {
    // Left unparsed: routes answer 400 like Discord does for a malformed body.
  }
  return { request, body };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  if (status === 204 || body === undefined) {
    res.writeHead(204, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: DiscordHttpError): void {
  sendJson(
    res,
    error.status,
    { message: error.message, code: error.code, ...(error.errors ? { errors: error.errors } : {}) },
    error.headers,
  );
}
