// Fills `{{name}}` slots in evaluator values and judge prompts from the case's row.
// Deliberately GitHub Models' semantics (plain substitution, unknown slots left as
// written) rather than Handlebars, so `.prompt.yml` evaluators behave as in `gh models eval`.

import type { ScoreContext } from "./types.js";

const SLOT = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

export function fillTemplate(template: string, data: Record<string, unknown>): string {
  return template.replace(SLOT, (whole, key: string) => {
    if (!Object.prototype.hasOwnProperty.call(data, key)) return whole;
    return stringifyValue(data[key]);
  });
}

export function stringifyValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** The row as GitHub sees it: the variables plus `expected`. */
export function rowData(ctx: Pick<ScoreContext, "vars" | "expected">): Record<string, unknown> {
  const data: Record<string, unknown> = { ...ctx.vars };
  if (ctx.expected !== undefined) data.expected = ctx.expected;
  return data;
}

/** The row plus the output, under GitHub's name (`completion`) and promptfoo's (`output`). */
export function judgeData(ctx: Pick<ScoreContext, "vars" | "expected" | "output">): Record<string, unknown> {
  return { ...rowData(ctx), completion: ctx.output, output: ctx.output };
}
