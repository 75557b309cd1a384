import { AUDIT_BEGIN, AUDIT_END, parseAuditRecord, renderAuditRecord, type AuditRecord } from "../../../src/core/versions/audit.js";

const record: AuditRecord = {
  promptId: "support/summary",
  version: "1.3.0",
  path: "prompts/support/summary.prompt.yml",
  contentSha256: "a".repeat(64),
  pr: { number: 42, url: "https://github.com/acme/app/pull/42" },
  author: "alice",
  mergedBy: "bob",
  approvers: ["carol", "dave"],
  scores: { base: 0.81, head: 0.865 },
  verdict: "success",
  checkRunUrl: "https://github.com/acme/app/runs/7",
  mergeCommitSha: "c".repeat(40),
  createdAt: "2025-06-01T12:00:00.000Z",
};

describe("renderAuditRecord", () => {
  const message = renderAuditRecord(record);

  it("starts with readable lines", () => {
    const lines = message.split("\n");
    expect(lines[0]).toBe("support/summary v1.3.0");
    expect(message).toContain("Pull request:   #42 https://github.com/acme/app/pull/42");
    expect(message).toContain("Approved by:    carol, dave");
    expect(message).toContain("Scores:         base 0.810, head 0.865 (+0.055)");
    expect(message).toContain("Eval verdict:   success");
    expect(message.indexOf("Merge commit")).toBeLessThan(message.indexOf(AUDIT_BEGIN));
  });

  it("ends with the machine-readable block", () => {
    expect(message.trimEnd().endsWith(AUDIT_END)).toBe(true);
    const json = message.slice(message.indexOf(AUDIT_BEGIN) + AUDIT_BEGIN.length, message.indexOf(AUDIT_END));
    expect(JSON.parse(json)).toEqual(record);
  });

  it("writes logins without @ so it never pings", () => {
    expect(message).not.toMatch(/@[a-z]/);
  });

  it("handles a record without optional fields", () => {
    const minimal: AuditRecord = { ...record, approvers: [], scores: {}, mergedBy: undefined, checkRunUrl: undefined };
    const text = renderAuditRecord(minimal);
    expect(text).toContain("Approved by:    nobody");
    expect(text).toContain("Scores:         base n/a, head n/a");
    expect(text).not.toContain("Check run:");
    expect(parseAuditRecord(text)).toEqual(minimal);
    expect(parseAuditRecord(text)).not.toHaveProperty("mergedBy");
  });
});

describe("parseAuditRecord", () => {
  it("round-trips", () => {
    expect(parseAuditRecord(renderAuditRecord(record))).toEqual(record);
    const newPrompt: AuditRecord = { ...record, scores: { head: 1 } };
    expect(parseAuditRecord(renderAuditRecord(newPrompt))).toEqual(newPrompt);
  });

  it("reads a message with CRLF line endings or surrounding text (a signature, a release note)", () => {
    const crlf = renderAuditRecord(record).replace(/\n/g, "\r\n");
    expect(parseAuditRecord(crlf)).toEqual(record);
    const wrapped = `Release notes\n\n${renderAuditRecord(record)}\n-----BEGIN PGP SIGNATURE-----\nxyz\n-----END PGP SIGNATURE-----\n`;
    expect(parseAuditRecord(wrapped)).toEqual(record);
  });

  it("drops unknown fields from a newer writer", () => {
    const block = JSON.stringify({ ...record, futureField: true });
    expect(parseAuditRecord(`${AUDIT_BEGIN}\n${block}\n${AUDIT_END}\n`)).toEqual(record);
  });

  it.each([
    ["no block", "just a tag message"],
    ["no end marker", `${AUDIT_BEGIN}\n{}\n`],
    ["broken JSON", `${AUDIT_BEGIN}\n{"promptId": \n${AUDIT_END}`],
    ["a missing field", `${AUDIT_BEGIN}\n${JSON.stringify({ ...record, version: undefined })}\n${AUDIT_END}`],
    ["a wrong type", `${AUDIT_BEGIN}\n${JSON.stringify({ ...record, pr: { number: "42", url: "u" } })}\n${AUDIT_END}`],
    ["an array", `${AUDIT_BEGIN}\n[]\n${AUDIT_END}`],
  ])("returns undefined for %s", (_case, message) => {
    expect(parseAuditRecord(message)).toBeUndefined();
  });
});
