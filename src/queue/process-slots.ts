/** What the slots steer of a BullMQ Worker: how many jobs it may hold at once (BullMQ's floor is 1). */
export interface SlotMember {
  concurrency: number;
}

/**
 * WORKER_CONCURRENCY for a worker process as a whole, shared by its Workers (one per platform queue). Two Workers
 * each at full concurrency would run twice the jobs the process is sized for; a fixed split would leave one
 * queue's share idle while another has a backlog. So every Worker's `concurrency` follows what it runs plus
 * what the process has free, set again as each job starts and ends: a Worker asks Redis for another job only
 * while the process has room, and the busy queue may use every slot.
 *
 * BullMQ lets a Worker hold at least one job, so an idle Worker keeps waiting on its queue even when the process
 * is full, and a job it receives then waits here (active, its lock renewed) until a slot frees: the process runs
 * at most `limit` jobs and holds at most one more per other queue. A Worker whose loop already stopped fetching
 * notices a raised `concurrency` when its next job ends; until then the other Workers may use the slot.
 */
export class ProcessSlots {
  private running = 0;
  private readonly runningBy = new Map<SlotMember, number>();
  private readonly waiting: { member: SlotMember; start: () => void }[] = [];

  constructor(readonly limit: number) {}

  join(member: SlotMember): void {
    this.runningBy.set(member, 0);
    this.steer();
  }

  /**
   * Resolves once the job may run, with the function that frees its slot. An aborted job (cancelled, or the
   * worker told to stop twice) goes on at once without a slot: it only has to say so, which costs nothing.
   */
  take(member: SlotMember, signal?: AbortSignal): Promise<() => void> {
    if (this.running < this.limit) return Promise.resolve(this.start(member));
    if (signal?.aborted) return Promise.resolve(() => {});
    return new Promise((resolve) => {
      const entry = {
        member,
        start: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(this.start(member));
        },
      };
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(entry), 1);
        resolve(() => {});
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  private start(member: SlotMember): () => void {
    this.running++;
    this.runningBy.set(member, (this.runningBy.get(member) ?? 0) + 1);
    this.steer();
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      this.running--;
      this.runningBy.set(member, (this.runningBy.get(member) ?? 1) - 1);
      const next = this.waiting.shift();
      if (next) next.start();
      else this.steer();
    };
  }

  /** Each Worker may hold what it runs plus what the process has free. */
  private steer(): void {
    const free = this.limit - this.running;
    for (const [member, running] of this.runningBy) member.concurrency = Math.max(1, running + free);
  }
}
