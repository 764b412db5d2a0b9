import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StudioEvent, StudioHistory, StudioRun } from "../../src/platforms/web/studio-api.js";
import { type StudioHarness, startStudio } from "./harness.js";
import { runForm, StudioClient } from "./studio-client.js";

let studio: StudioHarness;
beforeAll(async () => {
  studio = await startStudio("web-runs");
});
afterAll(async () => {
  await studio?.close();
});

describe("the web studio's runs", () => {
  it("signs the operator in once per link, and refuses the link the second time in one sentence", async () => {
    const link = await studio.newLink();
    const first = new StudioClient(studio.base);
    const res = await first.openLink(link);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/studio/");
    const me = await first.me();
    expect(me.user).toEqual({ platform: "web", id: "operator", name: "Operator", admin: true });
    expect(me.options.map((option) => option.name)).toContain("size");
    expect(me.options.map((option) => option.name)).not.toContain("prompt");

    const again = await new StudioClient(studio.base).openLink(link);
    expect(again.status).toBe(403);
    expect(await again.text()).toContain("That sign-in link was already used");
    const stranger = new StudioClient(studio.base);
    expect((await stranger.fetch("/studio/api/me")).status).toBe(401);
    expect((await stranger.fetch("/studio/")).headers.get("location")).toBe("/studio/sign-in");
  });

  it("streams a run's partial previews then the completed run, serves its final and lists it in the history", async () => {
    const client = await studio.signedIn();
    await client.openEvents();
    const res = await client.postRun(runForm("a lighthouse at dusk", { partials: 2 }));
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    const ended = await client.ended(runId);
    expect(ended.type).toBe("completed");
    const types = client.eventsOf(runId).map((event) => event.type);
    expect(types).toContain("partial");
    expect(types.indexOf("partial")).toBeLessThan(types.indexOf("completed"));
    const partial = client.eventsOf(runId).find((event) => event.type === "partial") as Extract<
      StudioEvent,
      { type: "partial" }
    >;
    expect(partial.preview).toMatch(/^data:image\/webp;base64,/);

    const run = (ended as Extract<StudioEvent, { type: "completed" }>).run;
    expect(run).toMatchObject({ runId, status: "completed", prompt: "a lighthouse at dusk" });
    expect(run.details).toContain(`Job: ${runId}`);
    expect(run.cost).toMatch(/^\$\d+\.\d{4} /);
    const final = await client.fetch(run.finals[0] ?? "");
    expect(final.status).toBe(200);
    expect(final.headers.get("content-type")).toBe("image/png");
    expect((await final.arrayBuffer()).byteLength).toBeGreaterThan(100);

    const read = (await (await client.fetch(`/studio/api/runs/${runId}`)).json()) as StudioRun;
    expect(read.finals).toEqual(run.finals);
    const history = (await (await client.fetch("/studio/api/history")).json()) as StudioHistory;
    expect(history.runs[0]).toMatchObject({ runId, prompt: "a lighthouse at dusk" });
    client.closeEvents();
  });
});
