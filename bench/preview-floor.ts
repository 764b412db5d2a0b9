import { fork } from "node:child_process";
import { once } from "node:events";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { wallClock } from "../test/fakes/clock.js";
import type { FakeInteraction } from "../test/fakes/discord/fake.js";
import { baseTestEnv } from "../test/helpers/redis.js";
import type { DiscordProcesses } from "../test/process/discord-processes.js";
import { REPO_ROOT } from "../test/process/npm-process.js";
import type { FloorAnswer, FloorAsk, FloorFrame } from "./bare-preview.js";
import { jobIdOf, replyEdits } from "./discord-bench.js";

/** Frames shown first and not counted, as the bot's first job of a size is not. */
const WARM_UP_FRAMES = 3;

/** Every partial the jobs stored, the first partial of each job first: no reply is edited twice in a row. */
async function framesOf(world: DiscordProcesses, interactions: FakeInteraction[]): Promise<FloorFrame[][]> {
  const perJob = await Promise.all(
    interactions.map(async (interaction) => {
      const folder = join(world.storageDir, jobIdOf(world.discord, interaction));
      const partials = (await readdir(folder)).filter((name) => /^partial_\d+\.png$/.test(name)).sort();
      return partials.map((name) => ({
        path: join(folder, name),
        applicationId: world.discord.applicationId,
        token: interaction.token,
        attachmentSizeLimit: interaction.attachmentSizeLimit,
      }));
    }),
  );
  const rounds = Math.max(0, ...perJob.map((frames) => frames.length));
  return Array.from({ length: rounds }, (_, round) => perJob.flatMap((frames) => frames[round] ?? []));
}

/**
 * `preview_floor_ms_<size>`: the frames the bot just showed for these jobs, each shown again by
 * `bare-preview.ts` (a program of its own: one decode, resize and encode, one PATCH to the fake Discord). From
 * telling it to show a frame (over IPC, as the bot is told by an SSE event) to the fake receiving the edit, on
 * the fakes' clock. The first frames warm the program up (the bot has shown frames before) and are not counted. The frames go round the replies,
 * so each reply is edited about once per job's worth of frames: under Discord's 5 edits a second.
 */
export async function previewFloor(
  world: DiscordProcesses,
  interactions: FakeInteraction[],
): Promise<number[]> {
  const frames = (await framesOf(world, interactions)).flat();
  const env = {
    ...process.env,
    ...baseTestEnv(world.openai.url, world.prefix, world.storageDir),
    DISCORD_TOKEN: world.discord.token,
    DISCORD_API_URL: world.discord.url,
  };
  const bare = fork(join(REPO_ROOT, "bench", "bare-preview.ts"), {
    execArgv: ["--import", "tsx"],
    env,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const gone = once(bare, "exit").then(() => {
    throw new Error("bench/bare-preview.ts exited");
  });
  gone.catch(() => undefined);
  const ask = async (message: FloorAsk): Promise<FloorAnswer> => {
    const answered = once(bare, "message") as Promise<[FloorAnswer]>;
    bare.send(message);
    const [answer] = await Promise.race([answered, gone]);
    if ("failed" in answer) throw new Error(`bench/bare-preview.ts: ${answer.failed}`);
    return answer;
  };
  try {
    await ask({ load: frames });
    const times: number[] = [];
    for (const [index, frame] of frames.entries()) {
      const asked = wallClock();
      await ask({ show: index });
      const edit = replyEdits(world.discord, frame.token).find(
        (request) => request.files.length > 0 && request.arrivedAt >= asked,
      );
      if (edit === undefined) throw new Error(`the fake Discord has no edit for frame ${index}`);
      if (index >= WARM_UP_FRAMES) times.push(edit.arrivedAt - asked);
    }
    return times;
  } finally {
    if (bare.exitCode === null && bare.signalCode === null) {
      const exited = once(bare, "exit");
      bare.disconnect();
      await exited;
    }
  }
}
