// The review of a change, host-free: which prompts changed, lint, both sides evaluated on the
// head's golden sets, compared and gated. The CLI and the App both call this.

import type { PromptOpsConfig } from "./config/model.js";
import { sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { comparePrompt } from "./eval/compare.js";
import { addSamples, adaptRepeats, planLooks, type AdaptivePrompt, type StageRequest } from "./eval/adaptive.js";
import { distinctCases, evaluateSides, type ModelAccess, type SideEvaluation, type SideRun } from "./eval/evaluate.js";
import { decideVerdict } from "./eval/gates.js";
import type { PromptComparison, ReviewResult, SideResult } from "./eval/model.js";
import { summarizeSide } from "./eval/stats.js";
import type { ChangedPath } from "./files.js";
import { eachCase, goldenSet, removedCases, type GoldenSet } from "./golden/model.js";
import { detectChanges, type ChangedPrompt, type ChangeSet } from "./workspace/detect.js";
import { lintWorkspace } from "./workspace/lint.js";
import { unifiedDiff } from "./report/diff.js";
import type { Workspace } from "./workspace/workspace.js";

export interface ReviewInput {
  /** From the base revision: a change never sets its own rules. */
  config: PromptOpsConfig;
  base: Workspace;
  head: Workspace;
  changes: readonly ChangedPath[];
  models: ModelAccess;
  baseRef: string;
  headRef: string;
  /** Monotonic clock in ms, for the review's duration. */
  now: () => number;
  /** Problems found before the review (config errors, a truncated file list), reported with it. */
  diagnostics?: Diagnostic[];
}

export interface Review extends ReviewResult {
  changeSet: ChangeSet;
}

/** Provider error kinds that mean the model was not reached at all (as opposed to a bad answer). */
const UNREACHABLE_KINDS = new Set(["config", "auth", "network", "timeout", "rate-limit", "server"]);

export async function reviewChanges(input: ReviewInput): Promise<Review> {
  const started = input.now();
  const { config, base, head } = input;
  const changeSet = detectChanges({ changes: input.changes, base, head, config });

  const diagnostics = sortDiagnostics([...(input.diagnostics ?? []), ...relevantLint(input, changeSet)]);

  const comparisons = await evaluateAndCompare(changeSet.prompts, input, diagnostics);

  const diffs: Record<string, string> = {};
  for (const prompt of changeSet.prompts) {
    const before = base.sources.get(prompt.previousPath ?? prompt.path);
    const after = head.sources.get(prompt.path);
    if (before !== after) diffs[prompt.id] = unifiedDiff(prompt.path, before, after);
  }
  const result = assemble({ ...input, comparisons, diagnostics, diffs, started });
  return { ...result, changeSet };
}

/** Gates the comparisons and gathers everything into the result every report renders. */
function assemble(input: {
  config: PromptOpsConfig;
  models: ModelAccess;
  baseRef: string;
  headRef: string;
  now: () => number;
  started: number;
  comparisons: PromptComparison[];
  diagnostics: Diagnostic[];
  diffs: Record<string, string>;
}): ReviewResult {
  const { comparisons, diagnostics } = input;
  const verdict = decideVerdict(comparisons, input.config.gates, {
    lintErrors: diagnostics.filter((d) => d.severity === "error").length,
    unreachable: unreachableProviders(comparisons),
  });
  const stats = input.models.runner.stats();
  return {
    baseRef: input.baseRef,
    headRef: input.headRef,
    comparisons,
    diagnostics: sortDiagnostics(diagnostics),
    verdict,
    diffs: input.diffs,
    stats: { requestsSent: stats.requestsSent, cacheHits: stats.cacheHits, durationMs: Math.max(0, input.now() - input.started) },
  };
}

/**
 * Evaluates each prompt's head (and base, when it has one) on the head's golden set, all in one
 * runner call, and compares the sides. Evaluator problems are added to `diagnostics`.
 */
async function evaluateAndCompare(
  prompts: readonly ChangedPrompt[],
  input: { config: PromptOpsConfig; base: Workspace; head: Workspace; models: ModelAccess },
  diagnostics: Diagnostic[],
): Promise<PromptComparison[]> {
  const { base, head } = input;
  const runs: { prompt: ChangedPrompt; head?: number; base?: number }[] = [];
  const sideRuns: SideRun[] = [];
  const headPartials = partialTexts(head);
  const basePartials = partialTexts(base);
  for (const prompt of prompts) {
    const entry: (typeof runs)[number] = { prompt };
    // Both sides run the head's golden set, so cases added by the change count on both.
    const golden: GoldenSet | undefined = prompt.head ? head.golden.get(prompt.path) : undefined;
    if (prompt.head && golden) {
      entry.head = sideRuns.push({ side: "head", prompt: prompt.head, golden, partials: headPartials }) - 1;
      if (prompt.base) entry.base = sideRuns.push({ side: "base", prompt: prompt.base, golden, partials: basePartials }) - 1;
    }
    runs.push(entry);
  }
  const evaluations: SideEvaluation[] = await evaluateSides(sideRuns, input.models, input.config.providers);

  for (const [i, evaluation] of evaluations.entries()) {
    const run = sideRuns[i]!;
    if (run.side !== "head") continue;
    for (const problem of evaluation.scorerProblems) {
      diagnostics.push({ file: run.prompt.path, line: 1, column: 1, severity: "error", message: `evaluator ${problem}`, rule: "evaluator" });
    }
  }

  const compare = (run: (typeof runs)[number], sequential: PromptComparison["sequential"]) => {
    const { prompt, head: h, base: b } = run;
    const headGolden = prompt.head ? head.golden.get(prompt.path) : undefined;
    const baseGolden = prompt.base ? base.golden.get(prompt.previousPath ?? prompt.path) : undefined;
    const sides = [b, h].flatMap((i) => (i === undefined ? [] : [evaluations[i]!.result]));
    // Where each listed case is defined (a large set lists only some), and which base cases the head dropped.
    const listed = new Set(sides.flatMap((side) => side.cases.map((c) => c.caseId)));
    return comparePrompt({
      promptId: prompt.id,
      path: prompt.path,
      ...(prompt.previousPath !== undefined ? { previousPath: prompt.previousPath } : {}),
      change: prompt.change,
      sampled: samples(prompt),
      ...(sequential ? { sequential } : {}),
      ...(b !== undefined ? { base: evaluations[b]!.result } : {}),
      ...(h !== undefined ? { head: evaluations[h]!.result } : {}),
      baseCaseIds: baseGolden ? removedCases(baseGolden, headGolden).map((c) => c.id) : [],
      cases: listedCases(headGolden, listed),
    });
  };

  // Adaptive repeats: prompts whose delta the first pass leaves inconclusive get more samples.
  const { gates, providers } = input.config;
  const byId = new Map(runs.map((run) => [run.prompt.id, run]));
  const staged: AdaptivePrompt[] = runs.map(({ prompt, head: h, base: b }) => {
    // Two prompts with one id (a lint error) cannot be told apart by the stages: neither is staged.
    const unique = runs.filter((r) => r.prompt.id === prompt.id).length === 1;
    const adaptive = unique && h !== undefined && b !== undefined && gates.maxRepeats > providers.repeats && adaptiveFor(prompt, gates.adaptive);
    const resampled = adaptive && listedOnBothSides(evaluations[b]!.result, evaluations[h]!.result) ? distinctCases(sideRuns[b]!, sideRuns[h]!, providers) : [];
    return { promptId: prompt.id, resampled, looks: resampled.length > 0 ? planLooks(providers.repeats, gates.maxRepeats) : [{ repeats: providers.repeats, alphaShare: 1 }] };
  });
  const spendCap = input.models.spendCap;
  return adaptRepeats({
    prompts: staged,
    gates,
    compare: (index, sequential) => compare(runs[index]!, sequential),
    // What the answers so far cost, cached or fresh alike: counting only what was sent would let a
    // rerun from the cache afford a stage the first run could not, and give another verdict.
    budgetLeftUsd: spendCap ? () => Math.max(0, spendCap.limitUsd - evaluations.reduce((sum, e) => sum + e.result.costUsd, 0)) : undefined,
    resample: (stage) => resampleStage(stage, { byId, sideRuns, evaluations, models: input.models, providers }),
  });
}

/**
 * Takes one stage of adaptive repeats: the next repeat indices of the chosen cases on both sides,
 * folded into the sides' results. Prompts at the same look share one evaluation call, so base and
 * head requests that agree still go out once.
 */
async function resampleStage(
  stage: readonly StageRequest[],
  context: {
    byId: ReadonlyMap<string, { base?: number; head?: number }>;
    sideRuns: readonly SideRun[];
    evaluations: SideEvaluation[];
    models: ModelAccess;
    providers: PromptOpsConfig["providers"];
  },
): Promise<void> {
  const groups = new Map<string, StageRequest[]>();
  for (const r of stage) {
    const key = `${r.fromRepeat}:${r.toRepeat}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const group of groups.values()) {
    const targets: number[] = [];
    const extraRuns: SideRun[] = [];
    for (const r of group) {
      const run = context.byId.get(r.promptId)!;
      const wanted = new Set(r.caseIds);
      for (const index of [run.base!, run.head!]) {
        const sideRun = context.sideRuns[index]!;
        // A side at temperature 0 repeats its answer: its one sample stands (cases may hold
        // different sample counts per side; each side's mean is its own).
        if (sideRun.prompt.parameters.temperature === 0) continue;
        targets.push(index);
        extraRuns.push({ ...sideRun, golden: goldenSet(sideRun.golden.file, sideRun.golden.slice().filter((c) => wanted.has(c.id))) });
      }
    }
    const { fromRepeat, toRepeat } = group[0]!;
    const extra = await evaluateSides(extraRuns, context.models, context.providers, { fromRepeat, toRepeat });
    for (const [i, evaluation] of extra.entries()) {
      const target = context.evaluations[targets[i]!]!;
      const added = new Map(evaluation.result.cases.map((c) => [c.caseId, c]));
      const cases = target.result.cases.map((c) => (added.has(c.caseId) ? addSamples(c, added.get(c.caseId)!) : c));
      target.result = summarizeSide(target.result.side, target.result.promptPath, cases, { version: target.result.version, model: target.result.model }, target.result.folded);
    }
  }
}

/**
 * Whether the sides' cases can be re-sampled: not when a side folded its cases (a golden set too
 * large to list keeps only the cases that failed or changed one by one). Re-sampling only those
 * would pull the mean delta towards the unchanged folded cases' zero at every look and could call
 * a real drop "no regression shown", so such a set is judged on its first pass alone.
 */
function listedOnBothSides(base: SideResult, head: SideResult): boolean {
  return !base.folded && !head.folded;
}

/** Where each listed case is defined and its variables, read from the golden set a window at a time. */
function listedCases(golden: GoldenSet | undefined, listed: ReadonlySet<string>): Map<string, { source: { file: string; line: number }; vars: Record<string, unknown> }> {
  const found = new Map<string, { source: { file: string; line: number }; vars: Record<string, unknown> }>();
  if (!golden || listed.size === 0) return found;
  for (const c of eachCase(golden)) if (listed.has(c.id)) found.set(c.id, { source: c.source, vars: c.vars });
  return found;
}

/** Either side samples at a temperature above 0. */
function samples(prompt: ChangedPrompt): boolean {
  return [prompt.base, prompt.head].some((p) => typeof p?.parameters.temperature === "number" && p.parameters.temperature > 0);
}

/**
 * `auto` judges in stages the prompts that sample (temperature above 0 on a side); `true` also
 * those that leave the temperature to the provider's default (usually 1). A temperature of 0 on
 * both sides is never re-sampled: its answers would repeat.
 */
function adaptiveFor(prompt: ChangedPrompt, setting: PromptOpsConfig["gates"]["adaptive"]): boolean {
  if (setting === false) return false;
  if (samples(prompt)) return true;
  const unset = [prompt.base, prompt.head].some((p) => p !== undefined && typeof p.parameters.temperature !== "number");
  return setting === true && unset;
}

export interface EvaluateInput {
  config: PromptOpsConfig;
  workspace: Workspace;
  /** Prompt paths to evaluate (all prompts of the workspace when empty). */
  paths: readonly string[];
  models: ModelAccess;
  ref: string;
  now: () => number;
  diagnostics?: Diagnostic[];
}

/** One side only (`promptops eval`): each prompt's golden set against its current version, gated. */
export async function evaluatePrompts(input: EvaluateInput): Promise<ReviewResult> {
  const started = input.now();
  const { workspace, config } = input;
  const wanted = input.paths.length > 0 ? new Set(input.paths) : undefined;
  const prompts: ChangedPrompt[] = [...workspace.prompts.values()]
    .filter((p) => !wanted || wanted.has(p.path))
    .map((p) => ({ id: p.id, path: p.path, change: "modified", head: p, reasons: [] }));
  const files = new Set(prompts.flatMap((p) => [p.path, workspace.goldenPaths.get(p.path) ?? p.path]));
  if (wanted) for (const p of wanted) files.add(p);
  // A file refused for leading out of the repository is always said, whichever prompt needed it.
  const diagnostics = [...(input.diagnostics ?? []), ...lintWorkspace(workspace, config).filter((d) => files.has(d.file) || d.rule === "outside-repository")];
  const empty: Workspace = { prompts: new Map(), partials: new Map(), golden: new Map(), goldenPaths: new Map(), references: new Map(), sources: new Map(), diagnostics: [] };
  const comparisons = await evaluateAndCompare(prompts, { config, base: empty, head: workspace, models: input.models }, diagnostics);
  return assemble({ ...input, baseRef: input.ref, headRef: input.ref, comparisons, diagnostics, diffs: {}, started });
}

/**
 * Lint of what the change touches: the changed prompts and the files they depend on. Problems in
 * untouched prompts are not this pull request's to fix.
 */
function relevantLint(input: ReviewInput, changeSet: ChangeSet): Diagnostic[] {
  const files = new Set<string>(input.changes.map((c) => c.path));
  for (const p of changeSet.prompts) {
    files.add(p.path);
    const golden = input.head.goldenPaths.get(p.path);
    if (golden) files.add(golden);
  }
  return lintWorkspace(input.head, input.config, { base: input.base }).filter((d) => files.has(d.file));
}

function partialTexts(ws: Workspace): Map<string, string> {
  return new Map([...ws.partials].map(([name, file]) => [name, file.text]));
}

/** Distinct reasons a model could not be reached, e.g. `openai/gpt-4o: no API key ...`. */
function unreachableProviders(comparisons: PromptComparison[]): string[] {
  const reasons = new Set<string>();
  for (const c of comparisons) {
    for (const side of [c.base, c.head]) {
      for (const r of side?.cases ?? []) {
        if (!r.error || !UNREACHABLE_KINDS.has(r.error.kind)) continue;
        const model = side!.model ?? "model";
        reasons.add(r.error.message.startsWith(model) ? r.error.message : `${model}: ${r.error.message}`);
      }
    }
  }
  return [...reasons].slice(0, 10);
}

