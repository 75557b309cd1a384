// A golden case: the variables to render a prompt with, and what a good answer looks like.
// A golden set holds its cases as objects while it is small; a large one keeps them packed as
// text (one JSON line per case, off the JavaScript heap) and parses them a slice at a time, so
// a run holds one stage of cases whatever the set's size.

export interface GoldenCase {
  /** Stable across edits: the row's `id`, else a hash of its variables. */
  id: string;
  vars: Record<string, unknown>;
  expected?: string;
  /** promptfoo-style assertions specific to this case (`{type, value, threshold?, weight?}`). */
  assert?: Record<string, unknown>[];
  /** Where the row sits: the golden file (or the prompt file for inline testData) and its line. */
  source: { file: string; line: number };
}

export interface GoldenSet {
  /** The file the cases came from, or the prompt file for inline testData. */
  readonly file: string;
  /** How many cases. */
  readonly size: number;
  /** Cases `start` (0) to `end` (the size, excluded), in file order. A packed set parses them on each call. */
  slice(start?: number, end?: number): GoldenCase[];
  /** Every case id, in file order. */
  ids(): string[];
}

/** A set of cases already in memory (inline testData, small files, tests). */
export function goldenSet(file: string, cases: readonly GoldenCase[]): GoldenSet {
  const list = [...cases];
  return {
    file,
    size: list.length,
    slice: (start = 0, end = list.length) => list.slice(start, end),
    ids: () => list.map((c) => c.id),
  };
}

/** Cases at a time when a whole set is walked (lint, lookups): one window is parsed at once. */
export const CASE_WINDOW = 2500;

/** Every case of a set in order, a window at a time, so a packed set is never parsed whole. */
export function* eachCase(golden: GoldenSet): Generator<GoldenCase> {
  for (let start = 0; start < golden.size; start += CASE_WINDOW) yield* golden.slice(start, start + CASE_WINDOW);
}

/**
 * The cases of `base` whose ids `head` no longer has, in base order. Sets with the same ids in
 * the same order (a golden set the change left alone) are told apart window by window, without
 * holding every id of a large set.
 */
export function removedCases(base: GoldenSet, head: GoldenSet | undefined): GoldenCase[] {
  if (!head) return base.slice();
  if (base.size <= head.size && sameLeadingIds(base, head)) return [];
  const headIds = new Set(head.ids());
  const removed: GoldenCase[] = [];
  for (const c of eachCase(base)) if (!headIds.has(c.id)) removed.push(c);
  return removed;
}

/** Whether every id of `base` is the id at the same place in `head`. */
function sameLeadingIds(base: GoldenSet, head: GoldenSet): boolean {
  for (let start = 0; start < base.size; start += CASE_WINDOW) {
    const ours = base.slice(start, start + CASE_WINDOW);
    const theirs = head.slice(start, start + CASE_WINDOW);
    if (ours.some((c, i) => c.id !== theirs[i]?.id)) return false;
  }
  return true;
}
