import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ActionDeps, PressPort } from "../../src/actions/action.js";
import type { FollowUp } from "../../src/actions/follow-ups.js";
import { pressAction } from "../../src/actions/press-action.js";
import { pressId } from "../../src/actions/press-id.js";
import { actionNamed } from "../../src/actions/registry.js";
import { UserError } from "../../src/core/errors.js";
import { newRunId } from "../../src/core/run-id.js";
import { checkOptions, enqueueRun } from "../../src/intake/enqueue-run.js";
import type { Canceller } from "../../src/queue/cancel.js";
import { ThreadStyleStore } from "../../src/stores/thread-style.js";
import { type Pipeline, settled, startPipeline } from "../helpers/pipeline.js";

let pipeline: Pipeline;
let deps: ActionDeps;
let runId: string;
const cancels: Array<{ runId: string; by: Canceller }> = [];

const REQUESTER = { platform: "slack", id: "U0123456789", workspace: "T0123456789" };

beforeAll(async () => {
  pipeline = await startPipeline("press-action");
  deps = {
    runs: pipeline.deps.runs,
    threads: pipeline.deps.threads,
    styles: new ThreadStyleStore(pipeline.redis, pipeline.config.queuePrefix),
    queues: pipeline.queues,
    logger: pipeline.deps.logger,
    redis: pipeline.redis,
    config: pipeline.config,
    cancel: async (id, by) => {
      cancels.push({ runId: id, by });
      return { kind: "finished" };
    },
  };
  runId = newRunId();
  const done = settled(pipeline.worker, runId);
  const request = checkOptions(
    { prompt: "a paper crane", partials: "0" },
    { imageCount: 0, hasMask: false },
    { model: "gpt-image-2" },
  );
  await enqueueRun(pipeline.queues, pipeline.deps.runs, {
    runId,
    request,
    inputs: { images: [] },
    user: REQUESTER,
    reply: { kind: "terminal" },
  });
  const { error } = await done;
  if (error) throw error;
});
afterAll(() => pipeline.close());
beforeEach(() => {
  cancels.length = 0;
});

/** A Slack press that records what the pipeline asked of the platform. */
function recordingPort(user = REQUESTER.id, workspace = REQUESTER.workspace) {
  const said: string[] = [];
  const done: string[] = [];
  const followUps: FollowUp[] = [];
  const port: PressPort = {
    platform: "slack",
    place: { platform: "slack", workspace, user },
    requireAccess: () => done.push("access checked"),
    isAdmin: () => false,
    acknowledge: async () => {
      done.push("acknowledged");
    },
    answerPrivately: async (text) => {
      said.push(text);
    },
    confirmPrivately: async (text, confirm) => {
      said.push(text);
      done.push(`confirm with ${pressId(confirm.press)}`);
    },
    requestDefaults: async () => ({ model: "gpt-image-2", api: "images" }),
    askForPrompt: async (form) => {
      done.push(`form for ${pressId(form.press)}`);
    },
    showDetails: async (details) => {
      done.push(`details of ${details.title}`);
    },
    submitFollowUp: async (followUp) => {
      followUps.push(followUp);
    },
    deleteMessage: async () => {
      done.push("deleted");
    },
    showRun: async (shown) => {
      done.push(`shown ${shown.metadata.jobId}`);
    },
    showCancelled: async () => {
      done.push("cancelled");
    },
  };
  return { port, said, done, followUps };
}

const refusal = (press: Promise<void>, code: string) =>
  expect(press).rejects.toSatisfy((error) => error instanceof UserError && error.code === code);

describe("one press pipeline for every platform", () => {
  it("checks access, then acts for anyone where the run was made", async () => {
    const { port, done } = recordingPort("U0SOMEONE02");
    await pressAction(deps, `details:${runId}`, port);
    expect(done).toEqual(["access checked", `details of Details of ${runId}`]);
  });

  it("refuses a press from another workspace before the action", async () => {
    const { port, done, said } = recordingPort(REQUESTER.id, "T0OTHERTEAM");
    await refusal(pressAction(deps, `details:${runId}`, port), "button_elsewhere");
    expect(done).toEqual(["access checked"]);
    expect(said).toEqual([]);
  });

  it("answers someone the action is not for with its sentence, and does nothing", async () => {
    const { port, done, said } = recordingPort("U0SOMEONE02");
    await pressAction(deps, `delete:${runId}`, port);
    expect(said).toEqual([`Only <@${REQUESTER.id}>, who asked for this image, can delete it.`]);
    expect(done).toEqual(["access checked"]);
    expect(await pipeline.deps.runs.findMetadata(runId)).toBeDefined();
  });

  it("refuses an action not offered on the platform as none of ours (Refine on Slack)", async () => {
    const { port, done } = recordingPort();
    await refusal(pressAction(deps, `refine:${runId}`, port), "button_unknown");
    expect(done).toEqual([]);
  });

  it("does not access-list Cancel; the queue decides, with no admin for a job it does not hold", async () => {
    const { port, done, said } = recordingPort();
    await pressAction(deps, `cancel:${runId}`, port);
    expect(done).toEqual([]);
    expect(cancels).toEqual([{ runId, by: { userId: REQUESTER.id, admin: false } }]);
    expect(said).toEqual(["That request has already finished."]);
  });

  it("varies the image a v2 id names, and refuses one the run does not have", async () => {
    const { port, followUps } = recordingPort();
    const final = (await pipeline.deps.runs.getMetadata(runId)).finals[0];
    await pressAction(deps, pressId({ action: "vary", runId, image: 0 }), port);
    expect(followUps.map((followUp) => followUp.storedImageKeys)).toEqual([[final]]);
    await refusal(pressAction(deps, pressId({ action: "vary", runId, image: 3 }), port), "run_has_no_image");
  });

  it("shows a stored run to anyone where it was made, and an unknown one with the unknown-id sentence", async () => {
    const { port, done } = recordingPort("U0SOMEONE02");
    await pressAction(deps, `show:${runId}`, port);
    expect(done).toEqual(["access checked", `shown ${runId}`]);
    const unknown = "20200101-000000-0badf00d";
    await refusal(pressAction(deps, `show:${unknown}`, port), "show_unknown");
    const elsewhere = recordingPort(REQUESTER.id, "T0OTHERTEAM");
    await refusal(pressAction(deps, `show:${runId}`, elsewhere.port), "button_elsewhere");
    expect(elsewhere.done).toEqual(["access checked"]);
  });
});

describe("an action's cost estimate", () => {
  it("is the request its press would price: Re-roll's the run's own, Vary's an edit of one image", async () => {
    const metadata = await pipeline.deps.runs.getMetadata(runId);
    const press = { action: "reroll", runId };
    expect(await actionNamed("reroll").estimate?.(pipeline.deps.runs, press)).toEqual({
      request: metadata.request,
      imageCount: 0,
      hasMask: false,
      chained: false,
    });
    const variation = await actionNamed("vary").estimate?.(pipeline.deps.runs, { ...press, action: "vary" });
    expect(variation).toMatchObject({ imageCount: 1, hasMask: false, chained: false });
    expect(variation?.request.prompt).toBe("a paper crane");
    expect(actionNamed("details").estimate).toBeUndefined();
  });
});
