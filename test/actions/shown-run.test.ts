import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shownRun, shownSpec } from "../../src/actions/shown-run.js";
import { UserError } from "../../src/core/errors.js";
import type { JobSpec } from "../../src/core/job-spec.js";
import { newRunId } from "../../src/core/run-id.js";
import { resolveRequest } from "../../src/core/validate-request.js";
import { LocalBlobStore } from "../../src/storage/blob-store.js";
import { RunStore } from "../../src/storage/run-store.js";

let root: string;
let runs: RunStore;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "imagine-shown-run-"));
  runs = new RunStore(new LocalBlobStore(root));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const SERVER = "200000000000000001";
const PERSON = "100000000000000001";
const SOMEONE = "100000000000000002";

/** A run as the worker leaves it, made by `user`, with one final image (or none). */
async function storedRun(user: JobSpec["user"], images = 1): Promise<string> {
  const runId = newRunId();
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#2a6" } })
    .png()
    .toBuffer();
  const finals: string[] = [];
  for (let index = 0; index < images; index++)
    finals.push(await runs.putFinal(runId, index, { bytes: png, format: "png" }));
  await runs.putMetadata({
    runId,
    jobId: runId,
    status: images > 0 ? "completed" : "failed",
    prompt: "a kite",
    model: "gpt-image-2",
    request: resolveRequest(
      { prompt: "a kite" },
      { imageCount: 0, hasMask: false },
      { model: "gpt-image-2" },
    ),
    origin: { user, reply: { kind: "discord" } },
    inputs: { images: [] },
    partials: [],
    finals,
    timings: { queuedAt: new Date().toISOString() },
  });
  return runId;
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "shown",
    (error: unknown) => (error instanceof UserError ? error.code : String(error)),
  );

describe("a stored run shown again", () => {
  it("is shown to anyone in the server it was made in, as it was made, for a new message", async () => {
    const runId = await storedRun({ platform: "discord", id: PERSON, workspace: SERVER });
    const shown = await shownRun(runs, ` ${runId} `, {
      platform: "discord",
      workspace: SERVER,
      user: SOMEONE,
    });
    expect(shown.result).toMatchObject({ runId, jobId: runId, imageKeys: [`${runId}/final_0.png`] });
    expect(shown.result.images[0]?.format).toBe("png");
    const reply = { kind: "discord", messageId: "300000000000000001" };
    // No thread and no inputs: the new message is no turn of a thread, and nothing is generated for it.
    expect(shownSpec(shown, reply)).toMatchObject({ runId, reply, inputs: { images: [] } });
    expect(shownSpec(shown, reply).thread).toBeUndefined();
  });

  it("is unknown in another server, on another platform, in a DM not its requester's, or without its image", async () => {
    const inServer = await storedRun({ platform: "discord", id: PERSON, workspace: SERVER });
    const inDm = await storedRun({ platform: "discord", id: PERSON });
    const failed = await storedRun({ platform: "discord", id: PERSON, workspace: SERVER }, 0);
    const elsewhere = { platform: "discord", workspace: "200000000000000002", user: PERSON };
    expect(await codeOf(shownRun(runs, inServer, elsewhere))).toBe("show_unknown");
    expect(
      await codeOf(shownRun(runs, inServer, { ...elsewhere, platform: "slack", workspace: SERVER })),
    ).toBe("show_unknown");
    expect(
      await codeOf(shownRun(runs, inDm, { platform: "discord", workspace: undefined, user: SOMEONE })),
    ).toBe("show_unknown");
    expect(await codeOf(shownRun(runs, inDm, { platform: "discord", workspace: SERVER, user: PERSON }))).toBe(
      "show_unknown",
    );
    expect(
      await codeOf(shownRun(runs, inDm, { platform: "discord", workspace: undefined, user: PERSON })),
    ).toBe("shown");
    const here = { platform: "discord", workspace: SERVER, user: PERSON };
    expect(await codeOf(shownRun(runs, failed, here))).toBe("show_unknown");
    await rm(join(root, inServer, "final_0.png"));
    expect(await codeOf(shownRun(runs, inServer, here))).toBe("show_unknown");
    expect(await codeOf(shownRun(runs, "../etc/passwd", here))).toBe("show_id_malformed");
  });
});
