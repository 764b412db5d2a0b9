/**
 * Paid results that storage would not take, kept in this worker's memory so a retry of their delivery shows
 * them instead of paying OpenAI again. Memory is not storage: a few, for an hour, and gone with the process
 * (a retry in another worker then generates again; its metadata says so).
 */
const MAX_KEPT = 16;
const KEPT_FOR_MS = 60 * 60 * 1000;

export class UnstoredResults<T> {
  private readonly kept = new Map<string, { value: T; until: number }>();

  keep(runId: string, value: T, now = Date.now()): void {
    this.kept.delete(runId);
    this.kept.set(runId, { value, until: now + KEPT_FOR_MS });
    for (const [id, entry] of this.kept) {
      if (this.kept.size <= MAX_KEPT && entry.until > now) break;
      this.kept.delete(id);
    }
  }

  find(runId: string, now = Date.now()): T | undefined {
    const entry = this.kept.get(runId);
    if (entry === undefined || entry.until <= now) return undefined;
    return entry.value;
  }

  forget(runId: string): void {
    this.kept.delete(runId);
  }
}
