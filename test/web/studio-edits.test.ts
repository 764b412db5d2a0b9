import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  StudioConversation,
  StudioEvent,
  StudioHistory,
  StudioPressAnswer,
} from "../../src/platforms/web/studio-api.js";
import type { RecordedRequest } from "../fakes/openai/server.js";
import { type StudioHarness, startStudio } from "./harness.js";
import { runForm, type StudioClient } from "./studio-client.js";

/** What the page sends besides a prompt: a painted mask, a markup, an earlier final, a conversation's turns. */
let studio: StudioHarness;
let client: StudioClient;
beforeAll(async () => {
  studio = await startStudio("web-edits");
  client = await studio.signedIn();
  await client.openEvents();
});
afterAll(async () => {
  client?.closeEvents();
  await studio?.close();
});

const image = () =>
  sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .png()
    .toBuffer();

/** White where to change (the top-left quarter), transparent elsewhere: as the page's brush paints it. */
const paintedMask = () =>
  sharp({ create: { width: 64, height: 64, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([
      {
        input: {
          create: { width: 32, height: 32, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 1 } },
        },
        left: 0,
        top: 0,
      },
    ])
    .png()
    .toBuffer();

async function submitted(
  form: FormData,
): Promise<{ runId: string; conversation?: string; run: StudioEvent }> {
  const res = await client.postRun(form);
  const body = await res.text();
  expect(res.status, body).toBe(202);
  const accepted = JSON.parse(body) as { runId: string; conversation?: string };
  const run = await client.ended(accepted.runId);
  expect(run.type, JSON.stringify(run)).toBe("completed");
  return { ...accepted, run };
}

const lastEdit = (): RecordedRequest | undefined =>
  studio.fake.requests.filter((request) => request.path.endsWith("/images/edits")).at(-1);

const completedRun = (event: StudioEvent) => (event as Extract<StudioEvent, { type: "completed" }>).run;

async function press(body: object): Promise<StudioPressAnswer> {
  const res = await client.fetch("/studio/api/actions", {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", "x-csrf-token": client.csrf },
  });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as StudioPressAnswer;
}

describe("the studio's edits and conversations", () => {
  it("sends a painted mask (white where to change) to OpenAI as the alpha mask chat sends", async () => {
    const files = [
      { field: "image" as const, name: "red.png", type: "image/png", bytes: await image() },
      { field: "mask" as const, name: "mask.png", type: "image/png", bytes: await paintedMask() },
    ];
    await submitted(runForm("make the corner blue", { partials: 0 }, files));
    const mask = lastEdit()?.form?.files.find((file) => file.field === "mask");
    expect(mask).toBeDefined();
    const { data, info } = await sharp(mask?.bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const alphaAt = (x: number, y: number) => data[(y * info.width + x) * info.channels + 3];
    expect([info.width, info.height]).toEqual([64, 64]);
    expect(alphaAt(4, 4)).toBe(0);
    expect(alphaAt(40, 40)).toBe(255);
  });

  it("sends a markup drawing as `markup` on a model that takes it", async () => {
    const markup = await sharp({
      create: { width: 64, height: 64, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .composite([
        {
          input: { create: { width: 8, height: 40, channels: 4, background: "#ff0000" } },
          left: 20,
          top: 10,
        },
      ])
      .png()
      .toBuffer();
    const files = [
      { field: "image" as const, name: "red.png", type: "image/png", bytes: await image() },
      { field: "markup" as const, name: "markup.png", type: "image/png", bytes: markup },
    ];
    await submitted(runForm("follow the arrow", { partials: 0, model: "gpt-image-2.5-flare" }, files));
    const sent = lastEdit()?.form;
    expect(sent?.files.map((file) => file.field)).toContain("markup");
    expect(sent?.files.map((file) => file.field)).not.toContain("mask");
  });

  it("continues from one of the person's finals, then presses actions on the result", async () => {
    const first = await submitted(runForm("a blue boat", { partials: 0 }));
    const firstRun = completedRun(first.run);
    expect(firstRun.actions.map((action) => action.name)).toEqual(
      expect.arrayContaining(["reroll", "vary", "finalize", "edit", "describe", "details", "delete"]),
    );
    await submitted(
      runForm("now at sea", { partials: 0 }, [], { from: JSON.stringify({ runId: first.runId, image: 0 }) }),
    );
    expect(lastEdit()?.form?.files.filter((file) => file.field.startsWith("image"))).toHaveLength(1);

    const details = await press({ runId: first.runId, action: "details" });
    expect(details.say).toContain(`Details of ${first.runId}`);
    const reroll = await press({ runId: first.runId, action: "reroll" });
    expect((await client.ended(reroll.runId ?? "")).type).toBe("completed");
    const edit = await press({ runId: first.runId, action: "edit" });
    expect(edit.askForPrompt).toMatchObject({ label: "How should the image change?" });
    const edited = await press({ runId: first.runId, action: "edit", prompt: "paint it green" });
    expect((await client.ended(edited.runId ?? "")).type).toBe("completed");
    const finalize = await press({ runId: first.runId, action: "finalize" });
    expect(finalize.confirm).toMatchObject({
      label: "Confirm",
      press: { action: "finalize-go", runId: first.runId },
    });
    expect(finalize.runId).toBeUndefined();

    // A Describe is a run of its own, listed in the history (the page shows its prompts when it is opened).
    const described = await press({ runId: first.runId, action: "describe" });
    expect((await client.ended(described.runId ?? "")).type).toBe("completed");
    const history = (await (await client.fetch("/studio/api/history")).json()) as StudioHistory;
    expect(history.runs[0]?.runId).toBe(described.runId);

    const deleted = await press({ runId: reroll.runId, action: "delete" });
    expect(deleted.say).toBeTruthy();
    expect((await client.fetch(`/studio/api/runs/${reroll.runId}`)).status).toBe(404);
  });

  it("keeps a conversation on the Responses API: each turn chains, a branch starts from any turn, the tree shows both", async () => {
    const first = await submitted(runForm("a lighthouse", { partials: 0, api: "responses" }));
    expect(first.conversation).toMatch(/^[\w-]+$/);
    const conversation = first.conversation ?? "";
    const firstJob = completedRun(first.run).jobId ?? "";
    const second = await submitted(
      runForm("add a storm", { partials: 0, api: "responses" }, [], { conversation }),
    );
    expect(second.conversation).toBe(conversation);
    const branch = await submitted(
      runForm("make it sunny instead", { partials: 0, api: "responses" }, [], {
        conversation,
        parent: firstJob,
      }),
    );
    expect(completedRun(second.run).parentJobId).toBe(firstJob);
    expect(completedRun(branch.run).parentJobId).toBe(firstJob);
    const chained = studio.fake.requests.filter((request) => request.path.endsWith("/responses"));
    const previous = chained.map(
      (request) => (request.json as { previous_response_id?: string }).previous_response_id,
    );
    expect(previous.filter((id) => id !== undefined)).toHaveLength(2);

    const tree = (await (
      await client.fetch(`/studio/api/conversations/${conversation}`)
    ).json()) as StudioConversation;
    expect(tree.turns.map((turn) => [turn.runId, turn.parentJobId])).toEqual([
      [first.runId, undefined],
      [second.runId, firstJob],
      [branch.runId, firstJob],
    ]);
    expect(tree.turns[1]?.prompt).toBe("add a storm");
  });
});
