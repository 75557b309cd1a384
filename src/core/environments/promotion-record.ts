// The record of a merged promotion: which pins the pull request moved, who approved it and on
// which commit, who merged it. Git alone knows the merge but not the approvals, so on merge
// PromptOps writes this record as the message of an annotated tag on the merge commit
// (`promptops/promotions/pr-<number>`), where `promptops audit` reads it back offline.

import { Ajv, type JSONSchemaType, type ValidateFunction } from "ajv";
import { recordBlock } from "../versions/audit.js";

export interface PromotionRecord {
  pr: { number: number; url: string };
  /** The pins file the pull request changed. */
  file: string;
  /** The pins it moved, base -> head of the pull request, as the promotion check saw them. */
  changes: { environment: string; promptId: string; from?: string; to?: string }[];
  /** Logins, without `@`. */
  author: string;
  mergedBy?: string;
  /** Each approval standing at merge, with the commit it was given on. */
  approvals: { login: string; commitSha?: string }[];
  source?: "app" | "action";
  baseSha: string;
  headSha: string;
  mergeCommitSha: string;
  /** ISO 8601. */
  createdAt: string;
}

export const PROMOTION_BEGIN = "-----BEGIN PROMPTOPS PROMOTION-----";
export const PROMOTION_END = "-----END PROMPTOPS PROMOTION-----";

/** Where a merged promotion's record lives: one tag per pull request, never moved. */
export function promotionTagName(pr: number): string {
  return `${PROMOTION_TAG_PREFIX}${pr}`;
}
export const PROMOTION_TAG_PREFIX = "promptops/promotions/pr-";

const schema: JSONSchemaType<PromotionRecord> = {
  type: "object",
  required: ["pr", "file", "changes", "author", "approvals", "baseSha", "headSha", "mergeCommitSha", "createdAt"],
  properties: {
    pr: { type: "object", required: ["number", "url"], properties: { number: { type: "integer" }, url: { type: "string" } } },
    file: { type: "string" },
    changes: {
      type: "array",
      items: {
        type: "object",
        required: ["environment", "promptId"],
        properties: {
          environment: { type: "string" },
          promptId: { type: "string" },
          from: { type: "string", nullable: true },
          to: { type: "string", nullable: true },
        },
      },
    },
    author: { type: "string" },
    mergedBy: { type: "string", nullable: true },
    approvals: {
      type: "array",
      items: { type: "object", required: ["login"], properties: { login: { type: "string" }, commitSha: { type: "string", nullable: true } } },
    },
    source: { type: "string", nullable: true, enum: ["app", "action"] },
    baseSha: { type: "string" },
    headSha: { type: "string" },
    mergeCommitSha: { type: "string" },
    createdAt: { type: "string" },
  },
};

let validator: ValidateFunction<PromotionRecord> | undefined;
const validate = (data: unknown): data is PromotionRecord => (validator ??= new Ajv({ allErrors: false }).compile(schema))(data);

/** Plain text for people (logins without `@`, so it pings nobody), then the JSON block. */
export function renderPromotionRecord(record: PromotionRecord): string {
  const moved = record.changes.map((c) => `  ${c.environment}: ${c.promptId} ${c.from ?? "(new)"} -> ${c.to ?? "(removed)"}`);
  const approvals = record.approvals.map((a) => `${a.login}${a.commitSha ? ` at ${a.commitSha.slice(0, 12)}` : ""}`);
  return [
    `Promotion #${record.pr.number}`,
    "",
    ...moved,
    "",
    `Pull request:   #${record.pr.number} ${record.pr.url}`,
    `Author:         ${record.author}`,
    `Merged by:      ${record.mergedBy ?? "n/a"}`,
    `Approved by:    ${approvals.length > 0 ? approvals.join(", ") : "nobody"}`,
    `Merge commit:   ${record.mergeCommitSha}`,
    `Recorded at:    ${record.createdAt}`,
    "",
    PROMOTION_BEGIN,
    JSON.stringify(record, null, 2),
    PROMOTION_END,
    "",
  ].join("\n");
}

/** The record in a tag message, or undefined when there is none or it is malformed. */
export function parsePromotionRecord(message: string): PromotionRecord | undefined {
  const data = recordBlock(message, PROMOTION_BEGIN, PROMOTION_END);
  return data !== undefined && validate(data) ? data : undefined;
}
