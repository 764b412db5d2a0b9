import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { availableParallelism, release, totalmem } from "node:os";

/** "CPU model (n cores), RAM, OS, kernel, Node": the `machine` of results.json and BENCHMARKS.md. */
export function describeMachine(): string {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? "unknown CPU";
  const os = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readFileSync("/etc/os-release", "utf8"))?.[1] ?? "Linux";
  const ram = Math.round(totalmem() / 1024 ** 3);
  return `${model} (${availableParallelism()} cores), ${ram} GiB RAM, ${os}, kernel ${release()}, Node ${process.version}`;
}

/**
 * How fast the machine runs at the moment: a fixed piece of single-threaded work (SHA-256 over 256 MiB), in ms.
 * A shared virtual machine's speed drifts (the same code measured 11 and 15 ms of CPU per job ten minutes
 * apart); taken at the start and the end of a run, it tells which runs are comparable.
 */
export function calibrationMs(): number {
  const data = Buffer.alloc(1024 * 1024, 7);
  const started = performance.now();
  for (let round = 0; round < 256; round++) createHash("sha256").update(data).digest();
  return performance.now() - started;
}

/** Clock ticks per second of /proc/<pid>/stat's times (100 nearly everywhere; asked once). */
const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** CPU time (user + system, every thread) a process has used so far, in ms. */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which is in parentheses and may hold spaces: state is the first.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** The highest resident set size a process has reached (`VmHWM`), in MiB. */
export async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1] ?? Number.NaN) / 1024;
}
