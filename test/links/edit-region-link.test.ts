import { createHmac } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.js";
import {
  EDIT_REGION_LINK_MS,
  type EditRegionAsk,
  editRegionUrl,
  readEditRegionLink,
  releaseEditRegionLink,
  requireLinkPerson,
  signEditRegionLink,
  takeEditRegionLink,
} from "../../src/links/edit-region-link.js";
import { deleteKeys, testRedis, uniquePrefix } from "../helpers/redis.js";

const SECRET = "test-link-secret";
const now = Date.parse("2026-12-07T10:00:00Z");
const ASK: EditRegionAsk = {
  runId: "20261207-095900-ab12cd34",
  image: 2,
  user: { platform: "discord", id: "112233445566778899", workspace: "998877665544332211" },
  place: { platform: "discord", channel: "223344556677889900", message: "334455667788990011" },
};

const refusedWith = (code: string) =>
  expect.toSatisfy((error: unknown) => error instanceof UserError && error.code === code);

function refusal(read: () => unknown): UserError {
  try {
    read();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("not refused");
}

/** A token of our layout whose payload `change` altered (fields in wire order), signed with `secret`. */
function forged(change: (wire: unknown[]) => void, secret = SECRET): string {
  const [body = ""] = signEditRegionLink(SECRET, ASK, now).split(".");
  const wire = JSON.parse(Buffer.from(body, "base64url").toString()) as unknown[];
  change(wire);
  const encoded = Buffer.from(JSON.stringify(wire)).toString("base64url");
  const mac = createHmac("sha256", secret).update(`edit-region-link\n${encoded}`).digest("base64url");
  return `${encoded}.${mac}`;
}

describe("Edit region links", () => {
  it("reads back the run, image, person and place it was signed for, until 15 minutes have passed", () => {
    const token = signEditRegionLink(SECRET, ASK, now);
    const link = readEditRegionLink(SECRET, token, now + EDIT_REGION_LINK_MS - 1);
    expect(link).toMatchObject({ ...ASK, purpose: "edit-region", expires: now + EDIT_REGION_LINK_MS });
    expect(link.nonce).toMatch(/^[\w-]{16}$/);
    const other = readEditRegionLink(SECRET, signEditRegionLink(SECRET, ASK, now), now);
    expect(other.nonce).not.toBe(link.nonce);
  });

  it("fits a Discord link button's 512 characters with a real-sized base URL, a thread and room to spare", () => {
    const inThread = { ...ASK, place: { ...ASK.place, thread: "445566778899001122" } };
    const base = "https://imagine-bot.example.com/some/proxy/path/";
    const url = editRegionUrl(base, signEditRegionLink(SECRET, inThread, now));
    expect(url).toMatch(
      /^https:\/\/imagine-bot\.example\.com\/some\/proxy\/path\/studio\/edit-region\?link=[\w.-]+$/,
    );
    expect(url.length).toBeLessThanOrEqual(400);
    const token = new URL(url).searchParams.get("link") ?? "";
    expect(readEditRegionLink(SECRET, token, now)).toMatchObject(inThread);
  });

  it("refuses an expired link in one sentence", () => {
    const token = signEditRegionLink(SECRET, ASK, now);
    const error = refusal(() => readEditRegionLink(SECRET, token, now + EDIT_REGION_LINK_MS));
    expect(error.code).toBe("link_expired");
    expect(error.message).toBe(
      "This Edit region link has expired (links last 15 minutes); press Edit region under the image again.",
    );
  });

  it.each([
    ["a changed payload", (token: string) => token.replace(/^./, (c) => (c === "e" ? "f" : "e"))],
    ["a changed signature", (token: string) => token.replace(/\.(.)/, (_, c) => `.${c === "A" ? "B" : "A"}`)],
    // The last character carries spare bits: changed, it may decode to the same bytes, yet it is not what was signed.
    [
      "a signature's last character changed",
      (token: string) => token.replace(/.$/, (c) => String.fromCharCode(c.charCodeAt(0) ^ 1)),
    ],
    [
      "a later expiry signed with another key",
      () => forged((wire) => wire.splice(9, 1, now / 1000 + 86_400), "another secret"),
    ],
    ["no signature", (token: string) => token.split(".")[0] ?? ""],
    ["a third part", (token: string) => `${token}.x`],
    ["garbage", () => "not a link at all"],
    ["an empty link", () => ""],
  ])("refuses %s as not valid", (_, tamper) => {
    const token = tamper(signEditRegionLink(SECRET, ASK, now));
    expect(() => readEditRegionLink(SECRET, token, now)).toThrow(refusedWith("link_invalid"));
  });

  it("refuses a link signed with our key for another purpose", () => {
    const token = forged((wire) => wire.splice(0, 1, "sign-in"));
    expect(() => readEditRegionLink(SECRET, token, now)).toThrow(refusedWith("link_other_purpose"));
  });

  it("refuses a well-signed payload of the wrong shape as not valid", () => {
    expect(() =>
      readEditRegionLink(
        SECRET,
        forged((wire) => wire.splice(2, 1, -1)),
        now,
      ),
    ).toThrow(refusedWith("link_invalid"));
  });

  it("belongs to the person who pressed: the same Discord account, any sign-in place; on Slack, the same team", () => {
    const link = readEditRegionLink(SECRET, signEditRegionLink(SECRET, ASK, now), now);
    expect(() => requireLinkPerson(link, { platform: "discord", id: ASK.user.id })).not.toThrow();
    expect(() => requireLinkPerson(link, { platform: "discord", id: "445566778899001122" })).toThrow(
      refusedWith("link_other_person"),
    );
    expect(() => requireLinkPerson(link, { platform: "web", id: "operator" })).toThrow(
      refusedWith("link_other_person"),
    );
    const slackAsk: EditRegionAsk = {
      ...ASK,
      user: { platform: "slack", id: "U0123456789", workspace: "T0123456789" },
      place: { platform: "slack", channel: "C0123456789", message: "1765101600.000100" },
    };
    const slack = readEditRegionLink(SECRET, signEditRegionLink(SECRET, slackAsk, now), now);
    expect(() =>
      requireLinkPerson(slack, { platform: "slack", id: "U0123456789", workspace: "T0123456789" }),
    ).not.toThrow();
    expect(() =>
      requireLinkPerson(slack, { platform: "slack", id: "U0123456789", workspace: "T9999999999" }),
    ).toThrow(refusedWith("link_other_person"));
  });
});

describe("an Edit region link's one submit", () => {
  let redis: Redis;
  const prefix = uniquePrefix("edit-region-link");
  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(async () => {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it("is taken once: a second submit is refused, until a refused submit gives it back", async () => {
    const link = readEditRegionLink(SECRET, signEditRegionLink(SECRET, ASK), Date.now());
    await takeEditRegionLink(redis, prefix, link);
    await expect(takeEditRegionLink(redis, prefix, link)).rejects.toThrow(refusedWith("link_used"));
    const ttl = await redis.pttl(`${prefix}:edit-region-link:${link.nonce}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(EDIT_REGION_LINK_MS);
    await releaseEditRegionLink(redis, prefix, link);
    await takeEditRegionLink(redis, prefix, link);
  });
});
