/**
 * Acknowledgements before intake work. A platform gives each interaction a few seconds to be acknowledged
 * (Discord 3 s); the intake after it (slot and budget scripts, the status edit, the job's add) costs the event
 * loop several milliseconds an interaction. In a burst, an interaction's intake run as soon as its own deferral
 * is answered would delay the deferral of every interaction that came after it: with a busy host, past the
 * platform's window ("The application did not respond"). So an interaction's intake first waits for the
 * acknowledgement of every interaction that had arrived by the time its own was answered: a burst is
 * acknowledged first, then taken in. Later arrivals do not hold it back, so a steady stream never starves it.
 */

/** Longer than any acknowledgement a platform still accepts: a handler stuck before its own frees the rest. */
const MAX_WAIT_MS = 3_000;

interface Waiter {
  /** Arrivals numbered below this must be acknowledged first. */
  below: number;
  resolve: () => void;
}

/** The interactions of one process, in order of arrival, keyed by the platform's own interaction objects. */
export class AcksFirst {
  private readonly order = new WeakMap<object, number>();
  /** Arrival numbers not acknowledged yet. */
  private readonly pending = new Set<number>();
  private arrived = 0;
  /** Every arrival below this is acknowledged. */
  private lowestPending = 0;
  /** In the order they were added, so with `below` never decreasing: only the front can be due. */
  private readonly waiters: Waiter[] = [];

  constructor(private readonly maxWaitMs = MAX_WAIT_MS) {}

  /** As an interaction arrives, before any of its work. */
  arrive(interaction: object): void {
    const number = this.arrived++;
    this.order.set(interaction, number);
    this.pending.add(number);
  }

  /** Its acknowledgement was answered, or it was handled without one; either may come more than once. */
  acknowledged(interaction: object): void {
    const number = this.order.get(interaction);
    if (number === undefined || !this.pending.delete(number)) return;
    while (this.lowestPending < this.arrived && !this.pending.has(this.lowestPending)) this.lowestPending++;
    while (this.waiters[0] !== undefined && this.waiters[0].below <= this.lowestPending)
      this.waiters.shift()?.resolve();
  }

  /**
   * Right after the interaction's own acknowledgement: resolves once every interaction that arrived before now
   * is acknowledged too, or after `maxWaitMs`. `waiting` hears how many it waits for, when any.
   */
  async afterEarlier(interaction: object, waiting?: (earlier: number) => void): Promise<void> {
    this.acknowledged(interaction);
    if (this.pending.size === 0) return;
    waiting?.(this.pending.size);
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.waiters.push({ below: this.arrived, resolve });
      timer = setTimeout(resolve, this.maxWaitMs);
      timer.unref();
    });
    clearTimeout(timer);
  }

  /** Whether interactions other than this one are waiting for their acknowledgement: a burst. */
  othersWaiting(interaction: object): boolean {
    const number = this.order.get(interaction);
    return this.pending.size > (number !== undefined && this.pending.has(number) ? 1 : 0);
  }

  /** Interactions not acknowledged yet. */
  get unacknowledged(): number {
    return this.pending.size;
  }
}
