// `npm run bench:power`: how often the review's verdict is right, and what it costs, measured by
// simulation. A seeded stochastic model answers each sample right with a given accuracy
// (temperature > 0: every sample is a fresh draw); the real stage logic of adaptive repeats
// (adaptRepeats), comparison and gates judge base against head, many times per scenario. Not a
// test: it prints the table the README's "How score deltas are judged" quotes.
//   POWER_RUNS (default 400) runs per scenario; POWER_CASES (default 100) golden cases.

import { DEFAULT_CONFIG, type GateConfig } from "../src/core/config/model.js";
import { addSamples, adaptRepeats, planLooks, type AdaptivePrompt } from "../src/core/eval/adaptive.js";
import { comparePrompt } from "../src/core/eval/compare.js";
import { decideVerdict } from "../src/core/eval/gates.js";
import type { CaseResult, Conclusion, Side } from "../src/core/eval/model.js";
import { seededRandom, summarizeSide } from "../src/core/eval/stats.js";

const RUNS = Number(process.env.POWER_RUNS ?? 400);
const CASES = Number(process.env.POWER_CASES ?? 100);

interface Scenario {
  name: string;
  base: number;
  head: number;
  prompts: number;
  /** Samples per case in the first pass (`providers.repeats`). */
  repeats: number;
  adaptive: boolean;
  maxRepeats?: number;
  cases?: number;
  /** Only the first prompt changes; the others are harmless (same accuracy on both sides). */
  onlyFirst?: boolean;
  /** Which conclusion is the wrong answer, and the target for the scenario. */
  target: string;
}

/** `samples` fresh draws of one case: its score is the share that were right. */
function sample(side: Side, caseId: string, accuracy: number, samples: number, random: () => number): CaseResult {
  let passes = 0;
  let first = false;
  for (let r = 0; r < samples; r++) {
    const right = random() < accuracy;
    if (r === 0) first = right;
    if (right) passes++;
  }
  const score = passes / samples;
  return {
    caseId, side, output: "", scores: [{ name: "exact", score: first ? 1 : 0, pass: first, weight: 1 }], score,
    pass: passes === samples, passes, repeats: samples, usage: { input: 0, output: 0 }, costUsd: 0, latencyMs: 0,
  };
}

async function review(s: Scenario, run: number): Promise<{ conclusion: Conclusion; requests: number }> {
  const random = seededRandom(`${s.name}#${run}`);
  const cases = s.cases ?? CASES;
  const gates: GateConfig = { ...DEFAULT_CONFIG.gates, ...(s.maxRepeats ? { maxRepeats: s.maxRepeats } : {}) };
  const looks = s.adaptive ? planLooks(s.repeats, gates.maxRepeats) : [{ repeats: s.repeats, alphaShare: 1 }];
  const ids = Array.from({ length: cases }, (_, i) => `c${i}`);
  const sides = new Map<string, { base: CaseResult[]; head: CaseResult[] }>();
  const prompts: AdaptivePrompt[] = [];
  let requests = 0;
  const headAccuracy = new Map<string, number>();
  for (let p = 0; p < s.prompts; p++) {
    const promptId = `p${p}-${run}`;
    headAccuracy.set(promptId, s.onlyFirst && p > 0 ? s.base : s.head);
    sides.set(promptId, {
      base: ids.map((id) => sample("base", id, s.base, s.repeats, random)),
      head: ids.map((id) => sample("head", id, headAccuracy.get(promptId)!, s.repeats, random)),
    });
    requests += 2 * cases * s.repeats;
    prompts.push({ promptId, resampled: ids, looks });
  }
  const comparisons = await adaptRepeats({
    prompts,
    gates,
    compare: (index, sequential) => {
      const promptId = prompts[index]!.promptId;
      const { base, head } = sides.get(promptId)!;
      const path = `prompts/${promptId}.prompt.yml`;
      return comparePrompt({
        promptId, path, change: "modified", sampled: true,
        ...(sequential ? { sequential } : {}),
        base: summarizeSide("base", path, base),
        head: summarizeSide("head", path, head),
      });
    },
    resample: async (stage) => {
      for (const r of stage) {
        const both = sides.get(r.promptId)!;
        const extra = r.toRepeat - r.fromRepeat;
        const wanted = new Set(r.caseIds);
        both.base = both.base.map((c) => (wanted.has(c.caseId) ? addSamples(c, sample("base", c.caseId, s.base, extra, random)) : c));
        both.head = both.head.map((c) => (wanted.has(c.caseId) ? addSamples(c, sample("head", c.caseId, headAccuracy.get(r.promptId)!, extra, random)) : c));
        requests += 2 * r.caseIds.length * extra;
      }
    },
  });
  return { conclusion: decideVerdict(comparisons, gates, { lintErrors: 0 }).conclusion, requests: requests / (2 * cases * s.prompts) };
}

const ONLY = process.env.POWER_ONLY?.split(",");
const scenarios: Scenario[] = ([
  { name: "harmless", base: 0.8, head: 0.8, prompts: 1, repeats: 1, adaptive: true, target: "red <= 5%" },
  { name: "harmless, 10 prompts", base: 0.8, head: 0.8, prompts: 10, repeats: 1, adaptive: true, target: "red <= 5%" },
  { name: "10-point drop", base: 0.8, head: 0.7, prompts: 1, repeats: 1, adaptive: true, target: "red >= 90%, green <= 10%" },
  { name: "20-point drop", base: 0.8, head: 0.6, prompts: 1, repeats: 1, adaptive: true, target: "" },
  { name: "5-point drop", base: 0.8, head: 0.75, prompts: 1, repeats: 1, adaptive: true, target: "" },
  { name: "10-point drop, 1 of 10 prompts", base: 0.8, head: 0.7, prompts: 10, repeats: 1, adaptive: true, onlyFirst: true, target: "" },
  { name: "harmless, adaptive off", base: 0.8, head: 0.8, prompts: 1, repeats: 1, adaptive: false, target: "red <= 5%" },
  { name: "10-point drop, adaptive off", base: 0.8, head: 0.7, prompts: 1, repeats: 1, adaptive: false, target: "" },
  { name: "10-point drop, 4 fixed repeats", base: 0.8, head: 0.7, prompts: 1, repeats: 4, adaptive: false, target: "" },
] as Scenario[]).filter((s) => !ONLY || ONLY.includes(s.name));

const pct = (n: number) => `${(Math.round((n / RUNS) * 1000) / 10).toFixed(1)}%`.padStart(6);
const looks = planLooks(1, DEFAULT_CONFIG.gates.maxRepeats);
console.log(
  `${RUNS} runs per scenario, ${CASES} cases, accuracy 0.80 on base, default gates (maxRegression ${DEFAULT_CONFIG.gates.maxRegression}, ` +
    `onInconclusive ${DEFAULT_CONFIG.gates.onInconclusive}, maxRepeats ${DEFAULT_CONFIG.gates.maxRepeats}: looks at ${looks.map((l) => l.repeats).join(" → ")} samples, ` +
    `alpha shares ${looks.map((l) => l.alphaShare.toFixed(2)).join(" / ")})\n`,
);
console.log(`${"scenario".padEnd(32)} ${"red".padStart(6)} ${"neutral".padStart(7)} ${"green".padStart(6)}  ${"requests / single pass".padStart(22)}  target`);
for (const s of scenarios) {
  const counts: Record<Conclusion, number> = { success: 0, failure: 0, neutral: 0 };
  let requests = 0;
  for (let run = 0; run < RUNS; run++) {
    const outcome = await review(s, run);
    counts[outcome.conclusion]++;
    requests += outcome.requests;
  }
  const mean = `${(requests / RUNS).toFixed(2)}×`;
  console.log(`${s.name.padEnd(32)} ${pct(counts.failure)} ${pct(counts.neutral).padStart(7)} ${pct(counts.success)}  ${mean.padStart(22)}  ${s.target}`);
}
