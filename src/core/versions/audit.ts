// The audit record carried by each prompt-version tag: readable lines for people, then a
// delimited JSON block that `parseAuditRecord` reads back.

import { Ajv, type JSONSchemaType, type ValidateFunction } from "ajv";

export interface AuditRecord {
  promptId: string;
  version: string;
  path: string;
  /** `contentFingerprint` of the tagged prompt. */
  contentSha256: string;
  /** Absent for a version tagged outside GitHub (`promptops tag`). */
  pr?: { number: number; url: string };
  /** Logins, without `@`. */
  author: string;
  mergedBy?: string;
  approvers: string[];
  /** Each approval with the commit it was given on, when known. */
  approvals?: { login: string; commitSha?: string }[];
  /** Who wrote the record: the App, the Action or the CLI. */
  source?: "app" | "action" | "cli";
  /** The base commit the change was reviewed against. */
  baseSha?: string;
  /** The model the eval ran. */
  model?: string;
  /** Confidence interval of the head - base score delta. */
  interval?: { low: number; high: number };
  /** Mean scores (0..1) of the last evaluation; absent when a side was not scored. */
  scores: { base?: number; head?: number };
  /** The eval verdict's conclusion on the merged head (`success`, `failure`, `neutral`). */
  verdict: string;
  checkRunUrl?: string;
  mergeCommitSha: string;
  /** ISO 8601, given by the caller (the core has no clock). */
  createdAt: string;
}

export const AUDIT_BEGIN = "-----BEGIN PROMPTOPS AUDIT-----";
export const AUDIT_END = "-----END PROMPTOPS AUDIT-----";

const schema: JSONSchemaType<AuditRecord> = {
  type: "object",
  required: ["promptId", "version", "path", "contentSha256", "author", "approvers", "scores", "verdict", "mergeCommitSha", "createdAt"],
  properties: {
    promptId: { type: "string" },
    version: { type: "string" },
    path: { type: "string" },
    contentSha256: { type: "string" },
    pr: {
      type: "object",
      nullable: true,
      required: ["number", "url"],
      properties: { number: { type: "integer" }, url: { type: "string" } },
    },
    author: { type: "string" },
    mergedBy: { type: "string", nullable: true },
    approvers: { type: "array", items: { type: "string" } },
    approvals: {
      type: "array",
      nullable: true,
      items: {
        type: "object",
        required: ["login"],
        properties: { login: { type: "string" }, commitSha: { type: "string", nullable: true } },
      },
    },
    source: { type: "string", nullable: true, enum: ["app", "action", "cli"] },
    baseSha: { type: "string", nullable: true },
    model: { type: "string", nullable: true },
    interval: {
      type: "object",
      nullable: true,
      required: ["low", "high"],
      properties: { low: { type: "number" }, high: { type: "number" } },
    },
    scores: {
      type: "object",
      required: [],
      properties: { base: { type: "number", nullable: true }, head: { type: "number", nullable: true } },
    },
    verdict: { type: "string" },
    checkRunUrl: { type: "string", nullable: true },
    mergeCommitSha: { type: "string" },
    createdAt: { type: "string" },
  },
};

// Compiled on first use: compiling at import time would slow every start-up that never reads a record.
let validator: ValidateFunction<AuditRecord> | undefined;
const validate = (data: unknown): data is AuditRecord => (validator ??= new Ajv({ allErrors: false }).compile(schema))(data);

/**
 * Plain text (tag messages are not Markdown). Logins are written without `@` so the record
 * does not ping anyone if it is ever shown as a release body.
 */
export function renderAuditRecord(record: AuditRecord): string {
  const score = (s: number | undefined) => (s === undefined ? "n/a" : s.toFixed(3));
  const { base, head } = record.scores;
  const delta = base !== undefined && head !== undefined ? ` (${head - base >= 0 ? "+" : ""}${(head - base).toFixed(3)})` : "";
  const lines = [
    `${record.promptId} v${record.version}`,
    "",
    `Prompt file:    ${record.path}`,
    `Content sha256: ${record.contentSha256}`,
    `Pull request:   ${record.pr ? `#${record.pr.number} ${record.pr.url}` : "none (tagged outside GitHub)"}`,
    `Author:         ${record.author}`,
    `Merged by:      ${record.mergedBy ?? "n/a"}`,
    `Approved by:    ${record.approvers.length > 0 ? record.approvers.join(", ") : "nobody"}`,
    `Scores:         base ${score(base)}, head ${score(head)}${delta}`,
    `Eval verdict:   ${record.verdict}`,
    ...(record.checkRunUrl ? [`Check run:      ${record.checkRunUrl}`] : []),
    `Merge commit:   ${record.mergeCommitSha}`,
    `Recorded at:    ${record.createdAt}`,
    "",
    AUDIT_BEGIN,
    JSON.stringify(ordered(record), null, 2),
    AUDIT_END,
  ];
  return `${lines.join("\n")}\n`;
}

/** The record in a tag message, or undefined when there is none or it is malformed. */
export function parseAuditRecord(message: string): AuditRecord | undefined {
  const data = recordBlock(message, AUDIT_BEGIN, AUDIT_END);
  return data !== undefined && validate(data) ? ordered(data) : undefined;
}

/**
 * The JSON between the last `begin` line and the `end` line after it in a tag message (the audit
 * record, the promotion record), or undefined when there is no such block or it is not JSON.
 */
export function recordBlock(message: string, begin: string, end: string): unknown {
  const text = message.replace(/\r\n?/g, "\n");
  const close = text.lastIndexOf(`\n${end}`);
  if (close === -1) return undefined;
  const open = text.lastIndexOf(`${begin}\n`, close);
  if (open === -1) return undefined;
  try {
    return JSON.parse(text.slice(open + begin.length + 1, close)) as unknown;
  } catch {
    return undefined;
  }
}

// Fixed key order keeps tag messages diffable; unknown keys from a newer writer are dropped.
function ordered(r: AuditRecord): AuditRecord {
  return {
    promptId: r.promptId,
    version: r.version,
    path: r.path,
    contentSha256: r.contentSha256,
    ...(r.pr != null && { pr: { number: r.pr.number, url: r.pr.url } }),
    author: r.author,
    ...(r.mergedBy != null && { mergedBy: r.mergedBy }),
    approvers: [...r.approvers],
    ...(r.approvals != null && { approvals: r.approvals.map((a) => ({ login: a.login, ...(a.commitSha != null && { commitSha: a.commitSha }) })) }),
    ...(r.source != null && { source: r.source }),
    ...(r.baseSha != null && { baseSha: r.baseSha }),
    ...(r.model != null && { model: r.model }),
    ...(r.interval != null && { interval: { low: r.interval.low, high: r.interval.high } }),
    scores: {
      ...(r.scores.base != null && { base: r.scores.base }),
      ...(r.scores.head != null && { head: r.scores.head }),
    },
    verdict: r.verdict,
    ...(r.checkRunUrl != null && { checkRunUrl: r.checkRunUrl }),
    mergeCommitSha: r.mergeCommitSha,
    createdAt: r.createdAt,
  };
}
