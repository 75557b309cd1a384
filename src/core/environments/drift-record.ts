// The drift issue's machine-readable record: each scheduled check that finds the drift changed
// leaves a snapshot (what drifts, at which commit, when) in the issue, hidden from readers; the
// check that closes the issue leaves an empty one. The audit log reads the snapshots back and
// turns their differences into `drift.detected` and `drift.resolved` events.

import { Ajv, type JSONSchemaType, type ValidateFunction } from "ajv";
import { isDrift, type DriftState, type EnvironmentDrift, type EnvironmentStatus } from "./drift.js";

export interface DriftRecordRow {
  promptId: string;
  state: DriftState;
  pinned?: string;
  expectedSha256?: string;
  deployed?: { version: string; sha256?: string };
  detail: string;
}

export interface DriftRecord {
  environment: string;
  status: EnvironmentStatus;
  /** ISO 8601: when the check ran. */
  checkedAt: string;
  /** The commit whose pins were checked. */
  sha: string;
  /** Who ran the check. */
  source?: "app" | "action";
  /** The drifting prompts only; empty once the environment is back in sync. */
  rows: DriftRecordRow[];
}

const BEGIN = "<!-- promptops:drift-record";
const END = "-->";

const schema: JSONSchemaType<DriftRecord> = {
  type: "object",
  required: ["environment", "status", "checkedAt", "sha", "rows"],
  properties: {
    environment: { type: "string" },
    status: { type: "string", enum: ["in-sync", "drift", "unreachable"] },
    checkedAt: { type: "string" },
    sha: { type: "string" },
    source: { type: "string", nullable: true, enum: ["app", "action"] },
    rows: {
      type: "array",
      items: {
        type: "object",
        required: ["promptId", "state", "detail"],
        properties: {
          promptId: { type: "string" },
          state: { type: "string", enum: ["in-sync", "pending-rollout", "unpinned-deploy", "hash-mismatch", "tag-missing", "tag-moved", "unreachable", "behind"] },
          pinned: { type: "string", nullable: true },
          expectedSha256: { type: "string", nullable: true },
          deployed: {
            type: "object",
            nullable: true,
            required: ["version"],
            properties: { version: { type: "string" }, sha256: { type: "string", nullable: true } },
          },
          detail: { type: "string" },
        },
      },
    },
  },
};

let validator: ValidateFunction<DriftRecord> | undefined;
const validate = (data: unknown): data is DriftRecord => (validator ??= new Ajv({ allErrors: false }).compile(schema))(data);

/** The snapshot of one check: the drifting rows, in the check's order. */
const DETAIL_CHARS = 120;

export function driftRecordOf(drift: EnvironmentDrift, at: { checkedAt: string; sha: string; source?: "app" | "action" }): DriftRecord {
  return {
    environment: drift.environment,
    status: drift.status,
    checkedAt: at.checkedAt,
    sha: at.sha,
    ...(at.source !== undefined && { source: at.source }),
    rows: drift.rows
      .filter((r) => isDrift(r.state))
      .map((r) => ({
        promptId: r.promptId,
        state: r.state,
        ...(r.pinned !== undefined && { pinned: r.pinned }),
        ...(r.expectedSha256 !== undefined && { expectedSha256: r.expectedSha256 }),
        ...(r.deployed && { deployed: { version: r.deployed.version, ...(r.deployed.sha256 !== undefined && { sha256: r.deployed.sha256 }) } }),
        // Clipped: the records of every drifting prompt share one issue description.
        detail: r.detail.length > DETAIL_CHARS ? `${r.detail.slice(0, DETAIL_CHARS - 1)}…` : r.detail,
      })),
  };
}

/**
 * Whether two snapshots say the same thing: the same prompts in the same states with the same
 * versions and hashes. The detail (an error's wording, a timeout's duration) is left out, so a
 * service that stays unreachable is one detection, not one per run.
 */
export function sameDrift(a: DriftRecord, b: DriftRecord): boolean {
  const key = (r: DriftRecord) => JSON.stringify(r.rows.map(driftRowKey).sort());
  return a.status === b.status && key(a) === key(b);
}

/** What identifies one prompt's drift (`sameDrift`'s terms): a row whose key changes is a new detection. */
export function driftRowKey(r: DriftRecordRow): string {
  return JSON.stringify([r.promptId, r.state, r.pinned ?? null, r.expectedSha256 ?? null, r.deployed?.version ?? null, r.deployed?.sha256 ?? null]);
}

/**
 * The record as a hidden block for an issue body or comment. JSON cannot end the HTML comment
 * early: `<`, `>` and `&` are written as `\u` escapes, whatever a service reported.
 */
export function renderDriftRecord(record: DriftRecord): string {
  const json = JSON.stringify(record).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `${BEGIN}\n${json}\n${END}`;
}

/** Every well-formed record in a body, in order; anything else is skipped. */
export function parseDriftRecords(text: string): DriftRecord[] {
  const records: DriftRecord[] = [];
  const normalized = text.replace(/\r\n?/g, "\n");
  let at = 0;
  for (;;) {
    const begin = normalized.indexOf(`${BEGIN}\n`, at);
    if (begin === -1) break;
    const end = normalized.indexOf(`\n${END}`, begin);
    if (end === -1) break;
    at = end + END.length + 1;
    try {
      const data: unknown = JSON.parse(normalized.slice(begin + BEGIN.length + 1, end));
      if (validate(data)) records.push(data);
    } catch {
      // Not ours, or damaged by an edit: skipped.
    }
  }
  return records;
}
