// Plain text measures shared by the scorers and the "did you mean" hints: kept apart from the
// scorers so that config and prompt-file loading (and the runtime loader) do not pull them in.

export function levenshteinDistance(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  if (x.length < y.length) return levenshteinDistance(b, a);
  let previous = Uint32Array.from({ length: y.length + 1 }, (_, j) => j);
  let current = new Uint32Array(y.length + 1);
  for (let i = 1; i <= x.length; i++) {
    current[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const substitution = previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    [previous, current] = [current, previous];
  }
  return previous[y.length];
}
