// Drift shown to people: a terminal table for `promptops drift`, and the Markdown body of the
// one issue per environment the scheduled check keeps. Everything a service reported is
// escaped: it is data, not Markdown.

import { escapeInline, inlineCode } from "../report/escape.js";
import { isDrift, type EnvironmentDrift } from "./drift.js";
import { renderDriftRecord, type DriftRecord } from "./drift-record.js";

const short = (sha: string | undefined) => (sha === undefined ? "—" : sha.slice(0, 12));

export function renderDriftText(drifts: readonly EnvironmentDrift[]): string {
  const lines: string[] = [];
  for (const env of drifts) {
    lines.push(`${env.environment}: ${env.status}${env.source ? ` (deployed report: ${env.source})` : " (no deployed source: pins and tags only)"}`);
    if (env.rows.length === 0) lines.push("  no pins");
    for (const row of env.rows) {
      const deployed = row.deployed ? `${row.deployed.version} ${short(row.deployed.sha256)}` : "—";
      lines.push(`  ${row.state.padEnd(16)} ${row.promptId}  pinned ${row.pinned ?? "—"}  deployed ${deployed}  ${row.detail}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The label of every drift issue: how the scheduled check and the audit log find them. */
export const DRIFT_ISSUE_LABEL = "promptops:drift";

/** Marker of the drift issue of `environment`, so the scheduled check finds its own issue again. */
export function driftIssueMarker(environment: string): string {
  return `<!-- promptops:drift:${encodeURIComponent(environment)} -->`;
}

export function driftIssueTitle(environment: string): string {
  return `Prompt drift in ${environment}`;
}

/**
 * `history`: every change of this environment's drift while the issue is open, oldest first
 * (see drift-record.ts), kept in the body as hidden blocks for the audit log.
 */
/**
 * Rows the issue's table shows: with the hidden records (every row, in full) the description must
 * stay within GitHub's 65,536 characters however many prompts drift.
 */
export const DRIFT_TABLE_ROWS = 50;

export function renderDriftIssue(env: EnvironmentDrift, pinsFile: string, checkedAt: string, history: readonly DriftRecord[] = []): string {
  const drifting = env.rows.filter((r) => isDrift(r.state));
  const rows = drifting.slice(0, DRIFT_TABLE_ROWS);
  const table = [
    "| Prompt | State | Pinned | Deployed | Expected sha256 | Deployed sha256 | Detail |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map((r) =>
      [
        inlineCode(r.promptId, { table: true }),
        r.state,
        r.pinned !== undefined ? inlineCode(r.pinned, { table: true }) : "—",
        r.deployed ? inlineCode(r.deployed.version, { table: true, maxLength: 64 }) : "—",
        short(r.expectedSha256),
        r.deployed ? inlineCode(short(r.deployed.sha256), { table: true }) : "—",
        escapeInline(r.detail, { maxLength: 160 }),
      ].join(" | "),
    ).map((line) => `| ${line} |`),
    ...(drifting.length > rows.length ? ["", `…and ${drifting.length - rows.length} more drifting prompts (all in ${inlineCode(`promptops drift --env ${env.environment}`)} and the audit log).`] : []),
  ];
  return [
    driftIssueMarker(env.environment),
    `**${escapeInline(env.environment)}** does not run what ${inlineCode(pinsFile)} pins (${env.status}).`,
    "",
    env.source ? `Deployed report: ${inlineCode(env.source, { maxLength: 200 })}` : "",
    "",
    ...table,
    "",
    `Last checked ${checkedAt}. This issue is updated by every scheduled drift check and closed when the environment is back in sync.`,
    "",
    ...history.map((record) => `${renderDriftRecord(record)}\n`),
  ].join("\n");
}

/** The closing comment; `record` (the in-sync snapshot) is the audit log's `drift.resolved`. */
export function renderDriftResolved(env: EnvironmentDrift, checkedAt: string, record?: DriftRecord): string {
  const text = `${escapeInline(env.environment)} is back in sync (checked ${checkedAt}): every pinned prompt runs its tagged content. Closing.`;
  return record ? `${text}\n\n${renderDriftRecord(record)}\n` : text;
}
