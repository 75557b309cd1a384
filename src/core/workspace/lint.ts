// Lint: problems in prompts, partials and golden sets that a reviewer would otherwise find by
// hand, each a Diagnostic at file:line:col with a stable rule name.

import type { PromptOpsConfig } from "../config/model.js";
import { sortDiagnostics, type Diagnostic, type Severity } from "../diagnostics.js";
import { goldenCandidates } from "../golden/locate.js";
import { eachCase, removedCases as removedGoldenCases, type GoldenSet } from "../golden/model.js";
import { buildScorers } from "../scorers/index.js";
import { checkBump, versionProblem } from "../versions/bump.js";
import { idTagProblem } from "../versions/tags.js";
import type { Workspace } from "./workspace.js";
import type { Prompt } from "../prompts/model.js";
import { partialClosure } from "../prompts/render.js";
import { analyzeTemplate, promptTemplateRefs, type TemplateRef } from "../prompts/template.js";

export interface LintOptions {
  /** The base revision, for the rules that compare with it (version bump, removed golden cases). */
  base?: Workspace;
}

export interface LintContext {
  ws: Workspace;
  config: PromptOpsConfig;
  /** The same prompt on the base revision, when there is one. */
  base?: Prompt;
  /** That prompt's golden set on the base revision. */
  baseGolden?: GoldenSet;
}

/** Every problem in the workspace: what loading found plus every prompt's lint, sorted. */
export function lintWorkspace(ws: Workspace, config: PromptOpsConfig, options: LintOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [...ws.diagnostics];
  for (const prompt of ws.prompts.values()) {
    const base = options.base ? basePromptOf(prompt, options.base) : undefined;
    const baseGolden = base ? options.base!.golden.get(base.path) : undefined;
    out.push(...lintPrompt(prompt, { ws, config, ...(base && { base }), ...(baseGolden && { baseGolden }) }));
  }
  out.push(...duplicateIds([...ws.prompts.values()]));
  return sortDiagnostics(dedupe(out));
}

/** The base version of a prompt: same path, else (after a rename) the same id. */
function basePromptOf(prompt: Prompt, base: Workspace): Prompt | undefined {
  const samePath = base.prompts.get(prompt.path);
  if (samePath) return samePath;
  for (const p of base.prompts.values()) if (p.id === prompt.id) return p;
  return undefined;
}

/** The lint rules that concern one prompt (duplicate ids need the whole workspace). */
export function lintPrompt(prompt: Prompt, ctx: LintContext): Diagnostic[] {
  const { ws, config } = ctx;
  const out: Diagnostic[] = [];
  const at = (line: number | undefined, column: number, severity: Severity, rule: string, message: string) =>
    out.push({ file: prompt.path, line: line ?? 1, column, severity, message, rule });

  const refs = promptTemplateRefs(prompt);
  for (const e of refs.errors) at(e.line, e.column, "error", "template-syntax", e.message);
  for (const l of refs.literal ?? []) {
    at(l.line, 1, "notice", "template-literal", `message is not a Handlebars template (${l.reason}); it is rendered as \`gh models\` does: only exact {{name}} slots are filled`);
  }

  // Partials: missing ones and cycles, reported at the `{{> name}}` that leads to them.
  const partialTexts = new Map([...ws.partials].map(([name, p]) => [name, p.text]));
  const viaPartials: { ref: TemplateRef; names: string[] }[] = [];
  let partialsComplete = true;
  const reported = new Set<string>();
  for (const ref of refs.partials) {
    const text = partialTexts.get(ref.name);
    if (text === undefined) {
      partialsComplete = false;
      if (!reported.has(`missing:${ref.name}`)) {
        at(ref.line, ref.column, "error", "missing-partial", `partial "${ref.name}" not found${searchedIn(config)}`);
        reported.add(`missing:${ref.name}`);
      }
      continue;
    }
    const closure = partialClosure(`{{> ${JSON.stringify(ref.name)}}}`, partialTexts);
    viaPartials.push({ ref, names: closure.used });
    for (const name of closure.missing) {
      partialsComplete = false;
      if (reported.has(`missing:${name}`)) continue;
      reported.add(`missing:${name}`);
      at(ref.line, ref.column, "error", "missing-partial", `partial "${name}" (used by partial "${ref.name}") not found${searchedIn(config)}`);
    }
    if (closure.cycle && !reported.has("cycle")) {
      reported.add("cycle");
      at(ref.line, ref.column, "error", "partial-cycle", `partials include each other in a cycle: ${closure.cycle.join(" -> ")}`);
    }
  }

  // Variables the template reads, its own and those of the partials it pulls in.
  const used = new Map<string, TemplateRef>();
  for (const v of refs.variables) if (!used.has(v.name)) used.set(v.name, v);
  const usedInPartials = new Map<string, { ref: TemplateRef; partial: string }>();
  for (const { ref, names } of viaPartials) {
    for (const name of names) {
      for (const v of analyzeTemplate(ws.partials.get(name)!.text).variables) {
        if (!used.has(v.name) && !usedInPartials.has(v.name)) usedInPartials.set(v.name, { ref, partial: name });
      }
    }
  }

  // A prompt that declares no variables has them inferred from its template: nothing to compare.
  const declared = new Map(prompt.variables.map((v) => [v.name, v]));
  if (declared.size > 0) {
    for (const [name, ref] of used) {
      if (!declared.has(name)) at(ref.line, ref.column, "error", "undeclared-variable", `variable "${name}" is used but not declared`);
    }
    for (const [name, { ref, partial }] of usedInPartials) {
      if (!declared.has(name)) {
        at(ref.line, ref.column, "error", "undeclared-variable", `variable "${name}" (used by partial "${partial}") is not declared`);
      }
    }
    if (partialsComplete && refs.errors.length === 0) {
      for (const v of prompt.variables) {
        if (!used.has(v.name) && !usedInPartials.has(v.name)) {
          at(v.line, 1, "warning", "unused-variable", `variable "${v.name}" is declared but never used in the template`);
        }
      }
    }
  }

  // Golden set: the named file must exist; a prompt without any golden set cannot be evaluated.
  const golden = ws.golden.get(prompt.path);
  if (prompt.golden !== undefined && !ws.goldenPaths.has(prompt.path)) {
    const looked = goldenCandidates(prompt, config);
    at(prompt.positions.golden, 1, "error", "missing-golden", `golden set "${prompt.golden}" not found (looked for ${looked.join(", ")})`);
  } else if (!golden && ws.goldenPaths.has(prompt.path)) {
    // The golden file exists but could not be read: its own error, at its line, says why.
  } else if (!golden || golden.size === 0) {
    const why = golden ? `its golden set ${golden.file} has no cases` : "it has no golden set";
    at(1, 1, config.gates.requireGolden ? "error" : "warning", "missing-golden",
      `prompt "${prompt.id}" cannot be evaluated: ${why} (add testData, promptops.golden, or ${goldenCandidates({ path: prompt.path }, config)[0] ?? "a golden file"})`);
  }

  const goldenFile = ws.goldenPaths.get(prompt.path);
  // Only GitHub's testData is meant as a test set; a Prompty `sample` is the playground's input.
  if (goldenFile !== undefined && prompt.testData.length > 0 && prompt.format === "github") {
    at(prompt.positions.testData, 1, "notice", "golden-shadowed", `inline testData is not evaluated: the golden set ${goldenFile} is used instead`);
  }

  if (golden) {
    const needed = declared.size > 0
      ? prompt.variables.filter((v) => v.required !== false && v.default === undefined).map((v) => v.name)
      : [...used.keys(), ...usedInPartials.keys()];
    // gh-models fills `{{a.b}}` from a key written `a.b`, and the renderer offers it as a path too.
    const hasValue = (vars: Record<string, unknown>, name: string) =>
      vars[name] !== undefined || (prompt.format === "github" && Object.keys(vars).some((k) => k.startsWith(`${name}.`)));
    for (const c of eachCase(golden)) {
      const lacking = needed.filter((name) => !hasValue(c.vars, name));
      if (lacking.length === 0) continue;
      out.push({
        file: c.source.file,
        line: c.source.line,
        column: 1,
        severity: "error",
        message: `golden case "${c.id}" has no value for ${plural("variable", lacking)} ${lacking.map((n) => `"${n}"`).join(", ")} of ${prompt.path}`,
        rule: "golden-missing-variable",
      });
    }
  }

  // Evaluators as eval will build them: one that cannot be built (`uses: github/nonexistent`)
  // would never run, so it is an error now rather than a surprise in the first eval.
  for (const evaluator of prompt.evaluators) {
    const built = buildScorers({ evaluators: [evaluator] });
    const severity: Severity = built.scorers.length === 0 ? "error" : "warning";
    for (const d of built.diagnostics) at(evaluator.line, 1, severity, "evaluator", `evaluator "${d.evaluator}": ${d.message}`);
  }

  const versionInvalid = prompt.version !== undefined ? versionProblem(prompt.version) : undefined;
  if (versionInvalid !== undefined) at(prompt.positions.version, 1, "error", "invalid-semver", versionInvalid);

  if (ctx.base && config.versioning.requireBump) {
    const bump = checkBump(ctx.base, prompt, config.versioning.mode);
    // An invalid version is reported above, whatever the mode.
    if (bump.diagnostic && bump.diagnostic.rule !== "invalid-semver") out.push(bump.diagnostic);
  }

  if (ctx.baseGolden) out.push(...removedCases(prompt, ctx.baseGolden, golden, ws));

  const tagProblem = idTagProblem(prompt.id, config.versioning.tag);
  if (tagProblem) at(prompt.positions.id, 1, "error", "invalid-tag-id", tagProblem);

  // One sample per case at a sampling temperature, and no adaptive repeats to add more where the
  // first pass is ambiguous: most case flips between base and head are chance, and a real drop of
  // a few points cannot be told from them.
  const temperature = prompt.parameters.temperature;
  const { gates } = config;
  const adaptive = gates.adaptive !== false && gates.maxRepeats > config.providers.repeats && gates.maxRegression !== undefined && gates.ignoreNoise;
  if (golden && golden.size > 0 && typeof temperature === "number" && temperature > 0 && config.providers.repeats === 1 && !adaptive) {
    at(prompt.positions.model, 1, "warning", "single-sample",
      `temperature ${temperature} with one sample per case and gates.adaptive off: score deltas are mostly sampling noise; turn on gates.adaptive, set providers.repeats (3 or more) or temperature 0`);
  }

  return out;
}

/** Most removed case ids one diagnostic names; the rest are counted. */
const MAX_REMOVED_LISTED = 10;

/**
 * Cases of the base's golden set the head no longer has: the review lists them so a pull request
 * cannot silently drop a failing case, and lint says so first. Reported at the head's golden set.
 */
function removedCases(prompt: Prompt, baseGolden: GoldenSet, golden: GoldenSet | undefined, ws: Workspace): Diagnostic[] {
  const removed = removedGoldenCases(baseGolden, golden);
  if (removed.length === 0) return [];
  const listed = removed.slice(0, MAX_REMOVED_LISTED).map((c) => `"${c.id}" (${c.source.file}:${c.source.line} on the base)`);
  const more = removed.length - listed.length;
  const file = golden?.file ?? ws.goldenPaths.get(prompt.path) ?? prompt.path;
  const line = file === prompt.path ? (prompt.positions.testData ?? prompt.positions.golden ?? 1) : 1;
  const message = `${removed.length} golden ${plural("case", removed)} of prompt "${prompt.id}" removed since the base: ${listed.join(", ")}${more > 0 ? ` and ${more} more` : ""}; the review lists removed cases, so a dropped failing case is seen`;
  return [{ file, line, column: 1, severity: "warning", message, rule: "removed-case" }];
}

function duplicateIds(prompts: Prompt[]): Diagnostic[] {
  const byId = new Map<string, Prompt[]>();
  for (const p of prompts) byId.set(p.id, [...(byId.get(p.id) ?? []), p]);
  const out: Diagnostic[] = [];
  for (const [id, group] of byId) {
    if (group.length < 2) continue;
    for (const p of group) {
      const others = group.filter((o) => o !== p).map((o) => o.path).join(", ");
      out.push({
        file: p.path,
        line: p.positions.id ?? 1,
        column: 1,
        severity: "error",
        message: `prompt id "${id}" is also used by ${others}; ids must be unique (set promptops.id)`,
        rule: "duplicate-id",
      });
    }
  }
  return out;
}

function searchedIn(config: PromptOpsConfig): string {
  return config.prompts.partials.length > 0 ? ` (partials are read from ${config.prompts.partials.join(", ")})` : "";
}

function plural(word: string, list: unknown[]): string {
  return list.length === 1 ? word : `${word}s`;
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.file}:${d.line}:${d.column}:${d.rule}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
