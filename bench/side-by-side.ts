import { writeFile } from "node:fs/promises";
import sharp from "sharp";
import { previewImage } from "../src/platforms/discord/fit-image.js";

/** Discord shows a lone image in chat at most about this wide and high (desktop, no zoom). */
const CHAT = { width: 550, height: 400 };
const GAP = 16;
const LABEL_HEIGHT = 28;

/** An image scaled to the chat size, with a caption above it. */
async function panel(image: Buffer, caption: string): Promise<Buffer> {
  const scaled = await sharp(image)
    .resize({ ...CHAT, fit: "inside" })
    .png()
    .toBuffer();
  const { width = CHAT.width } = await sharp(scaled).metadata();
  const text = caption.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const label = Buffer.from(
    `<svg width="${CHAT.width}" height="${LABEL_HEIGHT}"><text x="4" y="19" font-family="DejaVu Sans, sans-serif" font-size="14" fill="#dcddde">${text}</text></svg>`,
  );
  return sharp({
    create: { width: CHAT.width, height: CHAT.height + LABEL_HEIGHT, channels: 3, background: "#313338" },
  })
    .composite([
      { input: label, top: 0, left: 0 },
      { input: scaled, top: LABEL_HEIGHT, left: Math.floor((CHAT.width - width) / 2) },
    ])
    .png()
    .toBuffer();
}

async function describe(image: Buffer, what: string): Promise<string> {
  const meta = await sharp(image).metadata();
  return `${what}: ${meta.format?.toUpperCase()} ${meta.width}x${meta.height}, ${Math.round(image.length / 1024)} KiB`;
}

/**
 * For a person to judge the previews at chat size (Discord's dark theme): above, a partial as OpenAI sent it
 * next to the preview the bot uploaded for it; below, a detailed image (a final: the fake's partials are
 * blurred on purpose) next to what the bot's preview step makes of it.
 */
export async function writeSideBySide(
  path: string,
  shown: { partial: Buffer; preview: Buffer },
  detailed: Buffer,
): Promise<void> {
  const detailedPreview = (await previewImage({ bytes: detailed, format: "png" }, "detail", Infinity)).bytes;
  const panels = await Promise.all([
    panel(shown.partial, await describe(shown.partial, "partial from OpenAI")),
    panel(shown.preview, await describe(shown.preview, "preview sent to Discord")),
    panel(detailed, await describe(detailed, "final, as a detailed frame")),
    panel(detailedPreview, await describe(detailedPreview, "its preview")),
  ]);
  const cell = { width: CHAT.width, height: CHAT.height + LABEL_HEIGHT };
  const image = await sharp({
    create: {
      width: 2 * cell.width + 3 * GAP,
      height: 2 * cell.height + 3 * GAP,
      channels: 3,
      background: "#1e1f22",
    },
  })
    .composite(
      panels.map((input, index) => ({
        input,
        left: GAP + (index % 2) * (cell.width + GAP),
        top: GAP + Math.floor(index / 2) * (cell.height + GAP),
      })),
    )
    .png()
    .toBuffer();
  await writeFile(path, image);
}
