import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeInteraction, FakeMessage } from "../fakes/discord/fake.js";
import type { RecordedRequest } from "../fakes/openai/state.js";
import { jobIdOf } from "../helpers/discord-result.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordBot, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
/** Two images of 1536x1024: the actions below act on the second. */
let result: FakeMessage;
let jobId: string;

/** The bytes of the run's stored final `index`, as the bot keeps it. */
const finalBytes = async (runId: string, index: number) =>
  readFile(join(bot.storageDir, runId, `final_${index}.png`));

/** The one input image of an edit request, as OpenAI received it. */
function sentImage(request: RecordedRequest | undefined): Buffer | undefined {
  return request?.form?.files.find((file) => file.field.startsWith("image"))?.bytes;
}

const field = (request: RecordedRequest | undefined, name: string) => request?.form?.fields[name];

/** The private answer to a press, once it came: its text and the custom ids of its buttons. */
async function privateAnswer(click: FakeInteraction) {
  await waitFor("the private answer", () => click.callbackType);
  expect(click.callbackData?.flags).toBe(64);
  const rows = (click.callbackData?.components ?? []) as { components: { custom_id: string }[] }[];
  return {
    content: String(click.callbackData?.content ?? ""),
    buttons: rows.flatMap((row) => row.components.map((button) => button.custom_id)),
  };
}

beforeAll(async () => {
  bot = await startDiscordBot("discord-image-actions", { env: { BUDGET_USER_DAY_USD: "20" } });
  result = await bot.finalReply(
    await bot.discord.slash("imagine", {
      prompt: "a red fox in snow",
      n: 2,
      size: "1536x1024",
      quality: "low",
      partials: 0,
    }),
  );
  jobId = jobIdOf(result);
});
afterAll(() => bot.close());
beforeEach(() => bot.reset());

describe("Finalize on Discord", () => {
  it("quotes privately, reserves on Confirm, and edits image 2 at the largest size on the final model", async () => {
    const click = await bot.discord.click(result, `v2:finalize:${jobId}:1`);
    const quote = await privateAnswer(click);
    expect(quote.content).toMatch(
      /^Finalize image 2: 3504x2336 on `gpt-image-2\.5-sunburst` at quality max, an edit of it with the same prompt\.\nEstimated cost: up to \$(\d+\.\d\d)/,
    );
    expect(quote.buttons).toEqual([`v2:finalize-go:${jobId}:1`]);
    expect(bot.openai.requests).toHaveLength(0);
    const quoted = Number(/up to \$(\d+\.\d\d)/.exec(quote.content)?.[1]);

    // Held at its first event: what the budget holds for the person then is the reservation.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    bot.openai.pace(() => held);
    const confirmMessage = bot.discord.original(click);
    if (confirmMessage === undefined) throw new Error("no confirmation message");
    const confirm = await bot.discord.click(confirmMessage, `v2:finalize-go:${jobId}:1`);
    await waitFor("the edit request", () => bot.openai.requests[0]);
    const person = { kind: "user" as const, id: `discord:${bot.discord.user.id}` };
    const reserved = await bot.running.context.budget.spent(person, "day");
    expect(reserved.micro / 1_000_000).toBeGreaterThan(quoted - 0.01);
    release();
    bot.openai.pace(undefined);

    const finalized = await bot.finalReply(confirm);
    expect(finalized.id).not.toBe(result.id);
    const request = bot.openai.requests[0];
    expect(request?.path).toBe("/v1/images/edits");
    expect(field(request, "model")).toBe("gpt-image-2.5-sunburst");
    expect(field(request, "size")).toBe("3504x2336");
    expect(field(request, "quality")).toBe("max");
    expect(field(request, "prompt")).toBe("a red fox in snow");
    expect(sentImage(request)?.equals(await finalBytes(jobId, 1))).toBe(true);
    expect(finalized.content).toContain("3504x2336");
    // The quote was private; the finalized image of a public result is public, like the result.
    expect(finalized.flags & 64).toBe(0);
  });

  it("is refused to someone else who is no admin, privately, and nothing is made", async () => {
    bot.discord.world.memberPermissions.set(bot.discord.otherUser.id, "0");
    const click = await bot.discord.click(result, `v2:finalize:${jobId}:0`, bot.discord.otherUser);
    const answer = await privateAnswer(click);
    expect(answer.content).toMatch(/^Only the person who asked for this image or an admin can finalize it/);
    expect(answer.buttons).toEqual([]);
    const confirm = await bot.discord.click(result, `v2:finalize-go:${jobId}:0`, bot.discord.otherUser);
    await privateAnswer(confirm);
    expect(bot.openai.requests).toHaveLength(0);
  });

  it("of an image the run does not have: one sentence, nothing spent", async () => {
    const click = await bot.discord.click(result, `v2:finalize-go:${jobId}:4`);
    const answer = await privateAnswer(click);
    expect(answer.content).toBe("⚠️ That result has 2 images, not an image 5.");
    expect(bot.openai.requests).toHaveLength(0);
  });
});

describe("the actions of a private result", () => {
  it("keep what they make private: Finalize's Confirm and Edit's form, pressed on the ephemeral result", async () => {
    const secret = await bot.finalReply(
      await bot.discord.slash("imagine", {
        prompt: "a hidden fox",
        partials: 0,
        quality: "low",
        private: true,
      }),
    );
    expect(secret.flags & 64).toBe(64);
    const secretJob = jobIdOf(secret);
    const click = await bot.discord.click(secret, `finalize:${secretJob}`);
    await privateAnswer(click);
    const quote = bot.discord.original(click);
    if (quote === undefined) throw new Error("no confirmation message");
    const finalized = await bot.finalReply(await bot.discord.click(quote, `v2:finalize-go:${secretJob}:0`));
    expect(finalized.flags & 64).toBe(64);

    const edit = await bot.discord.click(secret, `edit:${secretJob}`);
    await waitFor("the modal", () => edit.callbackType);
    const modal = edit.callbackData as { custom_id: string };
    const edited = await bot.finalReply(
      await bot.discord.submitModal(modal.custom_id, { prompt: "the fox hides better" }, undefined, secret),
    );
    expect(edited.flags & 64).toBe(64);
  });
});

describe("Edit and Use as reference on Discord", () => {
  it("Edit asks in a modal, then edits image 2 with the new prompt at its size", async () => {
    const click = await bot.discord.click(result, `v2:edit:${jobId}:1`);
    await waitFor("the modal", () => click.callbackType);
    expect(click.callbackType).toBe(9);
    const modal = click.callbackData as { custom_id: string; title: string };
    expect(modal.title).toBe("Edit image 2");
    const submit = await bot.discord.submitModal(
      modal.custom_id,
      { prompt: "the fox wears a scarf" },
      undefined,
      result,
    );
    await bot.finalReply(submit);
    const request = bot.openai.requests[0];
    expect(request?.path).toBe("/v1/images/edits");
    expect(field(request, "prompt")).toBe("the fox wears a scarf");
    expect(field(request, "size")).toBe("1536x1024");
    expect(sentImage(request)?.equals(await finalBytes(jobId, 1))).toBe(true);
  });

  it("Use as reference asks in a modal, then makes a new image from image 2 on the presser's defaults", async () => {
    const saved = await bot.discord.slash("settings", { size: "1024x1536" });
    await waitFor("the settings saved", () => saved.callbackType);
    const click = await bot.discord.click(result, `v2:reference:${jobId}:1`);
    await waitFor("the modal", () => click.callbackType);
    const modal = click.callbackData as { custom_id: string };
    const submit = await bot.discord.submitModal(
      modal.custom_id,
      { prompt: "a fox plush toy" },
      undefined,
      result,
    );
    await bot.finalReply(submit);
    const request = bot.openai.requests[0];
    expect(field(request, "prompt")).toBe("a fox plush toy");
    expect(field(request, "model")).toBe("gpt-image-2");
    expect(field(request, "size")).toBe("1024x1536");
    const reset = await bot.discord.slash("settings", { reset: true });
    await waitFor("the settings reset", () => reset.callbackType);
    expect(sentImage(request)?.equals(await finalBytes(jobId, 1))).toBe(true);
  });

  it("an old-style vary:<runId> button still varies the first image", async () => {
    await bot.finalReply(await bot.discord.click(result, `vary:${jobId}`));
    expect(sentImage(bot.openai.requests[0])?.equals(await finalBytes(jobId, 0))).toBe(true);
  });
});

describe("drafts on Discord", () => {
  it("a draft is made on the draft model at low quality with partials, says draft, and offers Finalize", async () => {
    const draft = await bot.finalReply(
      await bot.discord.slash("imagine", { prompt: "a grey owl", draft: true }),
    );
    const sent = bot.openai.requests[0]?.json as Record<string, unknown> | undefined;
    expect(sent).toMatchObject({ model: "gpt-image-2.5-flare", quality: "low", stream: true });
    expect(sent?.partial_images).toBeGreaterThanOrEqual(1);
    expect(draft.content).toMatch(/\ndraft · `gpt-image-2\.5-flare` · /);
    const buttons = JSON.stringify(draft.components);
    expect(buttons).toContain(`"finalize:${jobIdOf(draft)}"`);
  });
});

describe("Finalize over budget on Discord", () => {
  it("Confirm is refused with the budget's sentence, and nothing reaches OpenAI", async () => {
    const set = await bot.discord.slash("usage", { set: "user-day-usd", value: "1" });
    await waitFor("the limit set", () => set.callbackType);
    const confirm = await bot.discord.click(result, `v2:finalize-go:${jobId}:0`);
    await waitFor("the refusal", () => confirm.followupIds.length > 0 || confirm.callbackData?.flags === 64);
    const refusal = bot.discord.world.messages.get(confirm.followupIds[0] ?? "")?.content ?? "";
    expect(refusal).toMatch(/^⚠️ .*budget/i);
    expect(bot.openai.requests).toHaveLength(0);
    expect(bot.discord.original(confirm)?.deleted ?? true).toBe(true);
  });
});
