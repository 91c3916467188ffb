/** Returns the Levenshtein edit distance between two strings (insert, delete, substitute). */
export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * Returns the known key closest to `key` (case slips and truncations count as close), or
 * undefined when none is close enough to be a plausible typo (more than a third of the longer
 * word would have to change).
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of known) {
    const a = key.toLowerCase();
    const b = candidate.toLowerCase();
    // Case slips ("ticksize") and truncations ("entry" for "entryPrice") are the commonest
    // slips, yet far in edit distance; rank them as near matches.
    const score =
      a === b ? 0.5 : a.length >= 3 && (b.startsWith(a) || a.startsWith(b)) ? 1 : levenshtein(a, b);
    if (score < bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.ceil(Math.max(key.length, best.length) / 3));
  return bestScore <= limit ? best : undefined;
}
