// An environment's gates applied to the eval record a version's tag carries: a promotion to a
// stricter environment needs a version whose recorded eval meets that environment's bar. A gate
// the record holds no figure for fails: it is never assumed to pass.

import type { GateConfig } from "../config/model.js";
import type { AuditRecord } from "../versions/audit.js";

export interface RecordGateFinding {
  gate: string;
  passed: boolean;
  message: string;
}

export function gateRecord(gates: Partial<GateConfig>, record: AuditRecord | undefined): RecordGateFinding[] {
  const findings: RecordGateFinding[] = [];
  const wanted = Object.entries(gates).filter(([, v]) => typeof v === "number");
  if (wanted.length === 0) return findings;
  if (!record) return [{ gate: "record", passed: false, message: "the tag carries no eval record, so the environment's gates cannot be checked" }];
  if (record.verdict !== "success") findings.push({ gate: "verdict", passed: false, message: `the recorded eval verdict is ${record.verdict}` });
  const { base, head } = record.scores;
  const fmt = (n: number) => n.toFixed(2);
  if (gates.minScore !== undefined) {
    findings.push(
      head === undefined
        ? { gate: "minScore", passed: false, message: `minScore ${fmt(gates.minScore)}: no head score recorded` }
        : { gate: "minScore", passed: head >= gates.minScore, message: `minScore ${fmt(gates.minScore)}: recorded score ${fmt(head)}` },
    );
  }
  if (gates.maxRegression !== undefined) {
    findings.push(
      head === undefined || base === undefined
        ? { gate: "maxRegression", passed: base === undefined && head !== undefined, message: `maxRegression ${fmt(gates.maxRegression)}: ${base === undefined && head !== undefined ? "a new prompt, nothing to regress from" : "scores not recorded"}` }
        : { gate: "maxRegression", passed: base - head <= gates.maxRegression + 1e-9, message: `maxRegression ${fmt(gates.maxRegression)}: recorded ${fmt(base)} -> ${fmt(head)}` },
    );
  }
  for (const gate of ["minPassRate", "maxCostIncrease"] as const) {
    if (gates[gate] !== undefined) findings.push({ gate, passed: false, message: `${gate}: the tag's record holds no figure for it, so it cannot be checked` });
  }
  return findings;
}
