import { describe, expect, it } from "vitest";
import { type AccessList, checkAccess, OPEN_ACCESS, requireAccess } from "../../src/access/access-list.js";
import { loadConfig } from "../../src/config/load.js";
import { UserError } from "../../src/core/errors.js";

const lists = (overrides: Partial<AccessList>): AccessList => ({ ...OPEN_ACCESS, ...overrides });
const place = { workspace: "W1", channel: "C1", user: "U1", roles: ["R1"] };

describe("the access rule", () => {
  it("empty lists allow everyone, even without a workspace or channel (a DM)", () => {
    expect(checkAccess(OPEN_ACCESS, { user: "U1" })).toEqual({ allowed: true });
  });

  it("each list that is set must hold the place; the broadest refusal is named", () => {
    const all = lists({ workspaces: ["W1"], channels: ["C1"], users: ["U1"], roles: ["R1", "R2"] });
    expect(checkAccess(all, place)).toEqual({ allowed: true });
    expect(checkAccess(all, { ...place, workspace: "W2", channel: "C2" })).toEqual({
      allowed: false,
      reason: "workspace",
    });
    expect(checkAccess(all, { ...place, channel: "C2" })).toEqual({ allowed: false, reason: "channel" });
    expect(checkAccess(all, { ...place, user: "U2" })).toEqual({ allowed: false, reason: "user" });
    expect(checkAccess(all, { ...place, roles: [] })).toEqual({ allowed: false, reason: "role" });
    expect(checkAccess(all, { ...place, roles: ["R0", "R2"] })).toEqual({ allowed: true });
  });

  it("a place without a workspace or channel is refused by a list of them", () => {
    expect(checkAccess(lists({ workspaces: ["W1"] }), { user: "U1" })).toMatchObject({ reason: "workspace" });
    expect(checkAccess(lists({ channels: ["C1"] }), { user: "U1" })).toMatchObject({ reason: "channel" });
  });

  it("a refusal is a UserError with its own code and one sentence for the person", () => {
    let refusal: unknown;
    try {
      requireAccess(lists({ channels: ["C9"] }), place);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(UserError);
    expect((refusal as UserError).code).toBe("not_enabled_here");
    expect((refusal as UserError).message).toBe("imagine isn't enabled in this channel.");
  });
});

describe("access and rate configuration", () => {
  const base = { OPENAI_API_KEY: "sk-test", DISCORD_TOKEN: "t", SLACK_BOT_TOKEN: "xoxb-t" };

  it("reads comma-separated ids, empty for everyone, and 5 images per minute by default", () => {
    const config = loadConfig({
      ...base,
      DISCORD_ALLOWED_CHANNELS: " 123456789012345678, 223456789012345678 ,",
      SLACK_ALLOWED_USERS: "U0AAA,W0BBB",
    });
    expect(config.discord?.access).toEqual({
      workspaces: [],
      channels: ["123456789012345678", "223456789012345678"],
      users: [],
      roles: [],
    });
    expect(config.slack?.access.users).toEqual(["U0AAA", "W0BBB"]);
    expect(config.openai.imagesPerMinute).toBe(5);
    expect(loadConfig({ ...base, OPENAI_IMAGES_PER_MINUTE: "0" }).openai.imagesPerMinute).toBe(0);
  });

  it("stops on a name typed instead of an id, naming the variable", () => {
    expect(() => loadConfig({ ...base, DISCORD_ALLOWED_CHANNELS: "general" })).toThrow(
      /DISCORD_ALLOWED_CHANNELS: "general": must be Discord ids/,
    );
    expect(() => loadConfig({ ...base, SLACK_ALLOWED_CHANNELS: "#general" })).toThrow(
      /SLACK_ALLOWED_CHANNELS: "#general": must be Slack ids/,
    );
  });
});
