// Budgets on the call itself rather than its text: cost in USD and latency in milliseconds.

import type { ScorerOutcome } from "./types.js";

/** An unknown cost (a model missing from the price table) cannot pass a budget: it is an error. */
export function checkCost(costUsd: number | undefined, maxUsd: number): ScorerOutcome {
  if (costUsd === undefined) {
    return { score: 0, pass: false, error: true, reason: "cost unknown: the model is not in the price table (add it under providers.prices)" };
  }
  const pass = costUsd <= maxUsd;
  return { score: pass ? 1 : 0, pass, reason: `cost $${formatUsd(costUsd)} (at most $${formatUsd(maxUsd)})` };
}

export function checkLatency(latencyMs: number, maxMs: number): ScorerOutcome {
  const pass = latencyMs <= maxMs;
  return { score: pass ? 1 : 0, pass, reason: `latency ${Math.round(latencyMs)} ms (at most ${maxMs} ms)` };
}

function formatUsd(value: number): string {
  return value.toFixed(6).replace(/0+$/, "").replace(/\.$/, ".00");
}
