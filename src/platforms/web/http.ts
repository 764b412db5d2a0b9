import type { IncomingMessage, ServerResponse } from "node:http";
import { type UserError, userError } from "../../core/errors.js";

/**
 * Every studio answer's headers: its own files only (images also as `data:` previews and `blob:` drawings),
 * no inline script, never framed, and links carrying tokens (the one-time link) never leak through Referer.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": [
    "default-src 'self'",
    "img-src 'self' data: blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; "),
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(JSON.stringify(body));
}

/** A refusal: `{ error }` with the one sentence, and the status its kind calls for. */
export function sendError(res: ServerResponse, error: UserError, status = statusOf(error)): void {
  sendJson(res, status, { error: error.message });
}

function statusOf(error: UserError): number {
  if (error.code === "web_signed_out" || error.code === "web_session_ended") return 401;
  if (error.code === "web_csrf_missing") return 403;
  if (error.code === "web_run_not_found" || error.code === "web_not_found") return 404;
  if (error.code === "web_body_too_large") return 413;
  return { invalid_input: 400, refused: 403, unavailable: 503, cancelled: 409 }[error.kind];
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { ...SECURITY_HEADERS, location, "cache-control": "no-store" });
  res.end();
}

/** The largest JSON body the studio reads (an action press is a few hundred bytes). */
const MAX_JSON_BYTES = 64 * 1024;

/** A small JSON body, or `web_form_invalid`. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BYTES) throw userError("web_form_invalid", { problem: "it is too long" });
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw userError("web_form_invalid", { problem: "it is not JSON" });
  }
}

const escapes: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => escapes[char] ?? char);
}
