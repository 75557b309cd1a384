// Deterministic text checks: equality, substrings, prefixes, suffixes and regular expressions.
// Each gives 1 or 0; the expected text may reference the case's variables and `expected`.

import { fillTemplate, rowData } from "./template.js";
import type { ScoreContext, ScorerOutcome } from "./types.js";

export type StringCheck = "equals" | "contains" | "icontains" | "starts-with" | "ends-with" | "regex";

export interface StringCheckOptions {
  check: StringCheck;
  /** The expected text as written; undefined means "the case's `expected`". */
  value?: string;
  /** starts-with / ends-with / contains compare case-insensitively (GitHub's string evaluator does). */
  ignoreCase?: boolean;
}

/** The expected text for this case, or undefined when the case gives none. */
export function resolveValue(value: string | undefined, ctx: ScoreContext): string | undefined {
  if (value === undefined) return ctx.expected;
  return fillTemplate(value, rowData(ctx));
}

export function checkString(options: StringCheckOptions, ctx: ScoreContext): ScorerOutcome {
  const expected = resolveValue(options.value, ctx);
  if (expected === undefined) {
    return { score: 0, pass: false, reason: `no expected value: the evaluator has no value and the case no \`expected\`` };
  }
  const pass = test(options, ctx.output, expected);
  if (pass === "invalid-regex") {
    return { score: 0, pass: false, reason: `invalid regular expression ${quote(expected)}` };
  }
  return { score: pass ? 1 : 0, pass, reason: describe(options, expected, pass) };
}

function test(options: StringCheckOptions, output: string, expected: string): boolean | "invalid-regex" {
  const fold = (s: string) => (options.ignoreCase ? s.toLowerCase() : s);
  switch (options.check) {
    // Models often end with a newline; a trailing space is never what an exact match is about.
    case "equals":
      return fold(output.trim()) === fold(expected.trim());
    case "contains":
      return fold(output).includes(fold(expected));
    case "icontains":
      return output.toLowerCase().includes(expected.toLowerCase());
    // GitHub compares against the trimmed response, so leading/trailing whitespace never decides.
    case "starts-with":
      return fold(output.trim()).startsWith(fold(expected));
    case "ends-with":
      return fold(output.trim()).endsWith(fold(expected));
    case "regex": {
      const re = compileRegex(expected);
      return re ? re.test(output) : "invalid-regex";
    }
  }
}

/** `new RegExp(value)` as promptfoo does, or undefined when the pattern is invalid. */
export function compileRegex(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}

function describe(options: StringCheckOptions, expected: string, pass: boolean): string {
  const verb: Record<StringCheck, string> = {
    equals: "equal",
    contains: "contain",
    icontains: "contain (any case)",
    "starts-with": "start with",
    "ends-with": "end with",
    regex: "match",
  };
  const how = options.ignoreCase && options.check !== "icontains" ? " (any case)" : "";
  return `${pass ? "output does" : "output does not"} ${verb[options.check]}${how} ${quote(expected)}`;
}

export function quote(text: string, max = 80): string {
  const oneLine = text.replace(/\s+/g, " ");
  return JSON.stringify(oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine);
}
