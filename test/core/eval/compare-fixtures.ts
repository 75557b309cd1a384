// Builds CaseResults as the runner produces them, for the comparison, statistics and gate tests.

import type { CaseResult, Side } from "../../../src/core/eval/model.js";

export interface CaseSpec {
  score?: number;
  pass?: boolean;
  error?: string;
  judgeError?: boolean;
  unscored?: boolean;
  costUsd?: number;
  latencyMs?: number;
}

export function caseResult(side: Side, caseId: string, spec: CaseSpec = {}): CaseResult {
  const score = spec.score ?? 1;
  const pass = spec.pass ?? score >= 0.5;
  if (spec.error) {
    return {
      caseId, side, output: "", error: { kind: "network", message: spec.error }, scores: [], score: 0, pass: false,
      passes: 0, repeats: 1, usage: { input: 0, output: 0 }, costUsd: 0, latencyMs: 0,
    };
  }
  const scores = spec.unscored
    ? []
    : spec.judgeError
      ? [{ name: "judge", score: 0, pass: false, weight: 1, reason: "judge failed: 503", error: true }]
      : [{ name: "check", score, pass, weight: 1 }];
  return {
    caseId, side, output: `output of ${caseId}`, scores, score: spec.unscored || spec.judgeError ? 0 : score, pass: spec.unscored || spec.judgeError ? false : pass,
    passes: pass ? 1 : 0, repeats: 1, usage: { input: 100, output: 20 }, costUsd: spec.costUsd ?? 0.001, latencyMs: spec.latencyMs ?? 500,
  };
}
