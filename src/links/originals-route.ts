import type { IncomingMessage, ServerResponse } from "node:http";
import { contentTypeOf, formatOfKey } from "../core/content-types.js";
import type { Mount } from "../observability/http-endpoint.js";
import type { BlobStore } from "../storage/blob-store.js";
import { checkOriginalRequest, ORIGINALS_PATH } from "./signed-url.js";

/**
 * Serves the originals that signed links name (`signed-url.ts`), on the bot's HTTP endpoint: GET or HEAD of
 * one final image, with a valid, unexpired signature; nothing else (no folders, no listing, no other files).
 */
export function originalsRoute(blobs: BlobStore, secret: () => Promise<string>): Mount {
  return {
    path: ORIGINALS_PATH,
    async handle(req: IncomingMessage, res: ServerResponse) {
      if (req.method !== "GET" && req.method !== "HEAD") return refuse(res, 405, "GET only");
      const url = new URL(req.url ?? "/", "http://endpoint");
      const check = checkOriginalRequest(
        url.pathname.slice(ORIGINALS_PATH.length + 1),
        url.searchParams,
        await secret(),
      );
      if (!check.ok) return refuse(res, check.status, check.reason);
      const bytes = await blobs.find(check.key);
      // Deleted by its owner, or past RUN_RETENTION_DAYS.
      if (bytes === undefined) return refuse(res, 404, "this image is no longer kept");
      const remaining = Math.max(0, Number(url.searchParams.get("expires")) - Math.floor(Date.now() / 1000));
      res.writeHead(200, {
        "content-type": contentTypeOf(formatOfKey(check.key)),
        "content-length": bytes.length,
        "content-disposition": `inline; filename="${check.key.replace("/", "_")}"`,
        "cache-control": `private, max-age=${remaining}`,
        "x-content-type-options": "nosniff",
        // An SVG opened from the bot's origin must run nothing: no scripts, no requests, a sandbox.
        "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      });
      res.end(req.method === "HEAD" ? undefined : bytes);
    },
  };
}

function refuse(res: ServerResponse, status: number, reason: string): void {
  res.writeHead(status, { "content-type": "text/plain", "cache-control": "no-store" });
  res.end(`${reason}\n`);
}
