// The drift issue's records and the audit events read from them: what a service reports cannot
// end the hidden block early, and a prompt's drift is detected once, changed, and resolved on
// its own while others still drift.

import { driftEvents } from "../../../src/core/environments/audit-log.js";
import { driftRecordOf, parseDriftRecords, renderDriftRecord, sameDrift, type DriftRecord } from "../../../src/core/environments/drift-record.js";
import { DRIFT_TABLE_ROWS, renderDriftIssue } from "../../../src/core/environments/drift-report.js";
import type { DriftRow, EnvironmentDrift } from "../../../src/core/environments/drift.js";

const production = (rows: EnvironmentDrift["rows"]): EnvironmentDrift => ({ environment: "production", source: "deployed/production.json", status: rows.length > 0 ? "drift" : "in-sync", rows });
const at = (checkedAt: string, sha = "a".repeat(40)) => ({ checkedAt, sha, source: "action" as const });

describe("drift records", () => {
  it("hide whatever a service reports inside one HTML comment, and read back equal", () => {
    const record = driftRecordOf(
      production([{ promptId: "support/summary", state: "unpinned-deploy", pinned: "1.0.0", deployed: { version: "--><img src=x>", sha256: "f".repeat(64) }, detail: "runs --><b>x</b> & more" }]),
      at("2024-06-01T00:00:00.000Z"),
    );
    const block = renderDriftRecord(record);
    expect(block.indexOf("-->")).toBe(block.length - 3);
    expect(block).not.toMatch(/<img|<b>|&/);
    expect(parseDriftRecords(`Some text\n\n${block}\n\nmore\n${block}\n`)).toEqual([record, record]);
    // A damaged block is skipped, not thrown on.
    expect(parseDriftRecords("<!-- promptops:drift-record\n{not json\n-->")).toEqual([]);
  });

  it("leave the in-sync and behind rows out, and ignore the detail when comparing", () => {
    const drifting = driftRecordOf(
      production([
        { promptId: "a", state: "in-sync", pinned: "1.0.0", detail: "" },
        { promptId: "b", state: "behind", pinned: "1.0.0", newer: "1.1.0", detail: "1.1.0 exists" },
        { promptId: "c", state: "unreachable", pinned: "1.0.0", detail: "no answer within 10000 ms" },
      ]),
      at("2024-06-01T00:00:00.000Z"),
    );
    expect(drifting.rows.map((r) => r.promptId)).toEqual(["c"]);
    const later = { ...drifting, checkedAt: "2024-06-01T01:00:00.000Z", rows: [{ ...drifting.rows[0]!, detail: "connect ECONNREFUSED" }] };
    expect(sameDrift(drifting, later)).toBe(true);
    expect(sameDrift(drifting, { ...later, rows: [{ ...later.rows[0]!, state: "pending-rollout" as const }] })).toBe(false);
  });
});

describe("driftEvents", () => {
  const row = (promptId: string, state: DriftRecord["rows"][number]["state"], deployed: string) => ({ promptId, state, pinned: "1.1.0", expectedSha256: "e".repeat(64), deployed: { version: deployed }, detail: "" });
  const record = (checkedAt: string, rows: DriftRecord["rows"]): DriftRecord => ({ environment: "production", status: rows.length > 0 ? "drift" : "in-sync", checkedAt, sha: "a".repeat(40), rows });

  it("detects a prompt once, again when its drift changes, and resolves each prompt when it stops", () => {
    const events = driftEvents(
      {
        issue: 12,
        actor: "promptops[bot]",
        // Out of order on purpose: the records are read by time.
        records: [
          record("2024-06-01T03:00:00.000Z", []),
          record("2024-06-01T00:00:00.000Z", [row("a", "pending-rollout", "1.0.0"), row("b", "hash-mismatch", "1.1.0")]),
          record("2024-06-01T01:00:00.000Z", [row("a", "pending-rollout", "1.0.0")]),
          record("2024-06-01T02:00:00.000Z", [row("a", "unpinned-deploy", "0.9.0")]),
        ],
      },
      "acme/support-bot",
    );
    expect(events.map((e) => [e.time.slice(11, 13), e.action, e.prompt!.id, e.drift!.state, e.drift!.deployed?.version])).toEqual([
      ["00", "drift.detected", "a", "pending-rollout", "1.0.0"],
      ["00", "drift.detected", "b", "hash-mismatch", "1.1.0"],
      ["01", "drift.resolved", "b", "hash-mismatch", "1.1.0"],
      ["02", "drift.detected", "a", "unpinned-deploy", "0.9.0"],
      ["03", "drift.resolved", "a", "unpinned-deploy", "0.9.0"],
    ]);
    expect(events.every((e) => e.drift!.issue === 12 && e.actor === "promptops[bot]" && e.source === "github" && e.environment!.to === "production")).toBe(true);
  });
});

describe("a drift issue for many drifting prompts", () => {
  it("stays within GitHub's limit on an issue body: 50 table rows, every prompt in the record", () => {
    const sha = "f".repeat(64);
    const rows: DriftRow[] = Array.from({ length: 120 }, (_, i) => ({
      promptId: `team/prompt-number-${i}`,
      state: "hash-mismatch",
      pinned: "1.2.3",
      expectedSha256: sha,
      deployed: { version: "1.2.3", sha256: "e".repeat(64) },
      detail: `the service reports content that differs from the tagged version: ${"x".repeat(400)}`,
    }));
    const drift: EnvironmentDrift = { environment: "production", source: "https://svc.example.com/.well-known/promptops.json", status: "drift", rows };
    const record = driftRecordOf(drift, { checkedAt: "2024-06-01T00:00:00.000Z", sha: "a".repeat(40), source: "app" });
    const body = renderDriftIssue(drift, ".github/prompt-environments.yml", "2024-06-01T00:00:00.000Z", [record]);

    expect(Buffer.byteLength(body)).toBeLessThan(65_536);
    expect(body.split("\n").filter((l) => l.startsWith("| `team/"))).toHaveLength(DRIFT_TABLE_ROWS);
    expect(body).toContain("…and 70 more drifting prompts");
    expect(parseDriftRecords(body)[0]!.rows).toHaveLength(120);
  });
});
