import type { ChatInputCommandInteraction } from "discord.js";
import type { DiscordContext } from "../context.js";
import type { AttachmentLike } from "../download.js";
import { submitInteraction } from "../intake.js";
import { asAttachment, rawOptions } from "./options.js";

const slotOf = (name: string) => (name === "image" ? 1 : /^image-(\d+)$/.exec(name)?.[1]);

/** `/edit`: `image`, `image-2` … become one repeated `image` option, in slot order. */
export async function handleEdit(
  ctx: DiscordContext,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  const raw = rawOptions(interaction.options.data);
  const options: Record<string, unknown> = {};
  const slots: [number, AttachmentLike][] = [];
  for (const [name, value] of Object.entries(raw)) {
    const slot = slotOf(name);
    const attachment = asAttachment(value);
    if (slot !== undefined && attachment) slots.push([Number(slot), attachment]);
    else options[name] = value;
  }
  const images = slots.sort((a, b) => a[0] - b[0]).map(([, attachment]) => attachment);
  await submitInteraction(ctx, interaction, {
    kind: "options",
    raw: { ...options, image: images },
    images,
    mask: asAttachment(raw.mask),
  });
}
