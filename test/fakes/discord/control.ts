import { customIds, messageText, showsResult } from "../../helpers/discord-result.js";
import { BOT_WAIT_MS, type TryOutEvent, type TryOutPoll, TryOutRefusal, within } from "../try-out.js";
import type { FakeDiscord, FakeInteraction, FakeMessage } from "./fake.js";

/** Discord drops an interaction nobody answered within 3 s; a little more for the bot's own round trip. */
const FIRST_ANSWER_MS = 3_500;

type Version = FakeMessage["history"][number];
type OptionValue = string | number | boolean;

function commandOptions(body: Record<string, unknown>): Record<string, OptionValue> {
  const { prompt, options = {} } = body as { prompt?: unknown; options?: unknown };
  if (typeof prompt !== "string" || prompt.trim() === "") throw new TryOutRefusal(400, "prompt is required");
  if (typeof options !== "object" || options === null) throw new TryOutRefusal(400, "options is an object");
  const out: Record<string, OptionValue> = { prompt };
  for (const [name, value] of Object.entries(options)) {
    if (!["string", "number", "boolean"].includes(typeof value)) {
      throw new TryOutRefusal(400, `option ${name} must be a string, number or boolean`);
    }
    out[name] = value as OptionValue;
  }
  return out;
}

/** A version of the reply as the person sees it: its text (Discord's "thinking…" while deferred) and files. */
function describe(version: Version): string {
  // A gallery (Components V2) has no content: its text is in its text displays.
  const shown = messageText(version);
  const text = shown === "" ? "… imagine is thinking" : shown;
  return version.attachments.length === 0 ? text : `${text}  [${version.attachments.join(", ")}]`;
}

const isRefusal = (message: FakeMessage | undefined): message is FakeMessage =>
  message?.content.startsWith("⚠️") ?? false;

/** Follows the interaction's reply: every version, then its images and buttons, or the ⚠️ the bot answered. */
function followReply(fake: FakeDiscord, interaction: FakeInteraction): TryOutPoll {
  let shown = 0;
  return () => {
    const reply = fake.original(interaction);
    const versions = reply?.history.slice(shown) ?? [];
    shown += versions.length;
    const events: TryOutEvent[] = versions
      .filter((version) => !version.content.startsWith("⚠️"))
      .map((version) => ({ stage: describe(version) }));
    // A refusal is the reply itself, or a private follow-up once the public reply was withdrawn.
    const followUps = interaction.followupIds.map((id) => fake.world.messages.get(id));
    const refusal = [reply, ...followUps].find(isRefusal);
    if (refusal) return [...events, { failed: refusal.content }];
    if (reply && !reply.deleted && showsResult(reply)) {
      const images = reply.attachments.map((attachment) => ({
        name: attachment.filename,
        url: attachment.url,
      }));
      return [...events, { done: { images, buttons: customIds(reply.components) } }];
    }
    if (interaction.callbackType === undefined && Date.now() - interaction.createdAt > FIRST_ANSWER_MS) {
      return [...events, { failed: "The bot did not answer the /imagine within Discord's 3 seconds." }];
    }
    return events;
  };
}

/**
 * `POST /_fake/imagine` on the fake Discord: `{prompt, options}` becomes a `/imagine` slash command dispatched
 * over the gateway to the connected bot, as Alice in #general; the route then follows its reply.
 */
export async function imagineOnDiscord(
  fake: FakeDiscord,
  body: Record<string, unknown>,
): Promise<TryOutPoll> {
  const options = commandOptions(body);
  if (!(await within(fake.waitForBot(), BOT_WAIT_MS))) {
    throw new TryOutRefusal(
      409,
      "No bot is connected to the fake Discord's gateway. Start it with the DISCORD_API_URL and DISCORD_TOKEN " +
        "the fake printed (docs/try-it-offline.md), then try again.",
    );
  }
  const interaction = await fake.slash("imagine", options);
  return followReply(fake, interaction);
}
