// Runs golden sets against prompts: renders the cases of every side, sends their model requests
// through the runner (identical base/head requests go out once), then scores each output. Large
// golden sets go through in stages of a few hundred cases, so memory holds two stages' requests
// and answers at a time, whatever the set's size.

import type { PromptOpsConfig } from "../config/model.js";
import type { GoldenCase, GoldenSet } from "../golden/model.js";
import type { Prompt } from "../prompts/model.js";
import { renderMessages } from "../prompts/render.js";
import { toolDefinitions, type ToolDefinition } from "../prompts/tools.js";
import type { ModelRequest } from "../providers/port.js";
import type { SpendCap } from "../providers/spend-cap.js";
import { buildScorers, combineScores, scoreOutput, type Embedder, type Judge, type Scorer } from "../scorers/index.js";
import type { CaseResult, ScoreResult, Side, SideResult } from "./model.js";
import { requestKey } from "./request-key.js";
import type { Runner, RunOutcome } from "./runner.js";
import { foldCases, summarizeSide } from "./stats.js";

/** How the core reaches models: built by the host from the config, its environment and a cache. */
export interface ModelAccess {
  runner: Runner;
  embed?: Embedder;
  /** The run's spending cap, when one is set: adaptive repeats buy no samples it cannot pay for. */
  spendCap?: SpendCap;
}

export interface SideRun {
  side: Side;
  prompt: Prompt;
  golden: GoldenSet;
  /** Partial name -> template text, from the same side as the prompt. */
  partials: ReadonlyMap<string, string>;
}

export interface SideEvaluation {
  result: SideResult;
  /** Problems with the prompt's evaluators (unknown types, bad regexes), for lint output. */
  scorerProblems: string[];
}

type EvalSettings = Pick<PromptOpsConfig["providers"], "defaultModel" | "judge" | "repeats" | "passThreshold">;

interface PlannedCase {
  golden: GoldenCase;
  /** Indices into the stage's request list, one per repeat; empty when the case could not be rendered. */
  requestIndex: number[];
  renderError?: string;
}

interface PreparedRun {
  run: SideRun;
  model?: string;
  /** The prompt's tools as function definitions, sent with every case's request. */
  tools: ToolDefinition[];
  scorers: Scorer[];
  scorerProblems: string[];
  judge: Judge;
}

/** The judge temperature is 0 so a rerun asks the same question (and hits the cache). */
const JUDGE_PARAMETERS = { temperature: 0 };

/**
 * Cases per side in one stage. Case i of every side is in the same stage, so base and head still
 * share identical requests; the next stage is already sending while one is scored, so the
 * provider's slots never drain between stages. 500: a 100,000-case run holds what a 1,000-case
 * run holds (two stages), several times the requests even 64 concurrent slots have in flight.
 */
export const STAGE_CASES = 500;

/** Cases scored at once: scorers may call a judge model, whose requests the runner limits. */
const SCORING_WINDOW = 256;

/**
 * Evaluates every side run. `samples` picks repeat indices other than the first pass's
 * `0 .. providers.repeats - 1`: adaptive repeats (adaptive.ts) ask for the next ones, which are
 * distinct requests (the repeat index is part of the request key) cached like any other.
 */
export async function evaluateSides(
  runs: readonly SideRun[],
  access: ModelAccess,
  settings: EvalSettings,
  samples: { fromRepeat: number; toRepeat: number } = { fromRepeat: 0, toRepeat: settings.repeats },
): Promise<SideEvaluation[]> {
  const first = Math.max(0, samples.fromRepeat);
  const repeats = Math.max(1, samples.toRepeat - first);
  const needed = Math.min(repeats, settings.passThreshold ?? repeats);
  const prepared = runs.map((run) => prepareRun(run, access, settings));
  // Results are kept or folded as each stage is scored, so a large set never holds them all.
  const fold = foldCases(runs.map((run) => run.golden));
  const longest = Math.max(0, ...runs.map((run) => run.golden.size));

  const send = (start: number) => {
    const requests: ModelRequest[] = [];
    // Sides sharing a golden set (base and head) share its stage's cases: a packed set is parsed once.
    const slices = new Map<GoldenSet, GoldenCase[]>();
    const casesOf = (golden: GoldenSet) => slices.get(golden) ?? slices.set(golden, golden.slice(start, start + STAGE_CASES)).get(golden)!;
    const planned = prepared.map((p) => casesOf(p.run.golden).map((golden) => planCase(golden, p, first, repeats, requests)));
    return { planned, outcomes: access.runner.run(requests) };
  };
  let stage = send(0);
  for (let start = 0; start < longest || start === 0; start += STAGE_CASES) {
    const current = stage;
    if (start + STAGE_CASES < longest) stage = send(start + STAGE_CASES);
    const outcomes = await current.outcomes;
    const scored: CaseResult[][] = [];
    for (let i = 0; i < prepared.length; i++) scored.push(await scoreCases(current.planned[i]!, prepared[i]!, outcomes, access, repeats, needed));
    fold.add(scored);
  }
  return prepared.map((plan, i) => {
    const { cases, folded } = fold.side(i);
    return {
      result: summarizeSide(plan.run.side, plan.run.prompt.path, cases, { version: plan.run.prompt.version, model: plan.model }, folded),
      scorerProblems: plan.scorerProblems,
    };
  });
}

function prepareRun(run: SideRun, access: ModelAccess, settings: EvalSettings): PreparedRun {
  const model = run.prompt.model ?? settings.defaultModel;
  const built = buildScorers({ evaluators: run.prompt.evaluators });
  const judgeModel = settings.judge ?? model;
  const judge: Judge = async (messages, chosenModel) => {
    const chosen = chosenModel ?? judgeModel;
    if (!chosen) throw new Error("no judge model: set providers.judge in .github/promptops.yml");
    const [outcome] = await access.runner.run([{ model: chosen, messages, parameters: JUDGE_PARAMETERS, repeat: 0 }]);
    if (!outcome?.response) throw outcome?.error ?? new Error("the judge returned nothing");
    return outcome.response.output;
  };
  // A tool that cannot be sent is a parse error at its line; the others still go.
  const { tools } = toolDefinitions(run.prompt.tools);
  return { run, model, tools, scorers: built.scorers, scorerProblems: built.diagnostics.map((d) => `${d.evaluator}: ${d.message}`), judge };
}

function planCase(golden: GoldenCase, plan: PreparedRun, first: number, repeats: number, requests: ModelRequest[]): PlannedCase {
  const request = caseRequest(plan.run, golden, plan.model, plan.tools);
  if ("renderError" in request) return { golden, requestIndex: [], renderError: request.renderError };
  const requestIndex: number[] = [];
  for (let repeat = first; repeat < first + repeats; repeat++) {
    requestIndex.push(requests.length);
    requests.push({ ...request, repeat });
  }
  return { golden, requestIndex };
}

/** The model request of one case on one side (its first repeat), or why it cannot be built. */
function caseRequest(run: SideRun, golden: GoldenCase, model: string | undefined, tools: ToolDefinition[]): ModelRequest | { renderError: string } {
  if (model === undefined) return { renderError: "the prompt names no model and providers.defaultModel is not set" };
  let messages;
  try {
    messages = renderMessages(run.prompt, golden.vars, run.partials);
  } catch (error) {
    return { renderError: error instanceof Error ? error.message : String(error) };
  }
  return {
    model,
    messages,
    parameters: run.prompt.parameters,
    ...(run.prompt.responseFormat ? { responseFormat: run.prompt.responseFormat } : {}),
    ...(run.prompt.jsonSchema !== undefined ? { jsonSchema: run.prompt.jsonSchema } : {}),
    ...(tools.length > 0 ? { tools } : {}),
    repeat: 0,
  };
}

/**
 * Ids of the cases whose base and head requests differ. The others send one request for both
 * sides, so their samples are the same answers and their delta is 0 however often they are
 * sampled: adaptive repeats leave them alone.
 */
export function distinctCases(base: SideRun, head: SideRun, settings: Pick<EvalSettings, "defaultModel">): string[] {
  const key = (run: SideRun, golden: GoldenCase) => {
    const request = caseRequest(run, golden, run.prompt.model ?? settings.defaultModel, toolDefinitions(run.prompt.tools).tools);
    return "renderError" in request ? undefined : requestKey(request);
  };
  const baseCases = new Map(base.golden.slice().map((c) => [c.id, c]));
  return head.golden.slice().flatMap((c) => {
    const other = baseCases.get(c.id);
    if (!other) return [];
    const headKey = key(head, c);
    const baseKey = key(base, other);
    // A case that cannot be rendered on a side has no samples to add.
    return headKey !== undefined && baseKey !== undefined && headKey !== baseKey ? [c.id] : [];
  });
}

/** Scores a stage's cases of one side, a bounded number at a time, in order. */
async function scoreCases(
  cases: PlannedCase[],
  plan: PreparedRun,
  outcomes: RunOutcome[],
  access: ModelAccess,
  repeats: number,
  needed: number,
): Promise<CaseResult[]> {
  const scored = new Array<CaseResult>(cases.length);
  const ports = { judge: plan.judge, ...(access.embed ? { embed: access.embed } : {}) };
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const index = next++;
      scored[index] = await scoreCase(cases[index]!, plan, outcomes, ports, repeats, needed);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SCORING_WINDOW, cases.length) }, worker));
  return scored;
}

async function scoreCase(
  planned: PlannedCase,
  plan: PreparedRun,
  outcomes: RunOutcome[],
  ports: { judge: Judge; embed?: Embedder },
  repeats: number,
  needed: number,
): Promise<CaseResult> {
  const { golden } = planned;
  const base: CaseResult = {
    caseId: golden.id,
    side: plan.run.side,
    output: "",
    scores: [],
    score: 0,
    pass: false,
    passes: 0,
    repeats,
    usage: { input: 0, output: 0 },
    costUsd: 0,
    latencyMs: 0,
  };
  if (planned.renderError !== undefined) return { ...base, error: { kind: "render", message: planned.renderError } };

  const scorers = golden.assert?.length
    ? [...plan.scorers, ...buildScorers({ evaluators: [], caseAsserts: golden.assert }).scorers]
    : plan.scorers;
  const perRepeat: { scores: ScoreResult[]; score: number; pass: boolean; error: boolean }[] = [];
  let latencyTotal = 0;
  for (const index of planned.requestIndex) {
    const outcome = outcomes[index]!;
    if (!outcome.response) {
      const error = outcome.error;
      return { ...base, error: { kind: error?.kind ?? "unknown", message: error?.message ?? "no response" } };
    }
    const response = outcome.response;
    if (perRepeat.length === 0) base.output = response.output;
    base.usage = { input: base.usage.input + response.usage.input, output: base.usage.output + response.usage.output };
    base.costUsd += response.costUsd ?? 0;
    latencyTotal += response.latencyMs;
    const scores = await scoreOutput(
      {
        output: response.output,
        vars: golden.vars,
        ...(golden.expected !== undefined ? { expected: golden.expected } : {}),
        ...(response.costUsd !== undefined ? { costUsd: response.costUsd } : {}),
        latencyMs: response.latencyMs,
        judge: ports.judge,
        ...(ports.embed ? { embed: ports.embed } : {}),
      },
      scorers,
    );
    const combined = combineScores(scores);
    perRepeat.push({ scores, score: combined.score, pass: combined.pass, error: combined.error });
  }
  const passes = perRepeat.filter((r) => r.pass).length;
  return {
    ...base,
    // Reports show the first repeat's scores, unless a later repeat's scorer could not run: those
    // are shown instead, so the case counts as not evaluated rather than as a real low score.
    // The case score averages every repeat.
    scores: (perRepeat.find((r) => r.error) ?? perRepeat[0])?.scores ?? [],
    score: perRepeat.reduce((sum, r) => sum + r.score, 0) / Math.max(1, perRepeat.length),
    passes,
    pass: perRepeat.length > 0 && passes >= needed,
    latencyMs: latencyTotal / Math.max(1, perRepeat.length),
  };
}
