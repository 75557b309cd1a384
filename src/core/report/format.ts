// Number, delta and label formatting shared by every report, so a score or a cost reads the
// same in the comment, the check run and the terminal.

import type { CaseComparison, CaseStatus, Conclusion, ConfidenceInterval, DeltaJudgement, PromptComparison, SideResult, Verdict } from "../eval/model.js";
import type { Severity } from "../diagnostics.js";

/** U+2212, the typographic minus: lines up with `+` in tables. */
export const MINUS = "\u2212";

export const CONCLUSION_EMOJI: Record<Conclusion, string> = { success: "✅", failure: "❌", neutral: "⚪" };

/** The verdict's mark: a success no gate judged ("no gates configured") gets no check mark. */
export function verdictEmoji(verdict: Verdict): string {
  return verdict.ungated ? CONCLUSION_EMOJI.neutral : CONCLUSION_EMOJI[verdict.conclusion];
}
export const SEVERITY_EMOJI: Record<Severity, string> = { error: "❌", warning: "⚠️", notice: "ℹ️" };
export const STATUS_EMOJI: Record<CaseStatus, string> = {
  regressed: "🔻",
  improved: "🔺",
  new: "🆕",
  error: "⚠️",
  removed: "🗑️",
  unchanged: "▫️",
};

/** Order in which changed cases are shown: what needs attention first. */
export const STATUS_ORDER: CaseStatus[] = ["regressed", "improved", "new", "error"];

function sign(value: number): string {
  return value > 0 ? "+" : value < 0 ? MINUS : "";
}

/** A 0..1 score with two decimals, or `—` when there is none. */
export function formatScore(score: number | undefined): string {
  return score === undefined || Number.isNaN(score) ? "—" : score.toFixed(2);
}

/** `+0.12`, `−0.05`, `0.00`: the sign follows the rounded value, so `−0.00` never shows. */
export function formatDelta(delta: number | undefined, digits = 2): string {
  if (delta === undefined || Number.isNaN(delta)) return "—";
  const rounded = Number(delta.toFixed(digits));
  return `${sign(rounded)}${Math.abs(rounded).toFixed(digits)}`;
}

/** `▲ +0.12`, `▼ −0.11 [−0.23, 0.00]`: the delta with its interval when there is one. */
export function formatScoreDelta(delta: number | undefined, interval?: ConfidenceInterval): string {
  if (delta === undefined || Number.isNaN(delta)) return "—";
  const text = formatDelta(delta);
  const rounded = Number(delta.toFixed(2));
  const arrow = rounded > 0 ? "▲ " : rounded < 0 ? "▼ " : "";
  return `${arrow}${text}${interval ? ` ${formatInterval(interval)}` : ""}`;
}

/** `[−0.23, 0.00]` */
export function formatInterval(interval: ConfidenceInterval): string {
  return `[${formatDelta(interval.low)}, ${formatDelta(interval.high)}]`;
}

/** The word a reviewer reads for a prompt's delta judgement. */
export const OUTCOME_LABEL: Record<DeltaJudgement["outcome"], string> = {
  regression: "regression",
  "no-regression": "no regression shown",
  inconclusive: "inconclusive",
};

/** `100 cases × 1 sample: a drop smaller than ≈ 0.17 may go unseen` */
export function detectableDropLine(j: DeltaJudgement): string {
  const samples = `${j.repeats} sample${j.repeats === 1 ? "" : "s"}`;
  return `${j.cases} case${j.cases === 1 ? "" : "s"} × ${samples}: a drop smaller than ≈ ${j.minDetectableDrop.toFixed(2)} may go unseen`;
}

/** `90%`; whole percents unless that would hide a difference from 100 %. */
export function formatPercent(rate: number | undefined): string {
  if (rate === undefined || Number.isNaN(rate)) return "—";
  const pct = rate * 100;
  const whole = Math.round(pct);
  if (whole === 100 && pct < 100) return `${pct.toFixed(1)}%`;
  return `${whole}%`;
}

export function formatPassRate(base: SideResult | undefined, head: SideResult | undefined): string {
  if (!base && !head) return "—";
  if (!base) return formatPercent(head?.passRate);
  if (!head) return `${formatPercent(base.passRate)} → —`;
  return `${formatPercent(base.passRate)} → ${formatPercent(head.passRate)}`;
}

function usdDigits(abs: number): number {
  if (abs >= 1) return 2;
  if (abs >= 0.01) return 3;
  // Two significant digits for sub-cent amounts (per-case costs are often a few 1e-5 USD).
  return Math.min(6, Math.max(4, 1 - Math.floor(Math.log10(abs))));
}

/** `$0.0012`, `$1.25`: precision that keeps small per-case costs visible. */
export function formatUsd(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return "—";
  const abs = Math.abs(value);
  if (abs === 0) return "$0.00";
  if (abs < 0.000001) return "<$0.000001";
  return `$${abs.toFixed(usdDigits(abs))}`;
}

/** `+$0.0012`, `−$0.25`, `$0.00`. */
export function formatUsdDelta(delta: number | undefined): string {
  if (delta === undefined || Number.isNaN(delta)) return "—";
  if (Math.abs(delta) < 0.000001) return delta === 0 ? "$0.00" : `${sign(delta)}<$0.000001`;
  return `${sign(delta)}${formatUsd(delta)}`;
}

export function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** `1,234 ms`. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return "—";
  const rounded = Math.round(ms);
  return `${rounded < 0 ? MINUS : ""}${groupThousands(Math.abs(rounded))} ms`;
}

/** `+120 ms`, `−35 ms`, `0 ms`. */
export function formatMsDelta(delta: number | undefined): string {
  if (delta === undefined || Number.isNaN(delta)) return "—";
  const rounded = Math.round(delta);
  return `${sign(rounded)}${groupThousands(Math.abs(rounded))} ms`;
}

/** `12.3 s` for durations of a whole review. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A 40-hex SHA is shortened to 7 characters; branch names are kept. */
export function shortRef(ref: string): string {
  return /^[0-9a-f]{40}$/i.test(ref) ? ref.slice(0, 7) : ref;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** Changed cases in reading order: regressed (worst first), improved (best first), new, error. */
export function changedCases(comparison: PromptComparison): CaseComparison[] {
  const rank = (c: CaseComparison) => STATUS_ORDER.indexOf(c.status);
  return comparison.cases
    .filter((c) => STATUS_ORDER.includes(c.status))
    .sort((a, b) => {
      const byStatus = rank(a) - rank(b);
      if (byStatus !== 0) return byStatus;
      const da = a.delta ?? 0;
      const db = b.delta ?? 0;
      const byDelta = a.status === "improved" ? db - da : da - db;
      return byDelta !== 0 ? byDelta : a.caseId.localeCompare(b.caseId);
    });
}

/** Ids removed from the golden set, whether the comparison lists them or marks the case. */
export function removedCaseIds(comparison: PromptComparison): string[] {
  const ids = new Set(comparison.removedCases);
  for (const c of comparison.cases) if (c.status === "removed") ids.add(c.caseId);
  return [...ids].sort((a, b) => a.localeCompare(b));
}

/** Files that belong to a prompt: its path (both sides) and its golden files. */
export function promptFiles(comparison: PromptComparison): Set<string> {
  const files = new Set<string>([comparison.path]);
  if (comparison.previousPath) files.add(comparison.previousPath);
  if (comparison.base) files.add(comparison.base.promptPath);
  if (comparison.head) files.add(comparison.head.promptPath);
  for (const c of comparison.cases) if (c.source) files.add(c.source.file);
  return files;
}
