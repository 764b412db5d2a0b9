import { request } from "node:http";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_FORM_BYTES } from "../../src/platforms/web/run-form.js";
import type { StudioEvent, StudioUser } from "../../src/platforms/web/studio-api.js";
import { type StudioHarness, startStudio } from "./harness.js";
import { cookieFor, runForm, type StudioClient } from "./studio-client.js";

/**
 * Each bad input of the studio that is the server's: one sentence with a 4xx, nothing sent to OpenAI, nothing
 * reserved from any budget, nothing queued.
 */
const SECRET = "studio-refusals-secret";
let studio: StudioHarness;
let client: StudioClient;
beforeAll(async () => {
  // A budget, so that a reservation would show in the ledger.
  studio = await startStudio("web-refusals", { WEB_SESSION_SECRET: SECRET, BUDGET_USER_DAY_USD: "5" });
  client = await studio.signedIn();
});
afterAll(async () => {
  await studio?.close();
});

const png = (width: number, height: number, rgba: [number, number, number, number]) =>
  sharp({
    create: {
      width,
      height,
      channels: 4,
      background: { r: rgba[0], g: rgba[1], b: rgba[2], alpha: rgba[3] },
    },
  })
    .png()
    .toBuffer();
const file = (field: "image" | "mask" | "markup", name: string, bytes: Buffer, type = "image/png") => ({
  field,
  name,
  type,
  bytes,
});

const modelRequests = () => studio.fake.requests.filter((request) => request.method === "POST").length;
const spent = () => studio.running.context.budget.spent({ kind: "user", id: "web:operator" }, "day");

/** Posts the form and expects the refusal: its status and sentence, and that nothing was spent or queued. */
async function refused(form: FormData, status: number, sentence: RegExp, post = () => client.postRun(form)) {
  const before = { requests: modelRequests(), spent: await spent() };
  const res = await post();
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: string };
  expect(body.error).toMatch(sentence);
  expect(modelRequests()).toBe(before.requests);
  expect(await spent()).toEqual(before.spent);
  expect(
    await studio.running.context.queues.forKind("web").getJobCounts("waiting", "active", "delayed"),
  ).toEqual({
    waiting: 0,
    active: 0,
    delayed: 0,
  });
  return body.error;
}

describe("what the studio refuses, in one sentence and at no cost", () => {
  it("an empty mask: fully transparent, or fully black", async () => {
    const image = await png(64, 64, [200, 40, 40, 1]);
    for (const mask of [await png(64, 64, [0, 0, 0, 0]), await png(64, 64, [0, 0, 0, 1])]) {
      const form = runForm("a red square, now blue", {}, [
        file("image", "red.png", image),
        file("mask", "mask.png", mask),
      ]);
      await refused(form, 400, /^The mask \(mask\.png\) .*(nothing|no )/i);
    }
  });

  it("a mask of another size than the image", async () => {
    const form = runForm("edit", {}, [
      file("image", "red.png", await png(64, 64, [200, 40, 40, 1])),
      file("mask", "mask.png", await png(32, 32, [255, 255, 255, 1])),
    ]);
    await refused(form, 400, /32x32.*64x64/);
  });

  it("17 images", async () => {
    const image = await png(16, 16, [0, 128, 0, 1]);
    const files = Array.from({ length: 17 }, (_, i) => file("image", `green-${i}.png`, image));
    await refused(runForm("blend them", {}, files), 400, /^You gave 17 input images; the limit is 16\.$/);
  });

  it("a 60 MB drop: refused at the cap, the rest dropped unkept, the sentence answered once the upload ends", async () => {
    const big = Buffer.alloc(60_000_000, 1);
    const error = await refused(runForm("huge", {}, [file("image", "huge.png", big)]), 400, /huge\.png/);
    expect(error).toBe("Image 1 (huge.png) is larger than 50 MB; input images must be under 50 MB.");
  });

  it("a drop larger than a form may be in all, refused by its declared length before a byte is read", async () => {
    const url = new URL("/studio/api/runs", client.base);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(url, {
        method: "POST",
        headers: {
          cookie: client.cookieHeader,
          "x-csrf-token": client.csrf,
          "content-type": "multipart/form-data; boundary=x",
          "content-length": String(MAX_FORM_BYTES + 1),
        },
      });
      req.on("response", (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      // The server may close the connection while this end still has the rest to send.
      req.on("error", (error) => (error.message.includes("EPIPE") ? undefined : reject(error)));
      req.write("--x\r\n");
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({
      error: "That drop is larger than 200 MB in all; send fewer or smaller images.",
    });
  });

  it("a file that is no image", async () => {
    const notes = file("image", "notes.txt", Buffer.from("not a picture"), "text/plain");
    const error = await refused(runForm("edit", {}, [notes]), 400, /notes\.txt/);
    expect(error).toMatch(/^notes\.txt is not an image \(text\/plain\)/);
  });

  it("an option chat would refuse, in chat's words", async () => {
    await refused(runForm("a cat", { n: 11 }), 400, /^Option n /);
  });

  it("a form posted without its CSRF token", async () => {
    const form = runForm("a cat");
    await refused(form, 403, /security token/, () => client.postRun(form, { csrf: false }));
    const forged = runForm("a cat", {}, [], { csrf: "not-the-token" });
    await refused(forged, 403, /security token/, () => client.postRun(forged, { csrf: false }));
  });

  it("a session cookie signed with another secret (rotated) or tampered with", async () => {
    const { base } = client;
    const stranger = new (client.constructor as typeof StudioClient)(base);
    const user: StudioUser = { platform: "web", id: "operator", name: "Operator", admin: true };
    stranger.cookieHeader = cookieFor(user, "the-secret-before-the-restart");
    const res = await stranger.fetch("/studio/api/me");
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe(
      "Your sign-in has ended (the studio was restarted with a new secret, or it expired): sign in again.",
    );
    expect(stranger.cookieHeader).toBe("");
    const page = await new (client.constructor as typeof StudioClient)(base).fetch("/studio/", {
      headers: { cookie: cookieFor(user, "another") },
    });
    expect(page.headers.get("location")).toBe("/studio/sign-in?ended=1");
    expect(await (await stranger.fetch("/studio/sign-in?ended=1")).text()).toContain(
      "Your sign-in has ended",
    );
  });

  it("another person's run: 404, as a run that does not exist", async () => {
    await client.openEvents();
    const res = await client.postRun(runForm("the operator's own lighthouse", { partials: 0 }));
    const { runId } = (await res.json()) as { runId: string };
    const ended = (await client.ended(runId)) as Extract<StudioEvent, { type: "completed" }>;
    const other = new (client.constructor as typeof StudioClient)(client.base);
    other.cookieHeader = cookieFor(
      { platform: "discord", id: "100000000000000077", name: "someone", admin: false },
      SECRET,
    );
    for (const path of [`/studio/api/runs/${runId}`, ended.run.finals[0] ?? ""]) {
      const answer = await other.fetch(path);
      expect(answer.status, path).toBe(404);
      expect(((await answer.json()) as { error: string }).error).toBe(
        "That run is not one of yours, or it is no longer stored.",
      );
    }
    // Their events are their own: the other person's stream hears nothing of the operator's next run.
    await other.me();
    await other.openEvents();
    const next = (await (await client.postRun(runForm("another", { partials: 0 }))).json()) as {
      runId: string;
    };
    await client.ended(next.runId);
    expect(other.allEvents()).toEqual([]);
    other.closeEvents();
    client.closeEvents();
  });
});
