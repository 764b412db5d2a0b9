import { describe, expect, it } from "vitest";
import { actionValue, parseActionValue, RESULT_ACTIONS } from "../../src/render/result-actions.js";

describe("result button values", () => {
  it("round-trip every action with a job id", () => {
    for (const action of RESULT_ACTIONS) {
      expect(parseActionValue(actionValue(action, "20261121-103000-0a1b2c3d"))).toEqual({
        action,
        jobId: "20261121-103000-0a1b2c3d",
      });
    }
  });

  it.each([undefined, "", "reroll", "reroll:", "launch:20261121-103000-0a1b2c3d", "vary:a:b", ":x"])(
    "ignore %j, which no result button carries",
    (value) => {
      expect(parseActionValue(value)).toBeUndefined();
    },
  );
});
