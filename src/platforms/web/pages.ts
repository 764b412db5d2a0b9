import { readFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { escapeHtml, SECURITY_HEADERS, sendHtml } from "./http.js";
import { PLAIN_PAGE_CSS } from "./plain-style.js";
import type { SignInProvider } from "./providers.js";
import { studioPath } from "./sign-in-state.js";

/** `dist/web/`, where `npm run build` puts the page, whether this runs from `dist/` or from `src/` (tsx). */
export function defaultPageDir(): string {
  const here = fileURLToPath(import.meta.url);
  const marker = `${sep}dist${sep}src${sep}`;
  const root = here.includes(marker)
    ? here.slice(0, here.indexOf(marker))
    : join(dirname(here), "..", "..", "..");
  return join(root, "dist", "web");
}

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
};

/** One of the server's own small pages, in the studio's look (`plain-style.ts`). */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><link rel="icon" href="data:,">
<link rel="stylesheet" href="${PLAIN_PAGE_PATH}"><title>${escapeHtml(title)}</title></head>
<body><main><p class="brand">imagine <span>studio</span></p><h1>${escapeHtml(title)}</h1>${body}</main></body></html>
`;
}

export const PLAIN_PAGE_PATH = "/studio/plain.css";

export function sendPlainStyle(res: ServerResponse): void {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    "content-type": "text/css; charset=utf-8",
    "cache-control": "public, max-age=3600",
  });
  res.end(PLAIN_PAGE_CSS);
}

/** The page itself: `dist/web/index.html`, or one line saying how to build it. */
export async function sendStudioPage(res: ServerResponse, pageDir: string): Promise<void> {
  const html = await readFile(join(pageDir, "index.html"), "utf8").catch(() => undefined);
  if (html !== undefined) return sendHtml(res, 200, html);
  sendHtml(
    res,
    200,
    page("imagine-bot studio", "<p>The studio's page is not built: run <code>npm run build</code>.</p>"),
  );
}

/** `/studio/assets/<file>` from `dist/web/assets/`: nothing outside that folder, whatever the path says. */
export async function sendAsset(res: ServerResponse, pageDir: string, path: string): Promise<boolean> {
  const assets = join(pageDir, "assets");
  const file = normalize(join(assets, path));
  if (!file.startsWith(`${assets}${sep}`)) return false;
  const bytes = await readFile(file).catch(() => undefined);
  if (bytes === undefined) return false;
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    // Vite names built files by their hash: a name never changes its content.
    "cache-control": "public, max-age=31536000, immutable",
  });
  res.end(bytes);
  return true;
}

/** `/studio/sign-in`: a button per provider, or (single-operator mode) where the one-time link is. */
export function sendSignInPage(
  res: ServerResponse,
  providers: SignInProvider[],
  notice?: string,
  status = 200,
  /** A studio path to come back to once signed in (a pending "Edit region" link), carried to each provider. */
  next?: string,
): void {
  const said = notice ? `<p role="alert">${escapeHtml(notice)}</p>` : "";
  const back = next === undefined ? "" : `?next=${encodeURIComponent(studioPath(next))}`;
  const ways =
    providers.length === 0
      ? "<p>This studio has one operator: open the one-time sign-in link it printed when it started (restart it for a new one).</p>"
      : `<ul class="ways">${providers
          .map(
            (provider) =>
              `<li><a href="/studio/auth/${provider.id}${escapeHtml(back)}">${escapeHtml(provider.label)}</a></li>`,
          )
          .join("")}</ul>`;
  sendHtml(res, status, page("Sign in to the studio", `${said}${ways}`));
}
