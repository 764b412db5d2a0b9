import { describe, expect, it } from "vitest";
import { PartialProgress } from "../../src/render/partial-progress.js";

describe("the partial counter of a progress message", () => {
  it("never goes back when the partials of two images interleave", () => {
    const progress = new PartialProgress(2);
    // n=2: image 1 streams partials 0 and 1, then image 2 starts again at 0.
    expect([0, 1, 0, 1].map((index) => progress.label(index))).toEqual([
      "1 of 2",
      "2 of 2",
      "2 of 2",
      "2 of 2",
    ]);
  });

  it("counts from the furthest partial when frames are skipped or arrive out of order", () => {
    const progress = new PartialProgress(3);
    expect([1, 0, 2, 0].map((index) => progress.label(index))).toEqual([
      "2 of 3",
      "2 of 3",
      "3 of 3",
      "3 of 3",
    ]);
  });

  it("says only how far it got when the number to expect is unknown", () => {
    const progress = new PartialProgress(0);
    expect([0, 1, 0].map((index) => progress.label(index))).toEqual(["1", "2", "2"]);
  });
});
