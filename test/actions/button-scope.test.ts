import { describe, expect, it } from "vitest";
import { parsePress } from "../../src/actions/registry.js";
import { type ClickPlace, requireSamePlace } from "../../src/actions/same-place.js";
import { isUserError } from "../../src/core/errors.js";

const RUN = "20261121-103000-0a1b2c3d";
const parseCancelValue = (value: string) => parsePress(value, ["cancel"])?.runId;

describe("button values are read in one place", () => {
  it("take only the actions asked for, with a run id", () => {
    expect(parsePress(`reroll:${RUN}`, ["reroll", "vary"])).toEqual({ action: "reroll", runId: RUN });
    expect(parseCancelValue(`cancel:${RUN}`)).toBe(RUN);
  });

  it.each([
    "reroll:../../etc",
    "reroll:x",
    `reroll:${RUN}/..`,
    `reroll:${RUN.toUpperCase()}`,
    `reroll: ${RUN}`,
    `reroll:${RUN}:more`,
    `cancel:${RUN}`,
    `reroll:${RUN}\n`,
  ])("refuse %j", (value) => {
    expect(parsePress(value, ["reroll"])).toBeUndefined();
  });

  it("Cancel refuses what is not a run id", () => {
    expect(parseCancelValue("cancel:../x")).toBeUndefined();
    expect(parseCancelValue(`reroll:${RUN}`)).toBeUndefined();
  });
});

/** Whether a click at `place` may act on a run asked for by `origin`. */
function allowed(
  origin: { platform: string; id: string; workspace?: string } | undefined,
  place: ClickPlace,
): boolean {
  try {
    requireSamePlace(origin, place);
    return true;
  } catch (error) {
    expect(isUserError(error) && error.code).toMatch(/^button_(elsewhere|requester_only)$/);
    return false;
  }
}

describe("a button acts only where its run was made", () => {
  const guildRun = { platform: "discord", id: "111", workspace: "G1" };
  const dmRun = { platform: "discord", id: "111" };

  it("in the same server, for anyone there", () => {
    expect(allowed(guildRun, { platform: "discord", workspace: "G1", user: "222" })).toBe(true);
  });

  it("not from another server, a DM, or another platform, even for the requester", () => {
    expect(allowed(guildRun, { platform: "discord", workspace: "G2", user: "111" })).toBe(false);
    expect(allowed(guildRun, { platform: "discord", workspace: undefined, user: "111" })).toBe(false);
    expect(allowed(guildRun, { platform: "slack", workspace: "G1", user: "111" })).toBe(false);
  });

  it("a run made in a DM: only its requester, only outside a server", () => {
    expect(allowed(dmRun, { platform: "discord", workspace: undefined, user: "111" })).toBe(true);
    expect(allowed(dmRun, { platform: "discord", workspace: undefined, user: "222" })).toBe(false);
    // Someone else in the same group DM is told it is the requester's, not that it was made elsewhere.
    expect(() => requireSamePlace(dmRun, { platform: "discord", workspace: undefined, user: "222" })).toThrow(
      "Outside a server, only the person who asked for this image can use its buttons.",
    );
    expect(allowed(dmRun, { platform: "discord", workspace: "G1", user: "111" })).toBe(false);
  });

  it("an unknown run is left to the action, which says it is not stored", () => {
    expect(allowed(undefined, { platform: "discord", workspace: "G1", user: "1" })).toBe(true);
  });
});
