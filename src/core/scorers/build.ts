// Normalizes evaluators as written (GitHub Models' `.prompt.yml` shapes and promptfoo-style
// assertions) into `Scorer`s. Anything it cannot understand becomes a diagnostic, never a
// silently skipped check.

import type { ValidateFunction } from "ajv";
import type { EvaluatorSpec } from "../prompts/model.js";
import { checkCost, checkLatency } from "./budget.js";
import { checkJson, compileSchema } from "./json.js";
import { BUILTIN_JUDGES, judgeBuiltin, judgeRubric, judgeWithChoices, type BuiltinJudge, type Choice } from "./judge.js";
import { checkLevenshtein, checkRougeL, checkSimilar } from "./similarity.js";
import { checkString, checkStringList, compileRegex, parseList, resolveValue, type ListCheck, type StringCheck } from "./string.js";
import type { ScoreContext, Scorer, ScorerDiagnostic, ScorerOutcome } from "./types.js";

export interface BuildScorersInput {
  /** The prompt's evaluators (apply to every case). */
  evaluators: EvaluatorSpec[];
  /** The case's own promptfoo-style assertions (`GoldenCase.assert`). */
  caseAsserts?: Record<string, unknown>[];
}

export interface BuiltScorers {
  scorers: Scorer[];
  diagnostics: ScorerDiagnostic[];
}

/** GitHub's string evaluator keys, in the order `gh models eval` tries them. */
const GITHUB_STRING_KEYS = [
  ["equals", "equals"],
  ["contains", "contains"],
  ["startsWith", "starts-with"],
  ["endsWith", "ends-with"],
] as const satisfies readonly (readonly [string, StringCheck])[];

const STRING_ASSERTIONS = new Set<string>(["equals", "contains", "icontains", "starts-with", "ends-with", "regex"]);
const LIST_ASSERTIONS = new Set<string>(["contains-any", "contains-all", "icontains-any", "icontains-all"]);

export const ASSERTION_TYPES: readonly string[] = [
  ...STRING_ASSERTIONS,
  ...LIST_ASSERTIONS,
  "is-json",
  "json-schema",
  "levenshtein",
  "rouge-l",
  "similar",
  "llm-rubric",
  "cost",
  "latency",
];

export function buildScorers(input: BuildScorersInput): BuiltScorers {
  const scorers: Scorer[] = [];
  const diagnostics: ScorerDiagnostic[] = [];
  for (const evaluator of input.evaluators) {
    const spec = isRecord(evaluator.spec) ? evaluator.spec : {};
    const name = evaluator.name || (typeof spec.name === "string" ? spec.name : "") || describeType(spec);
    const report = (message: string) => diagnostics.push({ message, evaluator: name });
    const scorer = fromEvaluator(name, spec, report);
    if (scorer) scorers.push(scorer);
  }
  for (const assertion of input.caseAsserts ?? []) {
    const raw = isRecord(assertion) ? assertion : {};
    const name = (typeof raw.metric === "string" && raw.metric) || describeType(raw);
    const report = (message: string) => diagnostics.push({ message, evaluator: name });
    const scorer = fromAssertion(name, raw, report);
    if (scorer) scorers.push(scorer);
  }
  return { scorers, diagnostics };
}

type Report = (message: string) => void;

function fromEvaluator(name: string, spec: Record<string, unknown>, report: Report): Scorer | undefined {
  if (spec.string !== undefined) return fromGitHubString(name, spec.string, readWeight(spec, report), report);
  if (spec.llm !== undefined) return fromGitHubLlm(name, spec.llm, readWeight(spec, report), report);
  if (spec.uses !== undefined) return fromGitHubUses(name, spec.uses, readWeight(spec, report), report);
  if (spec.type !== undefined) return fromAssertion(name, spec, report);
  report(`evaluator "${name}" has none of \`string\`, \`llm\`, \`uses\` or \`type\`; it was not run`);
  return undefined;
}

function fromGitHubString(name: string, raw: unknown, weight: number, report: Report): Scorer | undefined {
  if (!isRecord(raw)) {
    report(`\`string\` must be a mapping with one of equals, contains, startsWith, endsWith`);
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (!GITHUB_STRING_KEYS.some(([k]) => k === key)) report(`unknown key \`string.${key}\` (expected equals, contains, startsWith or endsWith)`);
  }
  // gh treats an empty string as "not set"; so do we.
  const present = GITHUB_STRING_KEYS.filter(([key]) => raw[key] !== undefined && raw[key] !== null && raw[key] !== "");
  if (present.length === 0) {
    report(`\`string\` has no equals, contains, startsWith or endsWith value; it was not run`);
    return undefined;
  }
  if (present.length > 1) {
    report(`\`string\` sets ${present.map(([k]) => k).join(" and ")}; only \`${present[0][0]}\` is checked, as in gh models eval`);
  }
  const [key, check] = present[0];
  const value = raw[key];
  if (!isScalar(value)) {
    report(`\`string.${key}\` must be text`);
    return undefined;
  }
  // gh compares equals exactly and the other three case-insensitively.
  const options = { check, value: String(value), ignoreCase: check !== "equals" };
  return { name, kind: `string.${key}`, weight, score: async (ctx) => checkString(options, ctx) };
}

function fromGitHubLlm(name: string, raw: unknown, weight: number, report: Report): Scorer | undefined {
  if (!isRecord(raw)) {
    report("`llm` must be a mapping with modelId, prompt and choices");
    return undefined;
  }
  if (typeof raw.prompt !== "string" || raw.prompt.trim() === "") {
    report("`llm.prompt` is missing; the judge cannot be asked anything");
    return undefined;
  }
  if (raw.modelId !== undefined && typeof raw.modelId !== "string") report("`llm.modelId` must be text; the configured judge is used");
  if (raw.systemPrompt !== undefined && typeof raw.systemPrompt !== "string") report("`llm.systemPrompt` must be text; it was ignored");
  if (!Array.isArray(raw.choices) || raw.choices.length === 0) {
    report("`llm.choices` must list at least one {choice, score}");
    return undefined;
  }
  const choices: Choice[] = [];
  for (const [i, entry] of raw.choices.entries()) {
    if (!isRecord(entry) || !isScalar(entry.choice) || String(entry.choice).trim() === "" || typeof entry.score !== "number" || !Number.isFinite(entry.score)) {
      report(`\`llm.choices[${i}]\` must be {choice: text, score: number}; it was ignored`);
      continue;
    }
    if (entry.score < 0 || entry.score > 1) report(`\`llm.choices[${i}].score\` ${entry.score} is outside 0..1; it is clamped`);
    choices.push({ choice: String(entry.choice), score: entry.score });
  }
  if (choices.length === 0) return undefined;
  const spec = {
    model: typeof raw.modelId === "string" ? raw.modelId : undefined,
    prompt: raw.prompt,
    systemPrompt: typeof raw.systemPrompt === "string" ? raw.systemPrompt : undefined,
    choices,
  };
  return { name, kind: "llm", weight, score: (ctx) => judgeWithChoices(spec, ctx) };
}

function fromGitHubUses(name: string, uses: unknown, weight: number, report: Report): Scorer | undefined {
  const builtin = typeof uses === "string" && uses.startsWith("github/") ? uses.slice("github/".length) : undefined;
  if (!builtin || !(BUILTIN_JUDGES as readonly string[]).includes(builtin)) {
    report(`unknown evaluator \`uses: ${String(uses)}\` (known: ${BUILTIN_JUDGES.map((b) => `github/${b}`).join(", ")})`);
    return undefined;
  }
  return { name, kind: `github/${builtin}`, weight, score: (ctx) => judgeBuiltin(builtin as BuiltinJudge, ctx) };
}

function fromAssertion(name: string, raw: Record<string, unknown>, report: Report): Scorer | undefined {
  if (typeof raw.type !== "string" || raw.type === "") {
    report("an assertion needs a `type`");
    return undefined;
  }
  const negated = raw.type.startsWith("not-");
  const type = negated ? raw.type.slice(4) : raw.type;
  const weight = readWeight(raw, report);
  const threshold = readThreshold(raw, report);
  if (threshold === null) return undefined;
  const run = assertionCheck(type, raw, threshold, report);
  if (run === "unknown") {
    report(`unknown assertion type \`${raw.type}\` (known: ${ASSERTION_TYPES.join(", ")}, each also as not-<type>)`);
    return undefined;
  }
  if (!run) return undefined;
  const score = negated ? negate(run) : run;
  return { name, kind: raw.type, weight, score };
}

type Check = (ctx: ScoreContext) => Promise<ScorerOutcome>;

function assertionCheck(type: string, raw: Record<string, unknown>, threshold: number | undefined, report: Report): Check | undefined | "unknown" {
  const value = raw.value;
  if (STRING_ASSERTIONS.has(type)) {
    const text = optionalText(value, type, report);
    if (text === null) return undefined;
    if (type === "regex" && text !== undefined && !text.includes("{{") && !compileRegex(text)) {
      report(`invalid regular expression ${JSON.stringify(text)}`);
      return undefined;
    }
    const options = { check: type as StringCheck, value: text };
    return async (ctx) => checkString(options, ctx);
  }
  if (LIST_ASSERTIONS.has(type)) {
    const items = Array.isArray(value) && value.every(isScalar) ? parseList(value) : isScalar(value) ? parseList(String(value)) : undefined;
    if (!items || items.length === 0) {
      report(`\`${type}\` needs a list of texts as its \`value\` (a YAML list or "a, b, c")`);
      return undefined;
    }
    return async (ctx) => checkStringList(type as ListCheck, items, ctx);
  }
  switch (type) {
    case "is-json":
    case "json-schema": {
      let validate: ValidateFunction | undefined;
      if (value !== undefined || type === "json-schema") {
        if (value === undefined) {
          report("`json-schema` needs the schema as its `value`");
          return undefined;
        }
        const compiled = compileSchema(value);
        if ("error" in compiled) {
          report(compiled.error);
          return undefined;
        }
        validate = compiled.validate;
      }
      return async (ctx) => checkJson(ctx.output, validate);
    }
    case "similar":
    case "levenshtein":
    case "rouge-l": {
      // promptfoo's `similar` takes a list too: the closest reference counts.
      const list = type === "similar" && Array.isArray(value) && value.length > 0 && value.every(isScalar) ? value.map(String) : undefined;
      const text = list ? undefined : optionalText(value, type, report);
      if (text === null) return undefined;
      if (type !== "levenshtein" && threshold !== undefined && threshold > 1) {
        report(`\`threshold\` ${threshold} of ${type} is above 1; it can never pass`);
      }
      if (type === "levenshtein" && threshold !== undefined && !Number.isInteger(threshold)) {
        report(`\`threshold\` of levenshtein is the largest edit distance allowed (as in promptfoo), not a similarity; ${threshold} allows ${Math.floor(threshold)} edits`);
      }
      return async (ctx) => {
        if (list) return checkSimilar(ctx.output, list.map((item) => resolveValue(item, ctx) ?? item), ctx.embed, threshold);
        const expected = resolveValue(text, ctx);
        if (expected === undefined) return noExpected();
        if (type === "levenshtein") return checkLevenshtein(ctx.output, expected, threshold);
        if (type === "rouge-l") return checkRougeL(ctx.output, expected, threshold);
        return checkSimilar(ctx.output, expected, ctx.embed, threshold);
      };
    }
    case "llm-rubric": {
      if (typeof value !== "string" || value.trim() === "") {
        report("`llm-rubric` needs the rubric text as its `value`");
        return undefined;
      }
      const model = typeof raw.provider === "string" ? raw.provider : undefined;
      return (ctx) => judgeRubric(value, ctx, { model, threshold });
    }
    case "cost":
    case "latency": {
      if (threshold === undefined) {
        report(`\`${type}\` needs a \`threshold\` (${type === "cost" ? "USD" : "milliseconds"})`);
        return undefined;
      }
      return async (ctx) => (type === "cost" ? checkCost(ctx.costUsd, threshold) : checkLatency(ctx.latencyMs, threshold));
    }
    default:
      return "unknown";
  }
}

/** `not-<type>`: the opposite pass and score; a scorer that could not run stays an error. */
function negate(check: Check): Check {
  return async (ctx) => {
    const outcome = await check(ctx);
    if (outcome.error) return outcome;
    return { score: 1 - outcome.score, pass: !outcome.pass, reason: `expected the opposite: ${outcome.reason}` };
  };
}

function noExpected(): ScorerOutcome {
  return { score: 0, pass: false, reason: "no expected value: the assertion has no value and the case no `expected`" };
}

/** Text value, undefined when absent (the case's `expected` is used), null when unusable. */
function optionalText(value: unknown, type: string, report: Report): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (isScalar(value)) return String(value);
  report(`\`${type}\` needs a text \`value\``);
  return null;
}

function readWeight(raw: Record<string, unknown>, report: Report): number {
  if (raw.weight === undefined) return 1;
  if (typeof raw.weight === "number" && Number.isFinite(raw.weight) && raw.weight >= 0) return raw.weight;
  report(`\`weight\` must be a number >= 0; 1 is used`);
  return 1;
}

/** The threshold, undefined when absent, null when unusable (the scorer is dropped with a diagnostic). */
function readThreshold(raw: Record<string, unknown>, report: Report): number | undefined | null {
  if (raw.threshold === undefined) return undefined;
  if (typeof raw.threshold === "number" && Number.isFinite(raw.threshold) && raw.threshold >= 0) return raw.threshold;
  report(`\`threshold\` must be a number >= 0`);
  return null;
}

function describeType(raw: Record<string, unknown>): string {
  if (typeof raw.type === "string") return raw.type;
  if (typeof raw.uses === "string") return raw.uses;
  return "evaluator";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}
