import { execFile } from "node:child_process";
import { cp, readFile } from "node:fs/promises";
import { isAbsolute, join, relative } from "node:path";
import { promisify } from "node:util";

/** One instruction: `COPY --from=build /app/dist dist` is `{ keyword: "COPY", flags: ["--from=build"], words }`. */
export interface DockerInstruction {
  keyword: string;
  flags: string[];
  /** The exec form's JSON array, or the shell form's text split on spaces (`shell` keeps it whole). */
  words: string[];
  shell: string;
}

export interface DockerStage {
  name: string | undefined;
  workdir: string;
  instructions: DockerInstruction[];
}

/** The stages of a Dockerfile, as far as the tests need them: no heredocs, no parser directives but comments. */
export function parseDockerfile(text: string): DockerStage[] {
  const logical = text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  const stages: DockerStage[] = [];
  for (const line of logical) {
    const [keyword = "", ...rest] = line.split(/\s+/);
    const instruction = parseInstruction(keyword.toUpperCase(), rest.join(" "));
    if (instruction.keyword === "FROM") {
      const as = instruction.words.findIndex((word) => word.toUpperCase() === "AS");
      stages.push({
        name: as === -1 ? undefined : instruction.words[as + 1],
        workdir: "/",
        instructions: [],
      });
      continue;
    }
    const stage = stages.at(-1);
    if (stage === undefined) continue; // ARG before the first FROM
    if (instruction.keyword === "WORKDIR") stage.workdir = instruction.shell;
    stage.instructions.push(instruction);
  }
  return stages;
}

function parseInstruction(keyword: string, text: string): DockerInstruction {
  const flags: string[] = [];
  let rest = text;
  for (let flag = /^(--\S+)\s+/.exec(rest); flag; flag = /^(--\S+)\s+/.exec(rest)) {
    flags.push(flag[1] as string);
    rest = rest.slice(flag[0].length);
  }
  // HEALTHCHECK's probe is a CMD of its own: `HEALTHCHECK --interval=30s CMD ["node", …]`.
  const probe = /^CMD\s+(\[.*)$/.exec(rest);
  if (probe)
    return { keyword, flags, words: ["CMD", ...(JSON.parse(probe[1] as string) as string[])], shell: rest };
  const words = rest.startsWith("[") ? (JSON.parse(rest) as string[]) : rest.split(/\s+/);
  return { keyword, flags, words, shell: rest };
}

/** `KEY=value KEY2=value2` of every ENV line, in order. */
export function stageEnv(stage: DockerStage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, words } of stage.instructions) {
    if (keyword !== "ENV") continue;
    for (const pair of words) {
      const [key, ...value] = pair.split("=");
      if (key) env[key] = value.join("=");
    }
  }
  return env;
}

export async function readDockerfile(repoRoot: string): Promise<DockerStage[]> {
  return parseDockerfile(await readFile(join(repoRoot, "Dockerfile"), "utf8"));
}

/**
 * Does in `dir` what the image's last stage does in its WORKDIR, with this repository (built) standing for
 * both the build context and the build stage: every COPY, and every RUN that runs npm or node (the others
 * set up the image itself: folders, owners). What `npm start` finds in `dir` afterwards is what the image holds.
 */
export async function replayRuntimeStage(
  stages: DockerStage[],
  repoRoot: string,
  dir: string,
): Promise<void> {
  const runtime = stages.at(-1);
  if (runtime === undefined) throw new Error("the Dockerfile has no stage");
  const env = { ...process.env, ...stageEnv(runtime) };
  for (const instruction of runtime.instructions) {
    if (instruction.keyword === "COPY") await replayCopy(instruction, stages, repoRoot, dir);
    if (instruction.keyword === "RUN" && /^(npm|node) /.test(instruction.shell)) {
      await promisify(execFile)("sh", ["-c", instruction.shell], { cwd: dir, env, maxBuffer: 1 << 24 });
    }
  }
}

async function replayCopy(
  { flags, words }: DockerInstruction,
  stages: DockerStage[],
  repoRoot: string,
  dir: string,
): Promise<void> {
  const from = flags.find((flag) => flag.startsWith("--from="))?.slice("--from=".length);
  // A path in the build stage is a path in the repository, relative to the stage's WORKDIR.
  const fromDir = from === undefined ? "/" : stages.find((stage) => stage.name === from)?.workdir;
  if (fromDir === undefined) throw new Error(`COPY --from=${from}: no such stage`);
  const sources = words.slice(0, -1);
  const target = words.at(-1) as string;
  for (const source of sources) {
    const inRepo = isAbsolute(source) ? relative(fromDir, source) : source;
    const name = inRepo.split("/").at(-1) as string;
    const destination = target.endsWith("/") ? join(dir, target, name) : join(dir, target);
    await cp(join(repoRoot, inRepo), destination, { recursive: true });
  }
}
