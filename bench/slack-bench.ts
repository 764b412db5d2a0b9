import type { FakeMessage, FakeSlack } from "../test/fakes/slack/server.js";
import { showEachPartial } from "../test/helpers/pace.js";
import { waitFor } from "../test/helpers/wait-for.js";
import type { SlackProcesses } from "../test/process/slack-processes.js";
import { type FrameTrip, frameTrips, type ShownFrame, writtenFor } from "./frames.js";

const JOB_TIMEOUT_MS = 120_000;

/** The bot's status message for the job whose prompt it names. */
function statusMessage(slack: FakeSlack, prompt: string): FakeMessage | undefined {
  return slack.messages.find(
    (message) =>
      message.bot_id !== undefined &&
      message.files === undefined &&
      message.history.some((version) => version.text.includes(prompt)),
  );
}

/** The `chat.update`s of the job's status message: each frame's file (`frame_<i>.png`), then the result. */
function shownOnSlack(slack: FakeSlack, prompt: string): ShownFrame[] {
  const status = statusMessage(slack, prompt);
  if (status === undefined) return [];
  return slack.calls("chat.update").flatMap((request): ShownFrame[] => {
    const args = (request.json ?? {}) as { channel?: string; ts?: string; blocks?: unknown };
    if (args.channel !== status.channel || args.ts !== status.ts) return [];
    const blocks = JSON.stringify(args.blocks ?? []);
    if (blocks.includes("imagine_reroll")) return [{ frame: "final", at: request.arrivedAt }];
    const fileId = /"slack_file":\{"id":"(\w+)"\}/.exec(blocks)?.[1];
    const name = fileId === undefined ? undefined : slack.file(fileId)?.name;
    const frame = /^frame_(\d+)\./.exec(name ?? "")?.[1];
    return frame === undefined ? [] : [{ frame: Number(frame), at: request.arrivedAt }];
  });
}

/**
 * Jobs one after another on the Slack bot of `world` (running, its socket connected) at 1536x1024 with 3
 * partials, each partial written `gapMs` after the one before (more than the bot's one edit a second per
 * message) and once the bot shows the previous one. The world's uploads should be ready at once
 * (`fileReadyDelayMs: 0`): Slack's own processing time is not the bot's.
 */
export async function slackPartialToUpdate(
  world: SlackProcesses,
  rounds: number,
  gapMs: number,
): Promise<FrameTrip[]> {
  const { openai, slack } = world;
  openai.setLatency(gapMs);
  const trips: FrameTrip[] = [];
  // Round -1 warms the bot's Slack paths up and is not counted.
  for (let round = -1; round < rounds; round++) {
    const prompt = `bench slack round ${round} end`;
    showEachPartial(
      openai,
      () => shownOnSlack(slack, prompt).filter((shown) => shown.frame !== "final").length,
      JOB_TIMEOUT_MS,
    );
    await world.driver.slashCommand({ text: `${prompt} --size 1536x1024 --partials 3` });
    await waitFor(
      `the Slack result of round ${round}`,
      () => {
        const status = statusMessage(slack, prompt);
        if (status?.text.startsWith("⚠️")) throw new Error(`the bot answered: ${status.text}`);
        return shownOnSlack(slack, prompt).some((shown) => shown.frame === "final");
      },
      JOB_TIMEOUT_MS,
    );
    if (round >= 0) trips.push(...frameTrips(writtenFor(openai, prompt), shownOnSlack(slack, prompt)));
  }
  openai.pace(undefined);
  return trips;
}
