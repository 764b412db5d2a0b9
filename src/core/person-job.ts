/** One of a person's jobs as `/usage` lists it. */
export interface PersonJob {
  runId: string;
  state: "running" | "queued";
  /** Queued jobs: the jobs waiting ahead of it (0: next in line), as the queued status counts them. */
  position?: number;
}
