import { describe, expect, it } from "vitest";
import { retryAfterFromHeaders, retryDelay, sleep } from "../../src/engine/retry.js";
import { safetyIdentifier } from "../../src/engine/safety.js";

describe("retryDelay", () => {
  const policy = { maxRetries: 5, baseMs: 100, capMs: 1_000 };

  it("doubles from the base with jitter between half and all of the step", () => {
    expect(retryDelay(1, policy, undefined, () => 0)).toBe(50);
    expect(retryDelay(1, policy, undefined, () => 1)).toBe(100);
    expect(retryDelay(3, policy, undefined, () => 1)).toBe(400);
  });

  it("never exceeds the cap", () => {
    expect(retryDelay(10, policy, undefined, () => 1)).toBe(1_000);
  });

  it("lets retry-after win, clamped to the longest wait accepted", () => {
    expect(retryDelay(1, policy, 2_500, () => 1)).toBe(2_500);
    expect(retryDelay(1, policy, 0, () => 1)).toBe(0);
    expect(retryDelay(1, { ...policy, maxRetryAfterMs: 3_000 }, 90_000)).toBe(3_000);
  });
});

describe("retryAfterFromHeaders", () => {
  it("prefers retry-after-ms, then seconds, then an HTTP date", () => {
    expect(retryAfterFromHeaders(new Headers({ "retry-after-ms": "250", "retry-after": "9" }))).toBe(250);
    expect(retryAfterFromHeaders(new Headers({ "retry-after": "2" }))).toBe(2_000);
    const now = Date.parse("2026-11-01T00:00:00Z");
    expect(retryAfterFromHeaders(new Headers({ "retry-after": "Sun, 01 Nov 2026 00:00:03 GMT" }), now)).toBe(
      3_000,
    );
    expect(retryAfterFromHeaders(new Headers({ "retry-after": "soon" }))).toBeUndefined();
    expect(retryAfterFromHeaders(undefined)).toBeUndefined();
  });
});

describe("sleep", () => {
  it("rejects as soon as the signal aborts", async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    await expect(sleep(10_000, controller.signal)).rejects.toMatchObject({ name: "AbortError" });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe("safetyIdentifier", () => {
  it("is a stable hex sha256 that never contains the raw id", () => {
    const id = safetyIdentifier("discord", "123456789012345678", "salt");
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(id).not.toContain("123456789012345678");
    expect(safetyIdentifier("discord", "123456789012345678", "salt")).toBe(id);
  });

  it("depends on the platform and the salt", () => {
    const id = safetyIdentifier("discord", "42", "salt");
    expect(safetyIdentifier("slack", "42", "salt")).not.toBe(id);
    expect(safetyIdentifier("discord", "42", "other")).not.toBe(id);
    expect(safetyIdentifier("discord4", "2", "salt")).not.toBe(safetyIdentifier("discord", "42", "salt"));
  });
});
