import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkOriginalRequest, signOriginalUrl } from "../../src/links/signed-url.js";

const SECRET = "test-link-secret";
const KEY = "20261204-120000-ab12cd34/final_0.png";
const now = new Date("2026-12-04T12:00:00Z");
const inAnHour = new Date(now.getTime() + 3600_000);

/** What the route would check for a link: the path under /originals/ and the query. */
function check(url: string, at = now) {
  const parsed = new URL(url);
  return checkOriginalRequest(parsed.pathname.replace(/^\/originals\//, ""), parsed.searchParams, SECRET, at);
}

describe("signed links to originals", () => {
  it("accepts its own link until it expires, then refuses it as expired", () => {
    const url = signOriginalUrl("https://imagine.example.com/", SECRET, KEY, inAnHour);
    expect(url).toMatch(
      /^https:\/\/imagine\.example\.com\/originals\/20261204-120000-ab12cd34\/final_0\.png\?expires=\d+&signature=[0-9a-f]{64}$/,
    );
    expect(check(url)).toEqual({ ok: true, key: KEY });
    expect(check(url, inAnHour)).toEqual({ ok: false, status: 403, reason: "this link has expired" });
  });

  it("keeps a path in the base URL (a proxy under a prefix)", () => {
    expect(signOriginalUrl("https://example.com/bot", SECRET, KEY, inAnHour)).toMatch(
      /^https:\/\/example\.com\/bot\/originals\/20261204/,
    );
  });

  it.each([
    [
      "a changed signature",
      (url: string) => url.replace(/signature=(.)/, (_, c) => `signature=${c === "a" ? "b" : "a"}`),
    ],
    [
      "a later expiry",
      (url: string) => url.replace(/expires=(\d+)/, (_, e) => `expires=${Number(e) + 86_400}`),
    ],
    ["another run's image", (url: string) => url.replace("ab12cd34", "ab12cd35")],
    ["another image of the run", (url: string) => url.replace("final_0", "final_1")],
    ["no signature", (url: string) => url.replace(/&signature=.*/, "")],
    ["a short signature", (url: string) => url.replace(/(signature=[0-9a-f]{10}).*/, "$1")],
    ["a non-number expiry", (url: string) => url.replace(/expires=\d+/, "expires=never")],
  ])("refuses %s", (_, tamper) => {
    const url = tamper(signOriginalUrl("https://imagine.example.com", SECRET, KEY, inAnHour));
    expect(check(url)).toMatchObject({ ok: false, status: 403 });
  });

  it("refuses a link signed with another secret", () => {
    const url = signOriginalUrl("https://imagine.example.com", "another-secret", KEY, inAnHour);
    expect(check(url)).toEqual({ ok: false, status: 403, reason: "this link is not valid" });
  });

  it.each([
    "../../etc/passwd",
    "20261204-120000-ab12cd34/../../etc/passwd",
    "%2e%2e/%2e%2e/etc/passwd",
    "..%2f..%2fetc%2fpasswd",
    "20261204-120000-ab12cd34%2f..%2f..%2fsecret/final_0.png",
    "20261204-120000-ab12cd34/final_0.png%00.txt",
    "/etc/final_0.png",
    "..\\..\\final_0.png",
    "20261204-120000-ab12cd34/metadata.json",
    "20261204-120000-ab12cd34/inputs/image_0.png",
    "20261204-120000-ab12cd34/partial_0.png",
    "20261204-120000-ab12cd34/",
    "",
    "%E0%A4%A",
  ])("serves nothing but a final, whatever the signature: %s", (path) => {
    // Even a correct signature over the path gets nothing: the path's shape is checked first.
    const expires = Math.floor(inAnHour.getTime() / 1000);
    const signature = createHmac("sha256", SECRET)
      .update(`${decodedOr(path)}\n${expires}`)
      .digest("hex");
    const signed = new URLSearchParams({ expires: String(expires), signature });
    expect(checkOriginalRequest(path, signed, SECRET, now)).toEqual({
      ok: false,
      status: 404,
      reason: "not found",
    });
  });

  it("refuses to sign anything but a final's key", () => {
    expect(() => signOriginalUrl("https://x.example", SECRET, "run/metadata.json", inAnHour)).toThrow(
      /not a final/,
    );
  });
});

function decodedOr(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
