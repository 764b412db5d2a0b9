/** Levenshtein distance: the number of single-letter edits between two names. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The name among `names` that `typed` most likely misspells (at most two edits away, the nearest winning; a
 * name that shares no letter with it is no typo of it, so `-x` is not taken for `--n`), for "did you mean".
 * Every parser of `/imagine` options (Slack's flags, the CLI's) asks this one function.
 */
export function didYouMean(typed: string, names: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(typed.toLowerCase(), name.toLowerCase());
    const typo = distance <= 2 && distance < Math.max(typed.length, name.length);
    if (typo && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}
