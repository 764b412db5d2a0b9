import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelsWhere } from "../../src/core/models.js";
import type { ParsedForm } from "../fakes/openai/multipart.js";
import { PROCESS_TEST_TIMEOUT_MS } from "./scripts.js";
import { eventually, HAS_CHROMIUM, type StudioPageWorld, startStudioPage } from "./studio-page-world.js";

/** The studio's page in Chromium, against `npm run web` and the fake OpenAI: what a person does, end to end. */

if (!HAS_CHROMIUM) process.stderr.write("studio page tests skipped: no Chromium at /usr/bin/chromium\n");

let world: StudioPageWorld;
const WIDTH = 320;
const HEIGHT = 192;
let photo: Buffer;
let dir: string;
let hugeFile: string;

beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  world = await startStudioPage("studio-page");
  dir = await mkdtemp(join(tmpdir(), "imagine-studio-page-"));
  hugeFile = join(dir, "huge.png");
  await writeFile(hugeFile, Buffer.alloc(60_000_000));
  photo = await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: "#2a7" } })
    .png()
    .toBuffer();
}, PROCESS_TEST_TIMEOUT_MS);
afterAll(async () => {
  await world?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Each partial (and the final) is sent only once the page shows every frame sent before it. */
function showEachPartial(): void {
  let sent = 0;
  world.openai.pace(async (event) => {
    const partial = event.endsWith("partial_image");
    if (!partial && !event.endsWith("completed")) return;
    // A locator, not a function string: the page's Content-Security-Policy refuses eval, as it should.
    if (sent > 0)
      await world.page
        .locator("article.card:first-child .frames li")
        .nth(sent - 1)
        .waitFor({ timeout: 30_000 });
    if (partial) sent++;
  });
}

async function pixel(bytes: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + info.channels)];
}

function file(form: ParsedForm | undefined, ...names: string[]): Buffer {
  const found = form?.files.find((part) => names.includes(part.field));
  if (!found) throw new Error(`the fake OpenAI got no ${names.join(" or ")}`);
  return found.bytes;
}

/** Drags across the first image's canvas from (x1, y1) to (x2, y2), in fractions of its size. */
async function drag(from: [number, number], to: [number, number]): Promise<void> {
  const box = await world.page.locator("canvas.strokes").boundingBox();
  if (!box) throw new Error("no canvas to draw on");
  const { mouse } = world.page;
  await mouse.move(box.x + box.width * from[0], box.y + box.height * from[1]);
  await mouse.down();
  await mouse.move(box.x + box.width * to[0], box.y + box.height * to[1], { steps: 8 });
  await mouse.up();
}

/** Takes every input image off the form, as a person would one by one. */
async function clearInputs(): Promise<void> {
  const remove = world.page.locator(".inputs .remove");
  while ((await remove.count()) > 0) await remove.first().click();
}

/** Generate, then the new run's card once it shows its final (a card for the run, not the one before it). */
async function generate(): Promise<void> {
  const cards = await world.page.locator("article.card").count();
  await world.page.click("#generate");
  const refusal = world.page.locator("#form-error");
  await eventually(
    async () => (await refusal.textContent()) || (await world.page.locator("article.card").count()),
  ).toBe(cards + 1);
  await finalCard();
}

async function finalCard(): Promise<void> {
  await world.page.waitForSelector("article.card:first-child[data-status=completed] .final img", {
    timeout: 60_000,
  });
}

describe.skipIf(!HAS_CHROMIUM)("the studio page", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("generates with partials: the frames appear one by one, then the final with its cost", async () => {
    const { page } = world;
    showEachPartial();
    await page.fill("#prompt", "a lighthouse at dawn");
    await page.fill("#option-partials", "2");
    await world.shot("01-prompt");
    await page.click("#generate");
    await page.waitForSelector("article.card:first-child .frames li:nth-child(2)", { timeout: 60_000 });
    await world.shot("02-partials");
    await finalCard();
    world.openai.pace(undefined);
    await world.shot("03-final");
    const card = page.locator("article.card").first();
    expect(await card.locator(".prompt").textContent()).toBe("a lighthouse at dawn");
    expect(await card.locator(".cost").textContent()).toMatch(/\$/);
    expect(
      await card.locator(".final img").evaluate((img) => (img as { naturalWidth?: number }).naturalWidth),
    ).toBeGreaterThan(0);
    expect(await card.getByRole("button", { name: "Edit this image" }).count()).toBe(1);
    const [request] = world.imageRequests();
    expect(request?.json).toMatchObject({ prompt: "a lighthouse at dawn", partial_images: 2, stream: true });
  });

  it("presses an action of the result (Re-roll): a new run's card draws beside it", async () => {
    const { page } = world;
    const before = world.imageRequests().length;
    const cards = await page.locator("article.card").count();
    await page.locator("article.card").first().getByRole("button", { name: "Re-roll" }).click();
    await eventually(() => page.locator("article.card").count()).toBe(cards + 1);
    await finalCard();
    expect(
      world
        .imageRequests()
        .slice(before)
        .map((request) => request.json),
    ).toEqual([expect.objectContaining({ prompt: "a lighthouse at dawn" })]);
  });

  it("describes a result: its prompts on a card of their own, each with a Use button that draws it", async () => {
    const { page } = world;
    const cards = await page.locator("article.card").count();
    await page.locator("article.card").first().getByRole("button", { name: "Describe" }).click();
    await eventually(() => page.locator("article.card").count()).toBe(cards + 1);
    const described = page.locator("article.card:first-child[data-status=completed] .described li");
    await described.first().waitFor({ timeout: 60_000 });
    await world.shot("03a-described");
    expect(await described.count()).toBe(3);
    expect(await described.first().locator("p").textContent()).not.toBe("");
    const before = world.imageRequests().length;
    await described.first().getByRole("button", { name: "Use 1" }).click();
    await eventually(() => page.locator("article.card").count()).toBe(cards + 2);
    await finalCard();
    expect(world.imageRequests().length).toBe(before + 1);
  });

  it("asks for the words an action needs (Edit) in the card, and deletes a run", async () => {
    const { page } = world;
    const cards = await page.locator("article.card").count();
    const latest = page.locator("article.card").first();
    await latest.getByRole("button", { name: "Edit", exact: true }).click();
    const ask = latest.locator("form.ask");
    await ask.getByRole("textbox").fill("paint it blue");
    await world.shot("03b-asked-for-a-prompt");
    await ask.getByRole("button", { name: "Edit" }).click();
    await eventually(() => page.locator("article.card").count()).toBe(cards + 1);
    await finalCard();
    expect(world.imageRequests().at(-1)?.form?.fields.prompt).toBe("paint it blue");

    const edited = page.locator("article.card").first();
    await edited.getByRole("button", { name: "Delete" }).click();
    await eventually(() => edited.getAttribute("data-status")).toBe("deleted");
    expect(await edited.locator(".final").count()).toBe(0);
    expect(await edited.locator(".note").textContent()).not.toBe("");
  });

  it("edits a final of a run (Edit this image): it is the first input, and the mask is drawn at its size", async () => {
    const { page } = world;
    const before = world.imageRequests().length;
    await page
      .locator("article.card[data-status=completed]")
      .first()
      .getByRole("button", { name: "Edit this image" })
      .click();
    await eventually(() => page.locator(".inputs li").count()).toBe(1);
    await page.getByRole("button", { name: "Paint region" }).click();
    await drag([0.3, 0.3], [0.6, 0.6]);
    await page.fill("#prompt", "a boat in the bay");
    await generate();
    const edit = world.imageRequests()[before];
    expect(edit?.path).toMatch(/\/images\/edits$/);
    const image = await sharp(file(edit?.form, "image", "image[]")).metadata();
    const mask = await sharp(file(edit?.form, "mask")).metadata();
    expect([mask.width, mask.height]).toEqual([image.width, image.height]);
    await page.getByRole("button", { name: "Remove input 1" }).click();
  });

  it("fits a phone in the dark: one column, the form above the runs", async () => {
    const { page } = world;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: "dark" });
    const form = await page.locator("#controls").boundingBox();
    const runs = await page.locator("#results").boundingBox();
    expect(form && runs && runs.y >= form.y + form.height).toBe(true);
    expect(form?.width).toBeLessThanOrEqual(390);
    await world.shot("14-phone-dark");
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("sends a painted region as the mask: the fake OpenAI gets an alpha mask of the image's size", async () => {
    const { page } = world;
    const before = world.imageRequests().length;
    await page.setInputFiles("#image-picker", { name: "field.png", mimeType: "image/png", buffer: photo });
    await page.getByRole("button", { name: "Paint region" }).click();
    await drag([0.1, 0.5], [0.4, 0.5]);
    // A stroke taken back, and the stroke's left end rubbed out: neither is to be edited.
    await drag([0.6, 0.2], [0.9, 0.2]);
    await page.getByRole("button", { name: "Undo" }).click();
    await page.getByRole("button", { name: "Eraser" }).click();
    await drag([0.05, 0.5], [0.15, 0.5]);
    await page.getByRole("button", { name: "Brush" }).click();
    await page.fill("#prompt", "a red barn where I painted");
    await world.shot("04-mask-painted");
    await generate();
    await world.shot("05-mask-result");
    const edit = world.imageRequests()[before];
    expect(edit?.path).toMatch(/\/images\/edits$/);
    const mask = file(edit?.form, "mask");
    expect(await sharp(mask).metadata()).toMatchObject({ width: WIDTH, height: HEIGHT, format: "png" });
    // Painted (white on the page) is where to edit: transparent in the mask OpenAI reads; the rest is opaque.
    const alpha = async (x: number, y: number) =>
      (await pixel(mask, Math.round(WIDTH * x), Math.round(HEIGHT * y)))[3];
    expect(await alpha(0.35, 0.5)).toBe(0);
    expect(await alpha(0.75, 0.2)).toBe(255);
    expect(await alpha(0.1, 0.5)).toBe(255);
    expect(await alpha(0.8, 0.8)).toBe(255);
  });

  it("sends a markup drawing on a model that takes one: a transparent PNG of the image's size, only the strokes", async () => {
    const { page } = world;
    const before = world.imageRequests().length;
    const [markupModel] = modelsWhere((model) => model.markup);
    if (markupModel === undefined) throw new Error("the model table has no markup model");
    await page.selectOption("#option-model", markupModel);
    await page.getByRole("button", { name: "Markup" }).click();
    await page.getByRole("button", { name: "Circle" }).click();
    await drag([0.55, 0.2], [0.9, 0.8]);
    await page.getByRole("button", { name: "Arrow" }).click();
    await drag([0.1, 0.9], [0.5, 0.55]);
    await page.fill("#prompt", "put a windmill in the circle");
    await world.shot("06-markup-drawn");
    await generate();
    await world.shot("07-markup-result");
    const edit = world.imageRequests()[before];
    expect(edit?.form?.fields.model).toBe(markupModel);
    expect(edit?.form?.files.some((part) => part.field === "mask")).toBe(false);
    const markup = file(edit?.form, "markup");
    expect(await sharp(markup).metadata()).toMatchObject({ width: WIDTH, height: HEIGHT, format: "png" });
    // Only the strokes: the circle's rim is drawn, its middle and the untouched corner stay transparent.
    expect((await pixel(markup, Math.round(WIDTH * 0.9) - 2, Math.round(HEIGHT * 0.5)))[3]).toBeGreaterThan(
      0,
    );
    expect((await pixel(markup, Math.round(WIDTH * 0.725), Math.round(HEIGHT * 0.5)))[3]).toBe(0);
    expect((await pixel(markup, 2, 2))[3]).toBe(0);
    await page.getByRole("button", { name: "Remove input 1" }).click();
    await page.selectOption("#option-model", "");
  });

  it("refuses 17 images, a 60 MB drop, a non-image and an empty mask, each in one sentence, sending nothing", async () => {
    const { page } = world;
    await clearInputs();
    const posts = world.runPosts.length;
    const requests = world.imageRequests().length;
    const error = page.locator("#form-error");
    const images = Array.from({ length: 17 }, (_, index) => ({
      name: `photo-${index + 1}.png`,
      mimeType: "image/png",
      buffer: photo,
    }));
    await page.setInputFiles("#image-picker", images);
    await eventually(() => error.textContent()).toBe("You gave 17 input images; the limit is 16.");
    expect(await page.locator(".inputs li").count()).toBe(0);
    await world.shot("08-refused-17-images");

    // A file on disk: Playwright hands the browser no buffer over 50 MB.
    await page.setInputFiles("#image-picker", hugeFile);
    await eventually(() => error.textContent()).toBe("huge.png is 60 MB; input images must be under 50 MB.");
    await page.setInputFiles("#image-picker", {
      name: "notes.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("hi"),
    });
    await eventually(() => error.textContent()).toMatch(
      /^notes\.txt is not an image \(text\/plain\); input images must be PNG, JPEG/,
    );
    await world.shot("09-refused-non-image");

    await page.setInputFiles("#image-picker", { name: "field.png", mimeType: "image/png", buffer: photo });
    await page.getByRole("button", { name: "Paint region" }).click();
    await page.fill("#prompt", "change nothing");
    await page.click("#generate");
    await eventually(() => error.textContent()).toMatch(/^Nothing is painted on the first image/);
    await world.shot("10-refused-empty-mask");
    expect(world.runPosts.length).toBe(posts);
    expect(world.imageRequests().length).toBe(requests);
    await page.getByRole("button", { name: "Remove input 1" }).click();
  });

  it("cancels a run while it draws: Cancel under its card stops it, and the card says so", async () => {
    const { page } = world;
    const { promise: held, resolve: release } = Promise.withResolvers<void>();
    // The first frame waits until Cancel was pressed, so the run is surely still drawing when it is.
    world.openai.pace(async (event) => {
      if (event.endsWith("partial_image")) await held;
    });
    await page.fill("#prompt", "a slow sunrise");
    await page.fill("#option-partials", "2");
    await page.click("#generate");
    const card = page.locator("article.card").first();
    await page.waitForSelector("article.card:first-child[data-status=running] [data-action=cancel]", {
      timeout: 60_000,
    });
    await world.shot("15-cancel-offered");
    await card.locator("[data-action=cancel]").click();
    // Held until the card says cancelled: released at once, the run could finish before the cancel reaches its
    // worker on a loaded machine. The cancel aborts the worker's request; the held stream needs nothing more.
    await page.waitForSelector("article.card:first-child[data-status=cancelled]", { timeout: 60_000 });
    release();
    world.openai.pace(undefined);
    await world.shot("16-cancelled");
    expect(await card.locator(".note").textContent()).toMatch(/cancel/i);
    // Said plainly, not as an error: nothing went wrong.
    expect(await card.locator(".note").getAttribute("class")).toBe("note plain");
    expect(await card.locator("[data-action=cancel]").count()).toBe(0);
  });
});
