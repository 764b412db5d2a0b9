import { randomBytes } from "node:crypto";

/**
 * Run ids double as BullMQ job ids and folder names: sortable by time, unique without coordination, and
 * free of `:` (BullMQ rejects it in custom ids) and of anything a file system dislikes.
 */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${stamp}-${randomBytes(4).toString("hex")}`;
}

const RUN_ID = /^\d{8}-\d{6}-[0-9a-f]{8}$/;

export function isRunId(value: string): boolean {
  return RUN_ID.test(value);
}

/** When a run started, read back from its id (`20261121-093000-ab12cd34`: UTC, as `newRunId` wrote it). */
export function runStartedAt(runId: string): Date {
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d\d)(\d\d)-(\d\d)(\d\d)(\d\d)-/.exec(runId) ?? [];
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
}
