// The machine-readable record of one review, kept in the `promptops/eval` check run's summary
// as an HTML comment (invisible on GitHub). Whatever reads the review back (the tag audit on
// merge) reads this record, never the Markdown table meant for people, whose layout may change.

import type { Conclusion, ReviewResult } from "../eval/model.js";

export const RECORD_VERSION = 1;

export interface PromptRecord {
  id: string;
  path: string;
  /** Mean scores, full precision; absent when that side was not scored. */
  base?: number;
  head?: number;
  headPassRate?: number;
}

export interface ReviewRecord {
  version: typeof RECORD_VERSION;
  baseRef: string;
  headRef: string;
  conclusion: Conclusion;
  prompts: PromptRecord[];
}

const OPEN = "<!-- promptops:record ";
const CLOSE = " -->";

export function reviewRecord(result: ReviewResult): ReviewRecord {
  return {
    version: RECORD_VERSION,
    baseRef: result.baseRef,
    headRef: result.headRef,
    conclusion: result.verdict.conclusion,
    prompts: result.comparisons.map((p) => ({
      id: p.promptId,
      path: p.path,
      ...(p.base?.meanScore !== undefined ? { base: p.base.meanScore } : {}),
      ...(p.head?.meanScore !== undefined ? { head: p.head.meanScore } : {}),
      ...(p.head?.passRate !== undefined ? { headPassRate: p.head.passRate } : {}),
    })),
  };
}

/**
 * The record as one HTML comment line. `<`, `>` and `&` are written as JSON escapes, so no
 * prompt id can end the comment early or inject markup.
 */
export function renderRecord(record: ReviewRecord): string {
  const json = JSON.stringify(record).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `${OPEN}${json}${CLOSE}`;
}

/** The record in a check run's summary, or undefined when there is none or it is not one we wrote. */
export function readRecord(text: string | null | undefined): ReviewRecord | undefined {
  if (!text) return undefined;
  const start = text.lastIndexOf(OPEN);
  if (start < 0) return undefined;
  const end = text.indexOf(CLOSE, start + OPEN.length);
  if (end < 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start + OPEN.length, end));
  } catch {
    return undefined;
  }
  return isRecord(value) ? value : undefined;
}

function isRecord(value: unknown): value is ReviewRecord {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Partial<ReviewRecord>;
  if (r.version !== RECORD_VERSION || typeof r.headRef !== "string" || !Array.isArray(r.prompts)) return false;
  const score = (s: unknown) => s === undefined || (typeof s === "number" && s >= 0 && s <= 1);
  return r.prompts.every((p) => typeof p?.id === "string" && score(p.base) && score(p.head));
}
