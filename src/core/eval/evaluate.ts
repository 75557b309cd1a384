// Runs golden sets against prompts: renders every case of every side, sends all model requests
// in one runner call (so identical base/head requests go out once), then scores each output.

import type { PromptOpsConfig } from "../config/model.js";
import type { GoldenCase, GoldenSet } from "../golden/model.js";
import type { Prompt } from "../prompts/model.js";
import { renderMessages } from "../prompts/render.js";
import type { ModelRequest } from "../providers/port.js";
import { buildScorers, combineScores, scoreOutput, type Embedder, type Judge, type Scorer } from "../scorers/index.js";
import type { CaseResult, ScoreResult, Side, SideResult } from "./model.js";
import type { Runner, RunOutcome } from "./runner.js";
import { summarizeSide } from "./stats.js";

/** How the core reaches models: built by the host from the config, its environment and a cache. */
export interface ModelAccess {
  runner: Runner;
  embed?: Embedder;
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
  /** Indices into the request list, one per repeat; empty when the case could not be rendered. */
  requestIndex: number[];
  renderError?: string;
}

interface PlannedRun {
  run: SideRun;
  model?: string;
  cases: PlannedCase[];
  scorers: Scorer[];
  scorerProblems: string[];
}

/** The judge temperature is 0 so a rerun asks the same question (and hits the cache). */
const JUDGE_PARAMETERS = { temperature: 0 };

export async function evaluateSides(runs: readonly SideRun[], access: ModelAccess, settings: EvalSettings): Promise<SideEvaluation[]> {
  const repeats = Math.max(1, settings.repeats);
  const requests: ModelRequest[] = [];
  const planned = runs.map((run) => planRun(run, settings, repeats, requests));
  const outcomes = await access.runner.run(requests);
  return Promise.all(planned.map((plan) => scoreRun(plan, outcomes, access, settings, repeats)));
}

function planRun(run: SideRun, settings: EvalSettings, repeats: number, requests: ModelRequest[]): PlannedRun {
  const model = run.prompt.model ?? settings.defaultModel;
  const built = buildScorers({ evaluators: run.prompt.evaluators });
  const scorerProblems = built.diagnostics.map((d) => `${d.evaluator}: ${d.message}`);
  const cases = run.golden.cases.map((golden): PlannedCase => {
    if (model === undefined) return { golden, requestIndex: [], renderError: "the prompt names no model and providers.defaultModel is not set" };
    let messages;
    try {
      messages = renderMessages(run.prompt, golden.vars, run.partials);
    } catch (error) {
      return { golden, requestIndex: [], renderError: error instanceof Error ? error.message : String(error) };
    }
    const requestIndex: number[] = [];
    for (let repeat = 0; repeat < repeats; repeat++) {
      requestIndex.push(requests.length);
      requests.push({
        model,
        messages,
        parameters: run.prompt.parameters,
        ...(run.prompt.responseFormat ? { responseFormat: run.prompt.responseFormat } : {}),
        ...(run.prompt.jsonSchema !== undefined ? { jsonSchema: run.prompt.jsonSchema } : {}),
        repeat,
      });
    }
    return { golden, requestIndex };
  });
  return { run, model, cases, scorers: built.scorers, scorerProblems };
}

async function scoreRun(plan: PlannedRun, outcomes: RunOutcome[], access: ModelAccess, settings: EvalSettings, repeats: number): Promise<SideEvaluation> {
  const judgeModel = settings.judge ?? plan.model;
  const judge: Judge = async (messages, model) => {
    const chosen = model ?? judgeModel;
    if (!chosen) throw new Error("no judge model: set providers.judge in .github/promptops.yml");
    const [outcome] = await access.runner.run([{ model: chosen, messages, parameters: JUDGE_PARAMETERS, repeat: 0 }]);
    if (!outcome?.response) throw outcome?.error ?? new Error("the judge returned nothing");
    return outcome.response.output;
  };
  const needed = Math.min(repeats, settings.passThreshold ?? repeats);
  const cases = await Promise.all(
    plan.cases.map((c) => scoreCase(c, plan, outcomes, { judge, embed: access.embed }, repeats, needed)),
  );
  const result = summarizeSide(plan.run.side, plan.run.prompt.path, cases, { version: plan.run.prompt.version, model: plan.model });
  return { result, scorerProblems: plan.scorerProblems };
}

async function scoreCase(
  planned: PlannedCase,
  plan: PlannedRun,
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
