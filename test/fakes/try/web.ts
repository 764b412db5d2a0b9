import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TryPlatform } from "./platform.js";
import type { Watcher } from "./watcher.js";
import { PAGE } from "./web-page.js";

/**
 * `npm run try -- --web`: a read-only page drawing the fake channel, for people who would rather look than
 * read. `GET /` is the page (no external assets), `GET /messages` the messages as JSON (the page polls it),
 * `GET /image/<id>` an image's bytes.
 */
export interface WebView {
  url: string;
  close(): Promise<void>;
}

/** What the page draws of a message: its current version, numbered as the console numbers it. */
export interface DrawnMessage {
  number?: number;
  byBot: boolean;
  author: string;
  where: string;
  onlyYou: boolean;
  deleted: boolean;
  text: string;
  buttons: string[];
  images: { id: string; name: string }[];
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}

export async function startWebView(platform: TryPlatform, watcher: Watcher, port: number): Promise<WebView> {
  const drawn = (): DrawnMessage[] =>
    platform.messages().map((message) => {
      const current = message.versions.at(-1);
      const number = watcher.numberOf(message);
      return {
        ...(number === undefined ? {} : { number }),
        byBot: message.byBot,
        author: message.author,
        where: message.where,
        onlyYou: message.onlyYou,
        deleted: message.deleted,
        text: current?.text ?? "",
        buttons: current?.buttons ?? [],
        images: message.images.map((image) => ({ id: image.id, name: image.name })),
      };
    });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://try.local").pathname;
    if (req.method !== "GET") return send(res, 405, "text/plain", "read-only\n");
    if (path === "/") return send(res, 200, "text/html; charset=utf-8", PAGE(platform.name));
    if (path === "/messages") return send(res, 200, "application/json", JSON.stringify(drawn()));
    const image = /^\/image\/([^/]+)$/.exec(path);
    if (image) {
      const id = decodeURIComponent(image[1] ?? "");
      const found = platform
        .messages()
        .flatMap((message) => message.images)
        .find((candidate) => candidate.id === id);
      if (found === undefined) return send(res, 404, "text/plain", "no such image\n");
      found.bytes().then(
        (bytes) => send(res, 200, contentType(found.name), bytes),
        (error: unknown) => send(res, 404, "text/plain", `${String(error)}\n`),
      );
      return;
    }
    send(res, 404, "text/plain", "not found\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function contentType(name: string): string {
  const extension = name.split(".").pop()?.toLowerCase() ?? "";
  const types: Record<string, string> = {
    png: "image/png",
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
    webp: "image/webp",
  };
  return types[extension] ?? "application/octet-stream";
}
