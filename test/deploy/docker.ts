import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { REPO_ROOT } from "../process/scripts.js";

/**
 * The Docker tools the image test needs, found on this machine: a daemon that answers, a client that builds with
 * BuildKit, and Compose (v2's `docker compose` or v1's `docker-compose`). What is missing is one sentence, for
 * the test's skip notice.
 */
export interface DockerTools {
  /** A client whose `build` is BuildKit: with the buildx plugin, or one older than 23 with BuildKit built in. */
  docker: string;
  /** `docker compose` or `docker-compose`. */
  compose: string[];
}

const run = promisify(execFile);

/** Runs a command to its end; fails with its output when it fails. */
export async function sh(
  command: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {},
): Promise<string> {
  const [program, ...args] = command as [string, ...string[]];
  const child = run(program, args, {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? process.env,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (options.input !== undefined) child.child.stdin?.end(options.input);
  try {
    return (await child).stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command.join(" ")} failed:\n${stdout ?? ""}${stderr ?? ""}`);
  }
}

const answers = async (command: string[], env: NodeJS.ProcessEnv = process.env) => {
  try {
    return (await sh(command, { env })).trim();
  } catch {
    return undefined;
  }
};

/**
 * A client that builds with BuildKit. Docker 23 and later build through the buildx plugin and refuse
 * DOCKER_BUILDKIT=1 without it; 20.10 (Debian's docker.io) has BuildKit built in. The first of `docker` on PATH
 * and Debian's own client that can.
 */
async function buildKitClient(): Promise<string | undefined> {
  for (const client of ["docker", "/usr/bin/docker"]) {
    if ((await answers([client, "buildx", "version"])) !== undefined) return client;
    const version = await answers([client, "version", "--format", "{{.Client.Version}}"]);
    if (version !== undefined && Number(version.split(".")[0]) < 23) return client;
  }
  return undefined;
}

/** The tools, or why the image cannot be built and run here. */
export async function findDockerTools(): Promise<DockerTools | { missing: string }> {
  const server = await answers(["docker", "version", "--format", "{{.Server.Version}}"]);
  if (server === undefined)
    return { missing: "no Docker daemon answers (docker version); .ci/run starts Debian's dockerd as root" };
  const docker = await buildKitClient();
  if (docker === undefined)
    return { missing: "no Docker client builds with BuildKit (no buildx plugin, no client older than 23)" };
  let compose: string[] | undefined;
  for (const candidate of [[docker, "compose"], ["docker-compose"]])
    if ((await answers([...candidate, "version"])) !== undefined) {
      compose = candidate;
      break;
    }
  if (compose === undefined) return { missing: "neither `docker compose` nor `docker-compose` is installed" };
  if (process.getuid?.() !== 0 || (await answers(["sh", "-c", "command -v debootstrap"])) === undefined)
    return { missing: "scripts/base-image.sh needs root and debootstrap to make the base image" };
  return { docker, compose };
}

/**
 * `docker build` with BuildKit, tagging `tag`; the image the tag named before, when the build replaced it, is
 * removed (unless a container still uses it), so that a rebuild after each change leaves no pile of old images.
 */
export async function buildImage(docker: string, tag: string, args: string[]): Promise<void> {
  const imageId = () => answers([docker, "image", "inspect", "--format", "{{.Id}}", tag]);
  const previous = await imageId();
  await sh([docker, "build", "--network", "host", "-t", tag, ...args], {
    env: { ...process.env, DOCKER_BUILDKIT: "1" },
  });
  if (previous !== undefined && previous !== (await imageId()))
    await answers([docker, "image", "rm", previous]);
}
