// The audit log: one event per tagged prompt version (from the tags' audit records), per
// promotion (from the merges that moved a pin) and per drift found or ended (from the drift
// issues' records), exported as JSON Lines, CSV or JSON. The same input always gives the same
// output: events are sorted and every event has every key.

import type { AuditRecord } from "../versions/audit.js";
import type { PinChange } from "./changes.js";
import { driftRowKey, type DriftRecord, type DriftRecordRow } from "./drift-record.js";

export const AUDIT_SCHEMA_VERSION = 1;

export type AuditAction = "prompt.tagged" | "env.promoted" | "env.unpinned" | "drift.detected" | "drift.resolved";
export type AuditSource = "app" | "action" | "cli" | "github";

export interface AuditEvent {
  schema: number;
  /** ISO 8601. */
  time: string;
  source: AuditSource;
  actor: string;
  action: AuditAction;
  repo: string | null;
  pr: number | null;
  baseSha: string | null;
  headSha: string | null;
  prompt: { id: string; version: string | null; path: string | null; sha256: string | null } | null;
  eval: { model: string | null; baseScore: number | null; headScore: number | null; delta: number | null; interval: [number, number] | null; verdict: string } | null;
  /** Who approved, and the commit each approval was given on (null when the record does not say). */
  approvals: { login: string; commit: string | null }[];
  environment: { from: string | null; to: string; previousVersion: string | null } | null;
  /**
   * The drift a `drift.detected` found, or the one a `drift.resolved` ended: its state, what the
   * service reported it runs, and the issue that tracks it.
   */
  drift: { state: string; deployed: { version: string; sha256: string | null } | null; detail: string; issue: number | null } | null;
}

/** A `prompt.tagged` event from a tag's audit record. */
export function taggedEvent(record: AuditRecord, repo: string | null): AuditEvent {
  const { base, head } = record.scores;
  return {
    schema: AUDIT_SCHEMA_VERSION,
    time: record.createdAt,
    source: record.source ?? "github",
    actor: record.mergedBy ?? record.author,
    action: "prompt.tagged",
    repo,
    pr: record.pr?.number ?? null,
    baseSha: record.baseSha ?? null,
    headSha: record.mergeCommitSha,
    prompt: { id: record.promptId, version: record.version, path: record.path, sha256: record.contentSha256 },
    eval: {
      model: record.model ?? null,
      baseScore: base ?? null,
      headScore: head ?? null,
      delta: base !== undefined && head !== undefined ? round(head - base) : null,
      interval: record.interval ? [record.interval.low, record.interval.high] : null,
      verdict: record.verdict,
    },
    approvals: record.approvals
      ? record.approvals.map((a) => ({ login: a.login, commit: a.commitSha ?? null }))
      : record.approvers.map((login) => ({ login, commit: null })),
    environment: null,
    drift: null,
  };
}

/** A merge that moved pins: who merged it, when, and from which pull request. */
export interface PinMerge {
  time: string;
  actor: string;
  commit: string;
  parent: string | null;
  pr: number | null;
  source: AuditSource;
  changes: readonly PinChange[];
  /** `promoteFrom` of each environment in the merged file. */
  promoteFrom: ReadonlyMap<string, string>;
  /** Content hash of each moved pin's tag, by `environment\0promptId`, when known. */
  sha256?: ReadonlyMap<string, string>;
  approvals?: { login: string; commit: string | null }[];
}

/** One `env.promoted` (or `env.unpinned`) event per moved pin. */
export function promotionEvents(merge: PinMerge, repo: string | null): AuditEvent[] {
  return merge.changes.map((c) => ({
    schema: AUDIT_SCHEMA_VERSION,
    time: merge.time,
    source: merge.source,
    actor: merge.actor,
    action: c.to === undefined ? "env.unpinned" : "env.promoted",
    repo,
    pr: merge.pr,
    baseSha: merge.parent,
    headSha: merge.commit,
    prompt: { id: c.promptId, version: c.to ?? null, path: null, sha256: merge.sha256?.get(`${c.environment}\0${c.promptId}`) ?? null },
    eval: null,
    approvals: merge.approvals ?? [],
    environment: { from: merge.promoteFrom.get(c.environment) ?? null, to: c.environment, previousVersion: c.from ?? null },
    drift: null,
  }));
}

/** One drift issue as read back: its number, who wrote its records, and the records in order. */
export interface DriftIssueRecords {
  issue: number;
  /** The login that wrote the records (the issue's author: the App or the Action). */
  actor: string;
  records: readonly DriftRecord[];
}

/**
 * The drift issue's snapshots turned into events: a prompt that starts drifting, or whose drift
 * changes (another state, version or hash), is `drift.detected`; one that stops drifting (or is
 * in the closing snapshot's environment, back in sync) is `drift.resolved`.
 */
export function driftEvents(issue: DriftIssueRecords, repo: string | null): AuditEvent[] {
  const events: AuditEvent[] = [];
  const ordered = issue.records.map((r, i) => ({ r, i })).sort((a, b) => Date.parse(a.r.checkedAt) - Date.parse(b.r.checkedAt) || a.i - b.i);
  let previous = new Map<string, DriftRecordRow>();
  for (const { r: record } of ordered) {
    const current = new Map(record.rows.map((row) => [row.promptId, row]));
    const event = (action: "drift.detected" | "drift.resolved", row: DriftRecordRow): AuditEvent => ({
      schema: AUDIT_SCHEMA_VERSION,
      time: record.checkedAt,
      source: record.source ?? "github",
      actor: issue.actor,
      action,
      repo,
      pr: null,
      baseSha: null,
      headSha: record.sha,
      prompt: { id: row.promptId, version: row.pinned ?? null, path: null, sha256: row.expectedSha256 ?? null },
      eval: null,
      approvals: [],
      environment: { from: null, to: record.environment, previousVersion: null },
      drift: {
        state: row.state,
        deployed: row.deployed ? { version: row.deployed.version, sha256: row.deployed.sha256 ?? null } : null,
        detail: row.detail,
        issue: issue.issue,
      },
    });
    for (const row of current.values()) {
      const before = previous.get(row.promptId);
      if (!before || driftRowKey(before) !== driftRowKey(row)) events.push(event("drift.detected", row));
    }
    for (const [id, row] of previous) if (!current.has(id)) events.push(event("drift.resolved", row));
    previous = current;
  }
  return events;
}


/** Events at or after `since` (ISO date or date-time), in the log's stable order. */
export function auditLog(events: readonly AuditEvent[], since?: string): AuditEvent[] {
  const from = since !== undefined ? Date.parse(since) : undefined;
  return events
    .filter((e) => from === undefined || Date.parse(e.time) >= from)
    .sort(
      (a, b) =>
        Date.parse(a.time) - Date.parse(b.time) ||
        compare(a.action, b.action) ||
        compare(a.environment?.to ?? "", b.environment?.to ?? "") ||
        compare(a.prompt?.id ?? "", b.prompt?.id ?? "") ||
        compare(a.prompt?.version ?? "", b.prompt?.version ?? "") ||
        compare(a.headSha ?? "", b.headSha ?? "") ||
        (a.drift?.issue ?? 0) - (b.drift?.issue ?? 0),
    );
}

export type AuditFormat = "jsonl" | "csv" | "json";

export const AUDIT_COLUMNS = ["schema", "time", "source", "actor", "action", "repo", "pr", "baseSha", "headSha", "prompt", "eval", "approvals", "environment", "drift"] as const;

export function formatAuditLog(events: readonly AuditEvent[], format: AuditFormat): string {
  switch (format) {
    case "jsonl":
      return events.map((e) => `${JSON.stringify(ordered(e))}\n`).join("");
    case "json":
      return `${JSON.stringify(events.map(ordered), null, 2)}\n`;
    case "csv": {
      // RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break;
      // nested fields are JSON cells, null is an empty cell.
      const cell = (v: unknown) => {
        const text = v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
        return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
      };
      const rows = [AUDIT_COLUMNS.join(","), ...events.map((e) => AUDIT_COLUMNS.map((c) => cell(e[c])).join(","))];
      return `${rows.join("\r\n")}\r\n`;
    }
  }
}

function ordered(e: AuditEvent): AuditEvent {
  return Object.fromEntries(AUDIT_COLUMNS.map((c) => [c, e[c]])) as unknown as AuditEvent;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
