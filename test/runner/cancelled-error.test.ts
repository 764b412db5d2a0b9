import { describe, expect, it } from "vitest";
import { cancelledError, WORKER_STOPPING } from "../../src/runner/cancelled-error.js";

describe("the sentence of a job stopped with the bot", () => {
  it("says nothing was charged when nothing was paid before the image", () => {
    const error = cancelledError(WORKER_STOPPING, undefined);
    expect(error.code).toBe("worker_stopped");
    expect(error.message).toContain("Nothing was charged");
  });

  it("says what the prompt's rewrite cost when one was paid before the image", () => {
    const error = cancelledError(WORKER_STOPPING, undefined, 4_200);
    expect(error.code).toBe("worker_stopped_charged");
    expect(error.message).not.toContain("Nothing was charged");
    expect(error.message).toMatch(/the prompt's rewrite made before that cost <?\$0\.0/);
  });

  it("keeps the person's own cancel a cancel, whatever was paid", () => {
    expect(cancelledError("the person cancelled", undefined, 4_200).code).toBe("cancelled");
  });
});
