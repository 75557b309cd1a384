// JSON checks: the output parses as JSON, and optionally matches a JSON Schema (validated by ajv).

import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { ScorerOutcome } from "./types.js";

// ajv-formats is CommonJS; depending on the loader its plugin is the default export or `.default` of it.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/** Compiles a schema once per scorer; an invalid schema is a configuration error, reported by `buildScorers`. */
export function compileSchema(schema: unknown): { validate: ValidateFunction } | { error: string } {
  if (typeof schema === "string") {
    try {
      schema = JSON.parse(schema);
    } catch {
      return { error: "the schema is a string that is not JSON" };
    }
  }
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    return { error: "the schema must be an object" };
  }
  // One Ajv per schema: schemas may reuse `$id`s, and a shared instance would refuse the second one.
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  try {
    return { validate: ajv.compile(schema as Record<string, unknown>) };
  } catch (error) {
    return { error: `invalid JSON Schema: ${(error as Error).message}` };
  }
}

export function checkJson(output: string, validate?: ValidateFunction): ScorerOutcome {
  let value: unknown;
  try {
    value = JSON.parse(output);
  } catch (error) {
    const fenced = /^\s*```/.test(output) ? " (it is wrapped in a Markdown code fence)" : "";
    return { score: 0, pass: false, reason: `output is not valid JSON${fenced}: ${(error as Error).message}` };
  }
  if (!validate) return { score: 1, pass: true, reason: "output is valid JSON" };
  if (validate(value)) return { score: 1, pass: true, reason: "output matches the JSON Schema" };
  const problems = (validate.errors ?? [])
    .slice(0, 3)
    .map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`)
    .join("; ");
  return { score: 0, pass: false, reason: `output does not match the JSON Schema: ${problems}` };
}
