import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { studioSessions } from "../../src/platforms/web/session.js";
import type { StudioUser } from "../../src/platforms/web/studio-api.js";

const user: StudioUser = { platform: "discord", id: "100000000000000001", name: "ada", admin: false };

/** The response's `Set-Cookie` lines, as the browser receives them. */
function signedIn(sessions: ReturnType<typeof studioSessions>): string[] {
  const lines: string[] = [];
  const res = {
    appendHeader: (_name: string, value: string) => lines.push(value),
  } as unknown as ServerResponse;
  sessions.signIn(res, user);
  return lines;
}

const request = (cookie: string, csrf?: string) =>
  ({ headers: { cookie, ...(csrf ? { "x-csrf-token": csrf } : {}) } }) as unknown as IncomingMessage;

describe("studio sessions", () => {
  it("sets an HttpOnly, SameSite=Lax cookie scoped to /studio, Secure behind https, lasting the configured hours", () => {
    const [plain] = signedIn(studioSessions({ secret: "s", hours: 12, secure: false }));
    expect(plain).toMatch(
      /^imagine_studio=[\w-]+\.[\w-]+; Path=\/studio; HttpOnly; SameSite=Lax; Max-Age=43200$/,
    );
    const [secure] = signedIn(studioSessions({ secret: "s", hours: 1, secure: true }));
    expect(secure).toContain("; Secure;");
  });

  it("reads its own cookie until it expires; another secret's, a tampered or an expired one has ended", () => {
    let now = Date.UTC(2026, 11, 7, 10);
    const sessions = studioSessions({ secret: "one", hours: 1, secure: false, now: () => now });
    const cookie = (signedIn(sessions)[0] ?? "").split(";")[0] ?? "";
    const session = sessions.sessionOf(request(cookie));
    expect(session).toMatchObject({ kind: "signed-in", user });
    const csrf = session.kind === "signed-in" ? session.csrf : "";
    expect(sessions.csrfMatches(request(cookie, csrf), { csrf })).toBe(true);
    expect(sessions.csrfMatches(request(cookie, `${csrf}x`), { csrf })).toBe(false);
    expect(sessions.csrfMatches(request(cookie), { csrf }, csrf)).toBe(true);
    expect(sessions.csrfMatches(request(cookie), { csrf })).toBe(false);

    const rotated = studioSessions({ secret: "two", hours: 1, secure: false, now: () => now });
    expect(rotated.sessionOf(request(cookie))).toEqual({ kind: "ended" });
    const [body = "", mac = ""] = cookie.slice("imagine_studio=".length).split(".");
    const admin = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(body, "base64url").toString()),
        user: { ...user, admin: true },
      }),
    ).toString("base64url");
    expect(sessions.sessionOf(request(`imagine_studio=${admin}.${mac}`))).toEqual({ kind: "ended" });
    expect(sessions.sessionOf(request("other=1"))).toEqual({ kind: "none" });
    now += 60 * 60 * 1000;
    expect(sessions.sessionOf(request(cookie))).toEqual({ kind: "ended" });
  });
});
