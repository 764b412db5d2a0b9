import { describe, expect, it } from "vitest";
import { parsePressId, pressId } from "../../src/actions/press-id.js";
import { ACTIONS, offeredActions, parsePress } from "../../src/actions/registry.js";

const RUN = "20261121-103000-0a1b2c3d";

describe("result button values", () => {
  it("round-trip every action with a job id", () => {
    for (const { name } of ACTIONS) {
      expect(parsePress(pressId({ action: name, runId: RUN }))).toEqual({ action: name, runId: RUN });
    }
  });

  it.each([undefined, "", "reroll", "reroll:", "launch:20261121-103000-0a1b2c3d", "vary:a:b", ":x"])(
    "ignore %j, which no result button carries",
    (value) => {
      expect(parsePress(value)).toBeUndefined();
    },
  );
});

describe("press ids are versioned", () => {
  it("buttons already posted keep their layout, `action:runId`, and keep working", () => {
    expect(pressId({ action: "reroll", runId: RUN })).toBe(`reroll:${RUN}`);
    for (const action of ["reroll", "vary", "refine", "details", "delete", "cancel"]) {
      expect(parsePress(`${action}:${RUN}`)).toEqual({ action, runId: RUN });
    }
  });

  it("an action on one image says which, behind a version marker", () => {
    const id = pressId({ action: "vary", runId: RUN, image: 1 });
    expect(id).toBe(`v2:vary:${RUN}:1`);
    expect(parsePress(id)).toEqual({ action: "vary", runId: RUN, image: 1 });
  });

  it.each([
    `v2:reroll:${RUN}:1`,
    `v2:vary:${RUN}`,
    `v2:vary:${RUN}:01`,
    `v2:vary:${RUN}:-1`,
    `v2:vary:${RUN}:100`,
    `v2:vary:${RUN}:1:2`,
    `v3:vary:${RUN}:1`,
    `v2:vary:../${RUN}:1`,
  ])("refuse %j: an image only for an action on one image, a layout only as written", (value) => {
    expect(parsePress(value)).toBeUndefined();
  });

  it("reads any action name in the layout; the registry decides which are ours", () => {
    expect(parsePressId(`launch:${RUN}`)).toEqual({ action: "launch", runId: RUN });
    expect(parsePress(`launch:${RUN}`)).toBeUndefined();
  });
});

describe("the buttons offered come from the registry", () => {
  const names = (where: Parameters<typeof offeredActions>[0]) =>
    offeredActions(where).map(({ name }) => name);

  it("under a result whose finals storage refused: none of the actions that read them", () => {
    for (const platform of ["discord", "slack"] as const) {
      const offered = names({ platform, under: "result", unstored: true });
      expect(offered).toContain("reroll");
      expect(offered).toContain("details");
      for (const needsStoredFinal of ["vary", "finalize", "edit", "reference"])
        expect(offered).not.toContain(needsStoredFinal);
      expect(names({ platform, under: "result" })).toContain("vary");
    }
  });

  it("under a Discord result: Refine only where a thread can be opened", () => {
    expect(names({ platform: "discord", under: "result" })).toEqual([
      "reroll",
      "vary",
      "finalize",
      "edit",
      "reference",
      "refine",
      "enhance",
      "describe",
      "pin-style",
      "details",
      "delete",
    ]);
    expect(names({ platform: "discord", under: "result", inThread: true })).toEqual([
      "reroll",
      "vary",
      "finalize",
      "edit",
      "reference",
      "enhance",
      "describe",
      "pin-style",
      "details",
      "delete",
    ]);
  });

  it("under a Slack result, never Refine (a reply in the thread refines); under a status, Cancel", () => {
    expect(names({ platform: "slack", under: "result" })).toEqual([
      "reroll",
      "vary",
      "finalize",
      "edit",
      "reference",
      "enhance",
      "describe",
      "pin-style",
      "details",
      "delete",
    ]);
    expect(names({ platform: "slack", under: "status" })).toEqual(["cancel"]);
    expect(names({ platform: "discord", under: "status" })).toEqual(["cancel"]);
  });

  it("offers Edit region only where the studio is reachable, the finals are stored and the bot can post back", () => {
    for (const platform of ["discord", "slack"] as const) {
      expect(names({ platform, under: "result" })).not.toContain("edit-region");
      const studio = names({ platform, under: "result", studio: true });
      expect(studio.slice(studio.indexOf("edit"), studio.indexOf("edit") + 2)).toEqual([
        "edit",
        "edit-region",
      ]);
      expect(names({ platform, under: "result", studio: true, unstored: true })).not.toContain("edit-region");
      expect(names({ platform, under: "result", studio: true, answer: true })).not.toContain("edit-region");
    }
    // A private reply or a DM the bot is not in: only the webhook reaches it, nothing can be posted back.
    expect(names({ platform: "discord", under: "result", studio: true, webhookOnly: true })).not.toContain(
      "edit-region",
    );
    expect(names({ platform: "discord", under: "result", studio: true, inThread: true })).toContain(
      "edit-region",
    );
  });

  it("never shows Finalize's Confirm under a result: it only answers a Finalize, privately", () => {
    for (const platform of ["discord", "slack"] as const) {
      expect(names({ platform, under: "result" })).not.toContain("finalize-go");
    }
  });
});
