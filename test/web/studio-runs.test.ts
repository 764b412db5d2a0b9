import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SettingsStore } from "../../src/platforms/discord/settings-store.js";
import { studioChannel } from "../../src/platforms/web/channel.js";
import type { StudioEvent, StudioHistory, StudioRun } from "../../src/platforms/web/studio-api.js";
import { waitFor } from "../helpers/wait-for.js";
import { type StudioHarness, startStudio } from "./harness.js";
import { cookieFor, runForm, StudioClient } from "./studio-client.js";

const SECRET = "studio-runs-secret";
let studio: StudioHarness;
const redis = () => studio.running.context.redis;
beforeAll(async () => {
  studio = await startStudio("web-runs", { WEB_SESSION_SECRET: SECRET });
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
    // One subscription while the page is open, none once it is gone.
    const channel = studioChannel(studio.prefix, { platform: "web", id: "operator" });
    const subscribers = async () =>
      Number(((await redis().pubsub("NUMSUB", channel)) as [string, number])[1]);
    expect(await subscribers()).toBe(1);
    client.closeEvents();
    await waitFor("the closed page's subscription to go", async () => (await subscribers()) === 0);
  });

  it("gives a Discord person their own /settings as the studio's defaults, and runs as them", async () => {
    const id = "100000000000000042";
    await new SettingsStore(studio.running.context.redis, studio.prefix).set(id, {
      model: "gpt-image-2.5-flare",
    });
    const client = new StudioClient(studio.base);
    client.cookieHeader = cookieFor({ platform: "discord", id, name: "ada", admin: false }, SECRET);
    const me = await client.me();
    expect(me.defaults.model).toBe("gpt-image-2.5-flare");
    await client.openEvents();
    const { runId } = (await (await client.postRun(runForm("a kite", { partials: 0 }))).json()) as {
      runId: string;
    };
    const ended = (await client.ended(runId)) as Extract<StudioEvent, { type: "completed" }>;
    expect(ended.run.model).toBe("gpt-image-2.5-flare");
    const metadata = await studio.running.context.runs.getMetadata(runId);
    expect(metadata.origin.user).toEqual({ platform: "discord", id });
    client.closeEvents();
  });

  it("serves the page and its files with a policy of its own files only, and tells a signed-out person how to sign in", async () => {
    const client = await studio.signedIn();
    const unbuilt = await client.fetch("/studio/");
    expect(unbuilt.status).toBe(200);
    expect(await unbuilt.text()).toContain("not built: run <code>npm run build</code>");
    await mkdir(join(studio.pageDir, "assets"), { recursive: true });
    await writeFile(
      join(studio.pageDir, "index.html"),
      '<!doctype html><script type="module" src="/studio/assets/app.js"></script>',
    );
    await writeFile(join(studio.pageDir, "assets", "app.js"), "console.log('studio');");
    const page = await client.fetch("/studio/");
    expect(await page.text()).toContain("/studio/assets/app.js");
    const policy = page.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("img-src 'self' data: blob:");
    expect(policy).not.toContain("unsafe-inline");
    const script = await client.fetch("/studio/assets/app.js");
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    for (const path of ["/studio/assets/..%2Findex.html", "/studio/assets/%2e%2e/%2e%2e/package.json"]) {
      expect((await client.fetch(path)).status, path).toBe(404);
    }
    const signIn = await new StudioClient(studio.base).fetch("/studio/sign-in");
    expect(await signIn.text()).toContain("open the one-time sign-in link it printed when it started");
  });
});
