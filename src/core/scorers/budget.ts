// Budgets on the call itself rather than its text: cost in USD and latency in milliseconds.

import type { ScorerOutcome } from "./types.js";

export function checkCost(costUsd: number, maxUsd: number): ScorerOutcome {
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
