// Base versus head for one prompt: each case's status and delta, the mean delta over cases
// scored on both sides with a paired confidence interval, and the cost and latency deltas.

import {
  FOLDED_ERRORED,
  FOLDED_PASS,
  FOLDED_SCORED,
  type CaseComparison,
  type CaseResult,
  type CaseStatus,
  type FoldedCases,
  type FoldedComparison,
  type PromptChange,
  type PromptComparison,
  type SideResult,
} from "./model.js";
import { ALPHA, INTERVAL_LEVEL } from "./decision.js";
import { caseErrored, isScored, mean, pairedBootstrap, pairedDeltas, seededRandom } from "./stats.js";

/** Score differences below this are float noise, not a change. */
const EPSILON = 1e-9;

export interface ComparePromptInput {
  promptId: string;
  path: string;
  previousPath?: string;
  change: PromptChange;
  base?: SideResult;
  head?: SideResult;
  /** Case ids of the base's golden set; ids missing from the head's are reported as removed. */
  baseCaseIds?: string[];
  /** Either side samples at a temperature above 0. */
  sampled?: boolean;
  /** The look of a prompt judged in stages (see adaptive.ts); its interval is at that look's level. */
  sequential?: PromptComparison["sequential"];
  /** Where each case is defined and its variables, for reports. */
  cases?: Map<string, { source: { file: string; line: number }; vars: Record<string, unknown> }>;
}

/**
 * Both sides run the head's golden set, so a case added in this pull request usually has a base
 * result too and is compared like any other (a regression on a new case is still a regression);
 * `new` means there is no base result at all (a new prompt, or a base that was not run).
 */
export function comparePrompt(input: ComparePromptInput): PromptComparison {
  const baseById = byId(input.base?.cases ?? []);
  const headById = byId(input.head?.cases ?? []);

  const headIds = new Set(headById.keys());
  const removedCases = (input.baseCaseIds ?? []).filter((id) => !headIds.has(id));

  const order = [...headById.keys()];
  for (const id of [...baseById.keys(), ...removedCases]) if (!headIds.has(id) && !order.includes(id)) order.push(id);

  const cases: CaseComparison[] = order.map((caseId) => {
    const comparison = compareCase(caseId, baseById.get(caseId), headById.get(caseId));
    const known = input.cases?.get(caseId);
    if (known) {
      comparison.source = known.source;
      comparison.vars = known.vars;
    }
    return comparison;
  });

  const folded = compareFolded(input.base?.folded, input.head?.folded);
  const comparison: PromptComparison = {
    promptId: input.promptId,
    path: input.path,
    change: input.change,
    cases,
    removedCases,
  };
  if (input.previousPath !== undefined) comparison.previousPath = input.previousPath;
  if (input.sampled) comparison.sampled = true;
  if (input.sequential) comparison.sequential = input.sequential;
  if (input.base) comparison.base = input.base;
  if (input.head) comparison.head = input.head;
  if (folded) comparison.folded = folded;

  const deltas = pairedDeltas(comparison);
  if (deltas.length > 0) {
    comparison.scoreDelta = mean(deltas);
    if (deltas.length >= 2) {
      // Seeded by the prompt id: the same results always print the same interval. Each end is the
      // one-sided bound the regression decision uses (see decision.ts).
      const level = input.sequential ? 1 - 2 * ALPHA * input.sequential.alphaShare : INTERVAL_LEVEL;
      comparison.interval = pairedBootstrap(deltas, { level, random: seededRandom(input.promptId) });
      comparison.withinNoise = comparison.interval.low <= EPSILON && comparison.interval.high >= -EPSILON;
    } else {
      // One paired case says nothing about noise: never sell it as a significant change.
      comparison.withinNoise = true;
    }
  }
  if (input.base && input.head) {
    comparison.costDeltaUsd = input.head.costUsd - input.base.costUsd;
    if (input.base.latencyP50Ms !== undefined && input.head.latencyP50Ms !== undefined) {
      comparison.latencyP50DeltaMs = input.head.latencyP50Ms - input.base.latencyP50Ms;
    }
  }
  return comparison;
}

/** Statuses and deltas of the folded pairs, as `compareCase` would give them; a folded case without its pair is new. */
function compareFolded(base: FoldedCases | undefined, head: FoldedCases | undefined): FoldedComparison | undefined {
  if (!head || head.count === 0) return undefined;
  const statuses: Partial<Record<CaseStatus, number>> = {};
  const deltas = new Float64Array(head.count);
  let paired = 0;
  const pairs = Math.min(head.count, base?.count ?? 0);
  for (let i = 0; i < head.count; i++) {
    const h = head.flags[i]!;
    const b = i < pairs ? base!.flags[i]! : undefined;
    let status: CaseStatus;
    if (h & FOLDED_ERRORED || (b !== undefined && b & FOLDED_ERRORED)) status = "error";
    else if (b === undefined) status = "new";
    else if ((b & FOLDED_SCORED) === 0 || (h & FOLDED_SCORED) === 0) status = "unchanged";
    else {
      const delta = head.score[i]! - base!.score[i]!;
      status = statusOf(delta, (b & FOLDED_PASS) !== 0, (h & FOLDED_PASS) !== 0);
      deltas[paired++] = Math.abs(delta) < EPSILON ? 0 : delta;
    }
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
  return { count: head.count, statuses, deltas: deltas.subarray(0, paired) };
}

function compareCase(caseId: string, base: CaseResult | undefined, head: CaseResult | undefined): CaseComparison {
  const comparison = (status: CaseStatus): CaseComparison => {
    const c: CaseComparison = { caseId, status };
    if (base) c.base = base;
    if (head) c.head = head;
    return c;
  };
  if (!head) return comparison("removed");
  // An unreachable provider is not the prompt's fault: neither a regression nor an improvement.
  if (caseErrored(head) || (base && caseErrored(base))) return comparison("error");
  if (!base) return comparison("new");
  if (!isScored(base) || !isScored(head)) return comparison("unchanged");
  const delta = head.score - base.score;
  const result = comparison(statusOf(delta, base.pass, head.pass));
  result.delta = Math.abs(delta) < EPSILON ? 0 : delta;
  return result;
}

function statusOf(delta: number, basePass: boolean, headPass: boolean): CaseStatus {
  if (Math.abs(delta) < EPSILON) {
    if (basePass === headPass) return "unchanged";
    return headPass ? "improved" : "regressed";
  }
  return delta > 0 ? "improved" : "regressed";
}

function byId(results: CaseResult[]): Map<string, CaseResult> {
  const map = new Map<string, CaseResult>();
  for (const r of results) if (!map.has(r.caseId)) map.set(r.caseId, r);
  return map;
}
