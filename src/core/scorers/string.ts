// Deterministic text checks: equality, substrings, prefixes, suffixes and regular expressions.
// Each gives 1 or 0; the expected text may reference the case's variables and `expected`.

import { parse as parseCsv } from "csv-parse/sync";
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

export type ListCheck = "contains-any" | "contains-all" | "icontains-any" | "icontains-all";

/**
 * promptfoo's list values: a YAML list, or one string of comma-separated items (quotes allow a
 * comma inside an item). Undefined when the string is not a valid list.
 */
export function parseList(value: string | readonly unknown[]): string[] | undefined {
  if (Array.isArray(value)) return value.map((v) => String(v));
  try {
    const rows = parseCsv(value as string, { trim: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
    return rows.flat().filter((item) => item !== "");
  } catch {
    return undefined;
  }
}

/** contains-any / contains-all (exact case) and their case-insensitive `i` forms; items are templated from the row. */
export function checkStringList(check: ListCheck, items: readonly string[], ctx: ScoreContext): ScorerOutcome {
  const values = items.map((item) => fillTemplate(item, rowData(ctx)));
  const fold = (text: string) => (check.startsWith("i") ? text.toLowerCase() : text);
  const output = fold(ctx.output);
  const found = values.filter((v) => output.includes(fold(v)));
  const all = check.endsWith("-all");
  const pass = all ? found.length === values.length : found.length > 0;
  const how = check.startsWith("i") ? " (any case)" : "";
  if (all) {
    const missing = values.filter((v) => !found.includes(v));
    return { score: pass ? 1 : 0, pass, reason: pass ? `output contains all of${how} ${quote(values.join(", "))}` : `output does not contain${how} ${missing.map((m) => quote(m)).join(", ")}` };
  }
  return { score: pass ? 1 : 0, pass, reason: pass ? `output contains${how} ${quote(found[0])}` : `output contains none of${how} ${quote(values.join(", "))}` };
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
