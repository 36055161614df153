/**
 * Edit distance between two names, for "did you mean" suggestions (CLI options, step ids) and look-alike
 * detection (typosquat-uses). Rolling rows, so memory is linear; with a `limit` it stops as soon as every
 * alignment is past it, so comparing against a long list of names stays cheap.
 */
export interface EditDistanceOptions {
  /** Stop early and return `limit + 1` once the distance is certainly above it (default: no limit). */
  limit?: number;
  /** Count a swap of two neighbouring characters as one edit (optimal string alignment); else two. */
  swaps?: boolean;
}

export function editDistance(a: string, b: string, { limit = Number.POSITIVE_INFINITY, swaps = false }: EditDistanceOptions = {}): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (swaps && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        distance = Math.min(distance, beforePrevious[j - 2] + 1);
      current[j] = distance;
      best = Math.min(best, distance);
    }
    if (best > limit) return limit + 1;
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length];
}
