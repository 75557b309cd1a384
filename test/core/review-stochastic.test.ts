// The review's verdict on a sampled model, end to end: a seeded stochastic model behind the local
// model server answers right or wrong with a per-prompt accuracy, so the outcomes are the same
// every run while the per-case flips look like real sampling at temperature 0.7.

import { DEFAULT_CONFIG, type PromptOpsConfig } from "../../src/core/config/model.js";
import { memoryCache } from "../../src/core/eval/cache.js";
import { createModelAccess } from "../../src/core/eval/models.js";
import { DETAILED_CASES, seededRandom } from "../../src/core/eval/stats.js";
import { memoryTree } from "../../src/core/files.js";
import { createSpendCap } from "../../src/core/providers/spend-cap.js";
import { toReviewJson } from "../../src/core/report/json.js";
import { renderComment } from "../../src/core/report/markdown.js";
import { reviewChanges } from "../../src/core/review.js";
import { loadWorkspace } from "../../src/core/workspace/workspace.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";

/** Accuracy of each system message the model is asked with. */
const ACCURACY: Record<string, number> = {
  "Label the ticket.": 0.8,
  "Label the ticket, please.": 0.8,
  "Label the ticket in one word.": 0.3,
  "Label the ticket, briefly.": 0.7,
  "Label the ticket, now.": 0.77,
};

const prompt = (system: string, temperature = 0.7) => `name: Label
model: openai/gpt-4o-mini
modelParameters:
  temperature: ${temperature}
messages:
  - role: system
    content: ${system}
  - role: user
    content: "Ticket {{n}}"
evaluators:
  - name: right
    string:
      contains: right
`;

const goldenOf = (cases: number) => Array.from({ length: cases }, (_, n) => JSON.stringify({ id: `t${n}`, vars: { n: String(n) } })).join("\n");

describe("reviewChanges with a sampled model", () => {
  let server: ModelServer;
  const seen = new Map<string, number>();
  let requests = 0;
  let atZero = 0;
  beforeAll(async () => {
    server = await startModelServer({
      handler: (request) => {
        const messages = request.body.messages as { role: string; content: string }[];
        const system = messages.find((m) => m.role === "system")!.content;
        const key = JSON.stringify(messages);
        requests++;
        if (request.body.temperature === 0) atZero++;
        // The n-th identical request is the n-th sample of that case.
        const draw = seen.get(key) ?? 0;
        seen.set(key, draw + 1);
        return seededRandom(`${key}#${draw}`)() < ACCURACY[system]! ? "right" : "wrong";
      },
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    seen.clear();
    requests = 0;
    atZero = 0;
  });

  async function review(headSystem: string, gates: Partial<PromptOpsConfig["gates"]> = {}, cache = memoryCache(), temperature = 0.7, cases = 60, capUsd?: number, baseTemperature = temperature) {
    const golden = goldenOf(cases);
    const config: PromptOpsConfig = {
      ...DEFAULT_CONFIG,
      providers: { ...DEFAULT_CONFIG.providers, retries: 0, concurrency: 32, openai: { baseUrl: `${server.url}/v1` } },
      gates: { ...DEFAULT_CONFIG.gates, ...gates },
      versioning: { ...DEFAULT_CONFIG.versioning, requireBump: false },
    };
    const files = (system: string, t: number) => ({ "prompts/label.prompt.yml": prompt(system, t), "prompts/label.golden.jsonl": golden });
    const [base, head] = await Promise.all([
      loadWorkspace(memoryTree(files("Label the ticket.", baseTemperature), "base"), config),
      loadWorkspace(memoryTree(files(headSystem, temperature), "head"), config),
    ]);
    const models = createModelAccess({ config, env: { OPENAI_API_KEY: "sk-test" }, cache, ...(capUsd !== undefined ? { spendCap: createSpendCap(capUsd) } : {}) });
    return reviewChanges({ config, base, head, changes: [{ path: "prompts/label.prompt.yml", status: "modified" }], models, baseRef: "base", headRef: "head", now: () => 0 });
  }

  it("fails a large drop as a regression", async () => {
    const result = await review("Label the ticket in one word.");
    expect(result.verdict.judgements?.["prompts/label"]?.outcome).toBe("regression");
    expect(result.verdict.conclusion).toBe("failure");
    // Adaptive repeats are on by default at temperature 0.7: no single-sample warning.
    expect(result.diagnostics.map((d) => d.rule)).not.toContain("single-sample");
  });

  it("samples an ambiguous prompt's cases again on both sides, and a rerun from the cache sends nothing", async () => {
    const cache = memoryCache();
    const first = await review("Label the ticket, briefly.", {}, cache);
    const comparison = first.comparisons[0]!;
    // The first pass is one request per case and side (60 + 60); the stages re-sample every case on both sides.
    expect(requests).toBeGreaterThan(120);
    expect(comparison.sequential?.look).toBeGreaterThan(1);
    const repeats = comparison.cases.map((c) => [c.base!.repeats, c.head!.repeats]);
    expect(new Set(repeats.flat())).toEqual(new Set([comparison.sequential!.look === 2 ? 3 : 5]));
    expect(first.stats.requestsSent).toBe(requests);
    const md = renderComment(first);
    expect(md).toMatch(/60 cases × [35] samples/);

    const sent = requests;
    const again = await review("Label the ticket, briefly.", {}, cache);
    expect(requests).toBe(sent);
    expect(again.stats.requestsSent).toBe(0);
    expect(again.verdict).toEqual(first.verdict);
    expect(again.comparisons[0]!.cases.map((c) => [c.base!.repeats, c.head!.repeats])).toEqual(repeats);
  });

  it("gives a rerun from the cache the verdict of the first run under a spending cap", async () => {
    const free = await review("Label the ticket, briefly.", { adaptive: false });
    const firstPass = free.comparisons[0]!.base!.costUsd + free.comparisons[0]!.head!.costUsd;
    expect(firstPass).toBeGreaterThan(0);
    // Room for the first pass, not for a stage of two more samples per case on both sides.
    const cap = 2.5 * firstPass;
    const cache = memoryCache();
    const first = await review("Label the ticket, briefly.", {}, cache, 0.7, 60, cap);
    const again = await review("Label the ticket, briefly.", {}, cache, 0.7, 60, cap);
    expect(first.comparisons[0]!.sequential?.look ?? 1).toBe(1);
    expect(again.comparisons[0]!.sequential?.look ?? 1).toBe(1);
    expect(again.verdict).toEqual(first.verdict);
  });

  it("re-samples only the side that samples when the other is at temperature 0", async () => {
    const result = await review("Label the ticket, briefly.", {}, memoryCache(), 0.7, 60, undefined, 0);
    expect(result.comparisons[0]!.sequential?.look).toBeGreaterThan(1);
    expect(requests).toBeGreaterThan(120);
    // The base's 60 answers at temperature 0 are asked once each.
    expect(atZero).toBe(60);
    expect(new Set(result.comparisons[0]!.cases.map((c) => c.base!.repeats))).toEqual(new Set([1]));
  });

  it("never re-samples at temperature 0 or with adaptive repeats off", async () => {
    await review("Label the ticket, briefly.", { adaptive: false });
    expect(requests).toBe(120);
    requests = 0;
    await review("Label the ticket, briefly.", {}, memoryCache(), 0);
    expect(requests).toBe(120);
  });

  it("never passes or fails a harmless change on 60 single samples it cannot judge, and never says within noise", async () => {
    const result = await review("Label the ticket, please.");
    const judgement = result.verdict.judgements?.["prompts/label"];
    expect(judgement?.outcome).toBe("inconclusive");
    expect(result.verdict.conclusion).toBe("neutral");
    const md = renderComment(result);
    expect(md).toMatch(/can't rule out a drop of up to 0\.\d\d/);
    expect(md).toMatch(/60 cases × 1 sample: a drop smaller than ≈ 0\.\d\d may go unseen/);
    expect(md).not.toContain("within noise");
    expect(md).not.toContain("🔻");
  });

  it("lets onInconclusive: pass keep the check green while still saying inconclusive", async () => {
    const result = await review("Label the ticket, please.", { onInconclusive: "pass" });
    expect(result.verdict.conclusion).toBe("success");
    expect(renderComment(result)).toContain("inconclusive");
  });

  it("judges a golden set too large to list on its first pass alone, every case counted", async () => {
    const cases = DETAILED_CASES + 200;
    // A drop of about 0.03 against a tolerance of 0.05: at one sample, neither shown to exceed it nor ruled out.
    const result = await review("Label the ticket, now.", {}, memoryCache(), 0.7, cases);
    const comparison = result.comparisons[0]!;
    // Re-sampling only the listed (failed or changed) cases would pull the delta towards the
    // folded cases' zero: no stage is taken.
    expect(requests).toBe(2 * cases);
    expect(comparison.sequential).toBeUndefined();
    expect(comparison.cases.length).toBeLessThan(cases);
    const prompt = toReviewJson(result).prompts[0]!;
    expect(prompt.head).toMatchObject({ cases });
    expect(prompt.base).toMatchObject({ cases });
    expect(prompt.judgement).toMatchObject({ cases, outcome: "inconclusive" });
  }, 60_000);
});
