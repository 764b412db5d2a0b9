import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { SIGN_IN_COOKIE, signInStates, studioPath } from "../../src/platforms/web/sign-in-state.js";

/** The response's `Set-Cookie` lines, and the request a browser would send back with the cookie they set. */
function browser() {
  const set: string[] = [];
  const res = {
    appendHeader: (_name: string, value: string) => set.push(value),
  } as unknown as ServerResponse;
  const back = (cookie = set.at(-1)?.split(";")[0] ?? "") => ({ headers: { cookie } }) as IncomingMessage;
  return { res, set, back };
}

describe("a sign-in's state cookie", () => {
  let clock = 1_000_000;
  const states = signInStates({ secret: "k", secure: true, now: () => clock });

  it("is HttpOnly, SameSite=Lax, Secure over https, scoped to /studio/auth, and lasts ten minutes", () => {
    const { res, set } = browser();
    states.begin(res, "discord", "/studio/");
    expect(set[0]).toMatch(
      new RegExp(
        `^${SIGN_IN_COOKIE}=[\\w-]+\\.[\\w-]+; Path=/studio/auth; HttpOnly; SameSite=Lax; Secure; Max-Age=600$`,
      ),
    );
  });

  it("gives back where to go for its own state and provider, once", () => {
    const { res, back } = browser();
    const state = states.begin(res, "slack", "/studio/edit-region?link=x");
    const request = back();
    expect(states.finish(request, res, "slack", state)).toEqual({ next: "/studio/edit-region?link=x" });
    // The answer cleared the cookie: the browser no longer sends it.
    expect(states.finish(back(), res, "slack", state)).toBeUndefined();
  });

  it("refuses another state, another provider, a tampered or foreign cookie, and an expired one", () => {
    const { res, back, set } = browser();
    const state = states.begin(res, "discord", "/studio/");
    const cookie = set[0]?.split(";")[0] ?? "";
    expect(states.finish(back(cookie), res, "discord", "forged")).toBeUndefined();
    expect(states.finish(back(cookie), res, "slack", state)).toBeUndefined();
    expect(states.finish(back(cookie.replace(/\.[\w-]+$/, ".AAAA")), res, "discord", state)).toBeUndefined();
    const other = signInStates({ secret: "another", secure: false });
    expect(other.finish(back(cookie), res, "discord", state)).toBeUndefined();
    clock += 10 * 60_000;
    expect(states.finish(back(cookie), res, "discord", state)).toBeUndefined();
    clock -= 10 * 60_000;
    expect(states.finish(back(cookie), res, "discord", state)).toEqual({ next: "/studio/" });
  });

  it("comes back only to a path of the studio", () => {
    expect(studioPath("/studio/edit-region?link=a")).toBe("/studio/edit-region?link=a");
    for (const elsewhere of [
      "//evil.example/",
      "https://evil.example/studio/",
      "/dashboard",
      "/studio/\\evil",
      null,
    ]) {
      expect(studioPath(elsewhere)).toBe("/studio/");
    }
  });
});
