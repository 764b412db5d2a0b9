import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StudioEvent } from "../../src/platforms/web/studio-api.js";
import { type StudioHarness, startStudio } from "./harness.js";
import { runForm } from "./studio-client.js";

let studio: StudioHarness;
beforeAll(async () => {
  studio = await startStudio("web-apart", {}, { apart: true });
});
afterAll(async () => {
  await studio?.close();
});

describe("the studio with its worker elsewhere", () => {
  it("hears a run's frames and result from a worker linked to it only by Redis and the run folder", async () => {
    expect(studio.running.worker).toBeUndefined();
    const client = await studio.signedIn();
    await client.openEvents();
    const res = await client.postRun(runForm("a windmill", { partials: 2 }));
    const { runId } = (await res.json()) as { runId: string };
    const ended = (await client.ended(runId)) as Extract<StudioEvent, { type: "completed" }>;
    expect(ended.type).toBe("completed");
    const types = client.eventsOf(runId).map((event) => event.type);
    expect(types[0]).toBe("queued");
    expect(types).toContain("started");
    expect(types).toContain("partial");
    // A replay needs only what the run keeps: its frames and when they came.
    expect(ended.run.partials.length).toBeGreaterThan(0);
    expect(ended.run.timings.totalMs).toBeGreaterThan(0);
    const frame = await client.fetch(ended.run.partials[0] ?? "");
    expect(frame.status).toBe(200);
    const ready = await fetch(`${studio.base}/readyz`);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks.web).toBe("ok");
    client.closeEvents();
  });
});
