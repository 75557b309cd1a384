// A golden case: the variables to render a prompt with, and what a good answer looks like.

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
  file: string;
  cases: GoldenCase[];
}
