import { describe, expect, it } from "vitest";
import {
  ERROR_CODE_GROUPS,
  ERROR_GROUPS,
  isUserErrorCode,
  USER_ERROR_CODES,
  USER_ERRORS,
  VALIDATION_ERROR_CODES,
} from "../../src/core/error-codes.js";
import { USER_ERROR_KINDS } from "../../src/core/error-table/entry.js";
import { asUserError, UserError, userError } from "../../src/core/errors.js";

/**
 * Codes that sit in two groups on purpose, each meaning the same thing in both. Any other overlap is a code
 * reused for something else: give the new failure its own code.
 */
const SHARED: Record<string, string[]> = {
  invalid_option: ["option", "request"],
  mask_needs_image: ["request", "input"],
  markup_needs_image: ["request", "input"],
  markup_with_mask: ["request", "input"],
  too_many_images: ["request", "input"],
  image_too_large: ["input", "download"],
};

describe("the closed list of UserError codes", () => {
  it("lists each code once per group, in snake_case", () => {
    for (const [group, codes] of Object.entries(ERROR_CODE_GROUPS)) {
      expect(new Set(codes).size, group).toBe(codes.length);
      for (const code of codes) expect(code, group).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
    }
  });

  it("shares a code between groups only where it means the same thing", () => {
    const groupsOf = new Map<string, string[]>();
    for (const [group, codes] of Object.entries(ERROR_CODE_GROUPS)) {
      for (const code of codes) groupsOf.set(code, [...(groupsOf.get(code) ?? []), group]);
    }
    const shared = Object.fromEntries([...groupsOf].filter(([, groups]) => groups.length > 1));
    expect(shared).toEqual(SHARED);
  });

  it("USER_ERROR_CODES is every group's codes without duplicates, validation codes and internal_error included", () => {
    const all = new Set(Object.values(ERROR_CODE_GROUPS).flat());
    expect(new Set(USER_ERROR_CODES)).toEqual(all);
    expect(USER_ERROR_CODES).toHaveLength(all.size);
    for (const code of VALIDATION_ERROR_CODES) expect(USER_ERROR_CODES).toContain(code);
    expect(USER_ERROR_CODES).toContain("internal_error");
  });

  it("isUserErrorCode accepts listed codes only", () => {
    expect(isUserErrorCode("run_not_found")).toBe(true);
    expect(isUserErrorCode("image_unreadable")).toBe(true);
    expect(isUserErrorCode("no_such_code")).toBe(false);
    expect(isUserErrorCode(undefined)).toBe(false);
    expect(isUserErrorCode(42)).toBe(false);
  });

  it("userError takes listed codes, and the values each sentence quotes, only (checked by npm run typecheck)", () => {
    // Never called: the compiler refuses it, and a code without an entry has no sentence to give.
    // @ts-expect-error: not a UserErrorCode
    const unlisted = () => userError("no_such_code");
    expect(unlisted).toBeTypeOf("function");
    // @ts-expect-error: gif_size quotes a size, not a width
    const wrongValues = userError("gif_size", { width: 3 });
    // @ts-expect-error: cancelled quotes nothing
    const unwanted = userError("cancelled", { size: "auto" });
    // @ts-expect-error: the kind comes from the table, never from the throw
    const withKind = userError("prompt_empty", "refused");
    expect([wrongValues.code, unwanted.code, withKind.code]).toEqual([
      "gif_size",
      "cancelled",
      "prompt_empty",
    ]);
    expect(asUserError(new Error("boom")).code).toBe("internal_error");
  });

  it("gives every code a kind and a sentence; a code in two groups has the one entry", () => {
    for (const [code, entry] of Object.entries(USER_ERRORS)) {
      expect(USER_ERROR_KINDS.has(entry.kind), code).toBe(true);
      expect(["string", "function"], code).toContain(typeof entry.sentence);
    }
    for (const [code, groups] of Object.entries(SHARED)) {
      const entries = groups.map(
        (group) => (ERROR_GROUPS as Record<string, Record<string, unknown>>)[group]?.[code],
      );
      for (const entry of entries) expect(entry, code).toBe(USER_ERRORS[code as keyof typeof USER_ERRORS]);
    }
  });

  it("takes the kind and the sentence from the table, details and cause from the throw", () => {
    const cause = new Error("sharp said no");
    const error = userError("gif_size", { size: "1024x1024" }, { details: { size: "1024x1024" }, cause });
    expect(error).toBeInstanceOf(UserError);
    expect(error.toJSON()).toEqual({
      code: "gif_size",
      kind: "invalid_input",
      message:
        "GIF output takes size auto only (got 1024x1024): frames have size limits of their own that OpenAI does not publish.",
      details: { size: "1024x1024" },
    });
    expect(error.cause).toBe(cause);
    expect(userError("cancelled").kind).toBe("cancelled");
    expect(userError("cancelled").details).toEqual({});
  });
});

describe("UserError.fromJSON", () => {
  it("gives back a listed code, kind, message and details as they were", () => {
    const error = userError("daily_limit_reached", { images: 3 }, { details: { limit: 3 } });
    const back = UserError.fromJSON(JSON.parse(JSON.stringify(error.toJSON())));
    expect(back).toBeInstanceOf(UserError);
    expect(back.toJSON()).toEqual(error.toJSON());
  });

  it("turns a code this release does not know (an older or newer release's) into internal_error", () => {
    const back = UserError.fromJSON({
      code: "retired_code",
      kind: "invalid_input",
      message: "That option went away.",
      details: { option: "style" },
    });
    expect(back.code).toBe("internal_error");
    expect(back.kind).toBe("invalid_input");
    expect(back.message).toBe("That option went away.");
    expect(back.details).toEqual({ option: "style", storedCode: "retired_code" });
  });

  it("gives a listed code the table's kind, whatever was stored, and missing details as none", () => {
    // Releases before the table stored `cancelled` as `unavailable`.
    for (const kind of ["unavailable", "gone"]) {
      const stored = JSON.parse(`{"code":"cancelled","kind":"${kind}","message":"Cancelled."}`);
      const back = UserError.fromJSON(stored);
      expect(back.code).toBe("cancelled");
      expect(back.kind).toBe("cancelled");
      expect(back.message).toBe("Cancelled.");
      expect(back.details).toEqual({});
    }
  });

  it("treats an unknown kind of an unknown code as unavailable", () => {
    const stored = JSON.parse('{"code":"retired_code","kind":"gone","message":"Gone.","details":{}}');
    const back = UserError.fromJSON(stored);
    expect(back.code).toBe("internal_error");
    expect(back.kind).toBe("unavailable");
  });
});
