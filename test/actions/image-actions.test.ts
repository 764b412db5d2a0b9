import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionDeps, PressPort } from "../../src/actions/action.js";
import type { FollowUp } from "../../src/actions/follow-ups.js";
import { pressAction } from "../../src/actions/press-action.js";
import { type Press, pressId } from "../../src/actions/press-id.js";
import { UserError } from "../../src/core/errors.js";
import { newRunId } from "../../src/core/run-id.js";
import { checkOptions, enqueueRun } from "../../src/intake/enqueue-run.js";
import { ThreadStyleStore } from "../../src/stores/thread-style.js";
import { type Pipeline, settled, startPipeline } from "../helpers/pipeline.js";

let pipeline: Pipeline;
let deps: ActionDeps;
/** Two images of 1536x1024, both kept. */
let runId: string;
/** One image whose final file retention removed. */
let goneRunId: string;

const REQUESTER = { platform: "slack", id: "U0123456789", workspace: "T0123456789" };

async function madeRun(n: string): Promise<string> {
  const id = newRunId();
  const done = settled(pipeline.worker, id);
  const request = checkOptions(
    { prompt: "a paper crane", partials: "0", n, size: "1536x1024", quality: "low" },
    { imageCount: 0, hasMask: false },
    { model: "gpt-image-2" },
  );
  await enqueueRun(pipeline.queues, pipeline.deps.runs, {
    runId: id,
    request,
    inputs: { images: [] },
    user: REQUESTER,
    reply: { kind: "terminal" },
  });
  const { error } = await done;
  if (error) throw error;
  return id;
}

beforeAll(async () => {
  pipeline = await startPipeline("image-actions");
  deps = {
    redis: pipeline.redis,
    runs: pipeline.deps.runs,
    threads: pipeline.deps.threads,
    styles: new ThreadStyleStore(pipeline.redis, pipeline.config.queuePrefix),
    queues: pipeline.queues,
    logger: pipeline.deps.logger,
    config: pipeline.config,
    cancel: async () => ({ kind: "finished" }),
  };
  runId = await madeRun("2");
  goneRunId = await madeRun("1");
  const [final] = (await pipeline.deps.runs.getMetadata(goneRunId)).finals;
  await rm(join(pipeline.storageDir, final ?? "missing"));
});
afterAll(() => pipeline.close());

/** A Slack press that records what the pipeline asked of the platform. */
function recordingPort(user = REQUESTER.id, admin = false) {
  const said: string[] = [];
  const confirms: Press[] = [];
  const forms: Press[] = [];
  const followUps: FollowUp[] = [];
  const nothing = async () => undefined;
  const port: PressPort = {
    platform: "slack",
    place: { platform: "slack", workspace: REQUESTER.workspace, user },
    requireAccess: () => undefined,
    isAdmin: () => admin,
    acknowledge: nothing,
    answerPrivately: async (text) => {
      said.push(text);
    },
    confirmPrivately: async (text, confirm) => {
      said.push(text);
      confirms.push(confirm.press);
    },
    requestDefaults: async () => ({ model: "gpt-image-2", api: "images" }),
    askForPrompt: async (form) => {
      forms.push(form.press);
    },
    showDetails: nothing,
    submitFollowUp: async (followUp) => {
      followUps.push(followUp);
    },
    deleteMessage: nothing,
    showRun: nothing,
    showCancelled: nothing,
  };
  return { port, said, confirms, forms, followUps };
}

const refused = (press: Promise<void>, code: string) =>
  expect(press).rejects.toSatisfy((error) => error instanceof UserError && error.code === code);

describe("Finalize", () => {
  it("quotes size, model, quality and cost privately, and queues nothing until Confirm", async () => {
    const { port, said, confirms, followUps } = recordingPort();
    await pressAction(deps, pressId({ action: "finalize", runId, image: 1 }), port);
    expect(said[0]).toMatch(
      /^Finalize image 2: 3504x2336 on `gpt-image-2\.5-sunburst` at quality max, an edit of it with the same prompt\.\nEstimated cost: up to \$\d+\.\d\d, reserved from your budget when you confirm/,
    );
    expect(confirms).toEqual([{ action: "finalize-go", runId, image: 1 }]);
    expect(followUps).toEqual([]);
  });

  it("Confirm asks the intake for an edit of the chosen image at the largest size on the final model", async () => {
    const { port, followUps } = recordingPort();
    await pressAction(deps, pressId({ action: "finalize-go", runId, image: 1 }), port);
    const chosen = (await pipeline.deps.runs.getMetadata(runId)).finals[1];
    expect(followUps).toHaveLength(1);
    expect(followUps[0]?.storedImageKeys).toEqual([chosen]);
    expect(followUps[0]?.request).toMatchObject({
      prompt: "a paper crane",
      model: "gpt-image-2.5-sunburst",
      size: "3504x2336",
      quality: "max",
      n: 1,
    });
  });

  it("makes one image of a double-clicked Confirm, and lets a refused one be confirmed again", async () => {
    const { port, followUps } = recordingPort();
    const confirm = pressId({ action: "finalize-go", runId, image: 0 });
    let refuse = true;
    const refusing: PressPort = {
      ...port,
      submitFollowUp: async (followUp, press) => {
        if (refuse) throw new Error("the intake refused it");
        await port.submitFollowUp(followUp, press);
      },
    };
    await expect(pressAction(deps, confirm, refusing)).rejects.toThrow("the intake refused it");
    refuse = false;
    await pressAction(deps, confirm, refusing);
    await refused(pressAction(deps, confirm, refusing), "finalize_confirmed");
    expect(followUps).toHaveLength(1);
  });

  it("is refused to someone else, by default, with a sentence; an admin may", async () => {
    const other = recordingPort("U0SOMEONE02");
    await pressAction(deps, pressId({ action: "finalize", runId }), other.port);
    expect(other.said).toEqual([
      `Only <@${REQUESTER.id}> or an admin can finalize it here: it is made at the top price. Use Vary or Re-roll for your own take.`,
    ]);
    expect(other.confirms).toEqual([]);
    await pressAction(deps, pressId({ action: "finalize-go", runId }), other.port);
    expect(other.followUps).toEqual([]);
    const admin = recordingPort("U0SOMEONE02", true);
    await pressAction(deps, pressId({ action: "finalize", runId }), admin.port);
    expect(admin.confirms).toHaveLength(1);
  });

  it("is anyone's with FINALIZE_BY=anyone", async () => {
    const anyone = {
      ...deps,
      config: { ...deps.config, openai: { ...deps.config.openai, finalizeBy: "anyone" as const } },
    };
    const other = recordingPort("U0SOMEONE02");
    await pressAction(anyone, pressId({ action: "finalize", runId }), other.port);
    expect(other.confirms).toHaveLength(1);
  });
});

describe("bad input to the actions on one image: one sentence, nothing asked of the platform", () => {
  it.each(["finalize", "finalize-go", "edit", "reference"])("%s of a deleted run", async (action) => {
    const { port, confirms, forms, followUps } = recordingPort();
    await refused(pressAction(deps, pressId({ action, runId: newRunId() }), port), "run_not_found");
    expect([...confirms, ...forms, ...followUps]).toEqual([]);
  });

  it.each(["finalize", "finalize-go", "edit", "reference"])(
    "%s of an image the run does not have",
    async (action) => {
      const { port, confirms, forms, followUps } = recordingPort();
      const press = pressAction(deps, pressId({ action, runId, image: 2 }), port);
      await expect(press).rejects.toThrow("That result has 2 images, not an image 3.");
      expect([...confirms, ...forms, ...followUps]).toEqual([]);
    },
  );

  it.each(["finalize", "finalize-go", "edit", "reference"])(
    "%s of an image retention removed",
    async (action) => {
      const { port, confirms, forms, followUps } = recordingPort();
      await refused(pressAction(deps, pressId({ action, runId: goneRunId }), port), "image_not_kept");
      expect([...confirms, ...forms, ...followUps]).toEqual([]);
    },
  );
});

describe("Edit and Use as reference", () => {
  it("ask for a prompt first, then make their follow-up from the chosen image", async () => {
    const chosen = (await pipeline.deps.runs.getMetadata(runId)).finals[1];
    const { port, forms, followUps } = recordingPort();
    const edit = pressId({ action: "edit", runId, image: 1 });
    const reference = pressId({ action: "reference", runId, image: 1 });
    await pressAction(deps, edit, port);
    await pressAction(deps, reference, port);
    expect(forms.map(pressId)).toEqual([edit, reference]);
    expect(followUps).toEqual([]);

    await pressAction(deps, edit, port, { prompt: "make it blue" });
    await pressAction(deps, reference, port, { prompt: "a crane on a mountain" });
    expect(followUps.map((followUp) => followUp.storedImageKeys)).toEqual([[chosen], [chosen]]);
    expect(followUps[0]?.request).toMatchObject({
      prompt: "make it blue",
      size: "1536x1024",
      quality: "low",
    });
    expect(followUps[1]?.request).toMatchObject({
      prompt: "a crane on a mountain",
      size: "auto",
      quality: "auto",
    });
  });
});
