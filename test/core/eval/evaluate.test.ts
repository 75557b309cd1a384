// Evaluating sides with repeats: how repeats fold into one CaseResult, through the real runner
// and scorers, with a scripted provider standing in for the model and the judge.

import { DEFAULT_CONFIG } from "../../../src/core/config/model.js";
import { evaluateSides, STAGE_CASES, type SideRun } from "../../../src/core/eval/evaluate.js";
import { createRunner, type Runner } from "../../../src/core/eval/runner.js";
import { caseCount } from "../../../src/core/eval/stats.js";
import { createProviders } from "../../../src/core/providers/registry.js";
import { parseGoldenFile } from "../../../src/core/golden/parse.js";
import { parsePrompt } from "../../../src/core/prompts/parse.js";
import { ProviderError, type ModelProvider, type ModelRequest } from "../../../src/core/providers/port.js";

const PROMPT = `name: Greeting
model: fake/writer
messages:
  - role: user
    content: Greet {{name}}.
`;

/** Answers `fake/writer` with a greeting; answers the judge from a script, one entry per call. */
function scriptedProvider(judgeAnswers: (string | Error)[]): ModelProvider {
  let judgeCalls = 0;
  return {
    name: "fake",
    reportsLatency: true,
    async complete(request: ModelRequest & { modelName: string }) {
      if (request.modelName === "judge") {
        const answer = judgeAnswers[judgeCalls++] ?? new Error("script exhausted");
        if (answer instanceof Error) throw new ProviderError("bad-request", answer.message);
        return { output: answer, usage: { input: 1, output: 1 }, latencyMs: 0 };
      }
      return { output: `Hello, ${request.messages[0]!.content.slice(6, -1)}! (take ${request.repeat})`, usage: { input: 3, output: 4 }, latencyMs: 10 };
    },
  };
}

async function evaluate(judgeAnswers: (string | Error)[], settings: { repeats: number; passThreshold?: number }) {
  const provider = scriptedProvider(judgeAnswers);
  const runner = createRunner({ providers: { resolve: (model) => ({ provider, modelName: model.split("/")[1]! }) }, concurrency: 1, retries: 0, timeoutMs: 1000 });
  const { prompt } = parsePrompt("prompts/greet.prompt.yml", PROMPT);
  const { set } = parseGoldenFile(
    "prompts/greet.golden.jsonl",
    JSON.stringify({ id: "ada", vars: { name: "Ada" }, assert: [{ type: "llm-rubric", value: "greets Ada by name" }] }),
  );
  const run: SideRun = { side: "head", prompt: prompt!, golden: set, partials: new Map() };
  const [evaluation] = await evaluateSides([run], { runner }, { judge: "fake/judge", ...settings });
  return evaluation!.result.cases[0]!;
}

describe("evaluateSides with repeats", () => {
  it("averages the score over repeats and passes when enough repeats pass", async () => {
    const result = await evaluate(["PASS", "FAIL", "PASS"], { repeats: 3, passThreshold: 2 });
    expect(result).toMatchObject({ caseId: "ada", output: "Hello, Ada! (take 0)", passes: 2, repeats: 3, pass: true, usage: { input: 9, output: 12 }, latencyMs: 10 });
    expect(result.score).toBeCloseTo(2 / 3, 10);
    expect(result.scores).toEqual([expect.objectContaining({ name: "llm-rubric", score: 1, pass: true })]);
  });

  it("fails the case when fewer repeats pass than the threshold", async () => {
    const result = await evaluate(["PASS", "FAIL", "FAIL"], { repeats: 3, passThreshold: 2 });
    expect(result).toMatchObject({ passes: 1, pass: false });
  });

  it("marks the case not evaluated when the judge could not run on a later repeat", async () => {
    // Repeat 0 is judged; the judge is unreachable for repeat 1. Its zero must not read as a
    // real low score: the case shows the errored scores, so statistics leave it out.
    const result = await evaluate(["PASS", new Error("judge down")], { repeats: 2 });
    expect(result.scores).toEqual([expect.objectContaining({ name: "llm-rubric", error: true, pass: false })]);
    expect(result.scores[0]!.reason).toContain("judge down");
    expect(result.pass).toBe(false);
  });
});

describe("evaluateSides on a large golden set", () => {
  it("goes through in stages: every case in order, base/head requests shared, a bounded number of requests per runner call", async () => {
    const cases = 2 * STAGE_CASES + 10;
    const rows = Array.from({ length: cases }, (_, i) => JSON.stringify({ id: `c${i}`, name: `N${i}`, urgent: i === 0 })).join("\n");
    const { set } = parseGoldenFile("prompts/greet.golden.jsonl", rows);
    const base = parsePrompt("prompts/greet.prompt.yml", PROMPT.replace("fake/writer", "echo")).prompt!;
    // Urgent cases read differently on the head; every other request is the same on both sides.
    const head = parsePrompt("prompts/greet.prompt.yml", PROMPT.replace("fake/writer", "echo").replace("Greet {{name}}.", "Greet {{name}}.{{#if urgent}} Now.{{/if}}")).prompt!;
    const inner = createRunner({ providers: createProviders({ config: DEFAULT_CONFIG, env: {} }), concurrency: 8, retries: 0, timeoutMs: 1000 });
    const callSizes: number[] = [];
    const runner: Runner = { run: (requests) => (callSizes.push(requests.length), inner.run(requests)), stats: () => inner.stats() };

    const [b, h] = await evaluateSides(
      [
        { side: "base", prompt: base, golden: set, partials: new Map() },
        { side: "head", prompt: head, golden: set, partials: new Map() },
      ],
      { runner },
      { repeats: 1 },
    );

    // Unscored cases scored alike on both sides are folded into the numbers (evaluate-fold.test.ts).
    for (const side of [b!, h!]) expect(caseCount(side.result)).toBe(cases);
    expect(h!.result.errors + b!.result.errors).toBe(0);
    expect(callSizes).toEqual([2 * STAGE_CASES, 2 * STAGE_CASES, 20]);
    expect(inner.stats()).toMatchObject({ deduplicated: cases - 1, failures: 0 });
  });
});
