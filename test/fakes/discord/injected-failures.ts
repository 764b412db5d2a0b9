import { DiscordHttpError } from "./http.js";
import type { FakeWorld } from "./state.js";

/** The first injected failure (FIFO) for this request, counted down; `undefined` lets the route answer. */
export function takeInjectedFailure(world: FakeWorld, route: string): DiscordHttpError | undefined {
  const failure = world.failures.find((candidate) => candidate.match?.test(route) ?? true);
  if (failure === undefined) return undefined;
  failure.remaining -= 1;
  if (failure.remaining === 0) world.failures.splice(world.failures.indexOf(failure), 1);
  return new DiscordHttpError(failure.status, failure.code, failure.message);
}
