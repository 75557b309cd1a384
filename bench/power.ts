// `npm run bench:power`: how often the review's verdict is right, measured by simulation. A seeded
// stochastic model answers each case right with a given accuracy (temperature > 0: every sample
// is a fresh draw); the real comparison and gate code judge base against head, many times per
// scenario. Not a test: it prints the table the README's "How score deltas are judged" quotes.
//   POWER_RUNS (default 200) runs per scenario; POWER_CASES (default 100) golden cases.

import { DEFAULT_CONFIG } from "../src/core/config/model.js";
import { comparePrompt } from "../src/core/eval/compare.js";
import { decideVerdict } from "../src/core/eval/gates.js";
import type { CaseResult, Conclusion, PromptComparison, Side } from "../src/core/eval/model.js";
import { seededRandom, summarizeSide } from "../src/core/eval/stats.js";

const RUNS = Number(process.env.POWER_RUNS ?? 200);
const CASES = Number(process.env.POWER_CASES ?? 100);

interface Scenario {
  name: string;
  base: number;
  head: number;
  prompts: number;
  repeats: number;
  /** Which conclusions count as the right answer, and which as the wrong one. */
  good: Conclusion[];
  bad: Conclusion[];
  target: string;
}

/** One side's results: each case's score is the share of its samples that were right. */
function side(side: Side, accuracy: number, repeats: number, random: () => number): CaseResult[] {
  return Array.from({ length: CASES }, (_, i) => {
    let passes = 0;
    for (let r = 0; r < repeats; r++) if (random() < accuracy) passes++;
    const score = passes / repeats;
    return {
      caseId: `c${i}`, side, output: "", scores: [{ name: "exact", score, pass: passes === repeats, weight: 1 }], score,
      pass: passes === repeats, passes, repeats, usage: { input: 0, output: 0 }, costUsd: 0, latencyMs: 0,
    };
  });
}

function review(s: Scenario, run: number): Conclusion {
  const random = seededRandom(`${s.name}#${run}`);
  const comparisons: PromptComparison[] = Array.from({ length: s.prompts }, (_, p) => {
    const path = `prompts/p${p}.prompt.yml`;
    return comparePrompt({
      promptId: `p${p}-${run}`,
      path,
      change: "modified",
      sampled: true,
      base: summarizeSide("base", path, side("base", s.base, s.repeats, random)),
      head: summarizeSide("head", path, side("head", s.head, s.repeats, random)),
    });
  });
  return decideVerdict(comparisons, DEFAULT_CONFIG.gates, { lintErrors: 0 }).conclusion;
}

const scenarios: Scenario[] = [
  { name: "harmless, 1 sample", base: 0.8, head: 0.8, prompts: 1, repeats: 1, good: ["success"], bad: ["failure"], target: "red <= 5%" },
  { name: "harmless, 10 prompts, 1 sample", base: 0.8, head: 0.8, prompts: 10, repeats: 1, good: ["success"], bad: ["failure"], target: "red <= 5%" },
  { name: "10-point drop, 1 sample", base: 0.8, head: 0.7, prompts: 1, repeats: 1, good: ["failure"], bad: ["success"], target: "red >= 90%, green <= 10%" },
  { name: "20-point drop, 1 sample", base: 0.8, head: 0.6, prompts: 1, repeats: 1, good: ["failure"], bad: ["success"], target: "" },
  { name: "harmless, 3 samples", base: 0.8, head: 0.8, prompts: 1, repeats: 3, good: ["success"], bad: ["failure"], target: "red <= 5%" },
  { name: "10-point drop, 3 samples", base: 0.8, head: 0.7, prompts: 1, repeats: 3, good: ["failure"], bad: ["success"], target: "" },
  { name: "10-point drop, 8 samples", base: 0.8, head: 0.7, prompts: 1, repeats: 8, good: ["failure"], bad: ["success"], target: "" },
  { name: "harmless, 8 samples", base: 0.8, head: 0.8, prompts: 1, repeats: 8, good: ["success"], bad: ["failure"], target: "red <= 5%" },
];

const pct = (n: number) => `${Math.round((n / RUNS) * 1000) / 10}%`.padStart(6);
console.log(`${RUNS} runs per scenario, ${CASES} cases, default gates (maxRegression ${DEFAULT_CONFIG.gates.maxRegression}, onInconclusive ${DEFAULT_CONFIG.gates.onInconclusive})\n`);
console.log(`${"scenario".padEnd(34)} ${"red".padStart(6)} ${"neutral".padStart(7)} ${"green".padStart(6)}  requests/single pass  target`);
for (const s of scenarios) {
  const counts: Record<Conclusion, number> = { success: 0, failure: 0, neutral: 0 };
  for (let run = 0; run < RUNS; run++) counts[review(s, run)]++;
  console.log(`${s.name.padEnd(34)} ${pct(counts.failure)} ${pct(counts.neutral).padStart(7)} ${pct(counts.success)}  ${String(s.repeats).padStart(20)}×  ${s.target}`);
}
