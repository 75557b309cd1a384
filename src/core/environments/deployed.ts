// The deployed report: what a service says it runs, `{"environment": "...", "prompts":
// {"<id>": {"version": "...", "sha256": "..."}}}`, as the runtime loader produces it.

import { Ajv, type JSONSchemaType, type ValidateFunction } from "ajv";

export interface DeployedPrompt {
  version: string;
  sha256: string;
}

export interface DeployedReport {
  environment?: string;
  prompts: Record<string, DeployedPrompt>;
}

/** A report as read for one environment: the report, or why it could not be read. */
export type DeployedRead = { ok: true; source: string; report: DeployedReport } | { ok: false; source: string; error: string };

export const DEPLOYED_REPORT_SCHEMA: JSONSchemaType<DeployedReport> = {
  type: "object",
  required: ["prompts"],
  properties: {
    environment: { type: "string", nullable: true },
    prompts: {
      type: "object",
      required: [],
      additionalProperties: {
        type: "object",
        required: ["version", "sha256"],
        properties: { version: { type: "string" }, sha256: { type: "string", pattern: "^[0-9a-f]{64}$" } },
      },
    },
  },
};

// Compiled on first use, not when the module loads: hosts load this module with every workflow.
// The schema is fixed and checked against the JSON Schema meta-schema by the tests, so Ajv is not
// asked to validate it again (that alone costs ~100 ms per compile).
let validator: ValidateFunction<DeployedReport> | undefined;
const validate = (data: unknown): data is DeployedReport => (validator ??= new Ajv({ allErrors: false, validateSchema: false }).compile(DEPLOYED_REPORT_SCHEMA))(data);

/** Parses a report's JSON text; a report that is not one is an error, never an empty report. */
export function parseDeployedReport(text: string, source: string, environment?: string): DeployedRead {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, source, error: `not JSON: ${(e as Error).message}` };
  }
  if (!validate(data)) {
    const e = validator?.errors?.[0];
    return { ok: false, source, error: `not a deployed report: ${e ? `${e.instancePath || "the report"} ${e.message}` : "invalid"}` };
  }
  if (environment !== undefined && data.environment !== undefined && data.environment !== environment) {
    return { ok: false, source, error: `reports environment "${data.environment}", not "${environment}"` };
  }
  return { ok: true, source, report: data };
}
