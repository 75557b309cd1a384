// A prompt's content fingerprint: a sha256 over what changes the model's behaviour, so a
// version bump can be required exactly when behaviour may change, and audit records can pin it.

import { createHash } from "node:crypto";
import type { Prompt } from "../prompts/model.js";

/**
 * Hashed: each message's role and content, the model, the parameters, the response format,
 * the JSON schema and the tools. Not hashed: name, description, id, owners, version, golden path, testData,
 * evaluators, variables, example output, file format and path (moving a prompt between
 * formats with identical content keeps its fingerprint). Partials are separate files and
 * are not resolved here; files a Prompty `${file:}` reference names are already part of the
 * prompt (the parser puts their content in place), so a change to one changes the fingerprint.
 *
 * Whitespace rule, for message content only: `\r\n` and lone `\r` become `\n`, and spaces and
 * tabs right before a line end (or at the very end) are removed. Nothing else is touched:
 * leading indentation, blank lines and a final newline all reach the model and can change
 * its output, so they count.
 *
 * Parameters are hashed with keys sorted at every depth (their order means nothing to a
 * provider). The JSON schema keeps its key order: structured-output models generate
 * properties in schema order, so reordering them is a behaviour change.
 */
export function contentFingerprint(prompt: Prompt): string {
  const canonical = {
    fingerprint: 1,
    messages: prompt.messages.map((m) => ({ role: m.role, content: normalizeWhitespace(m.content) })),
    model: prompt.model ?? null,
    parameters: sortKeysDeep(prompt.parameters ?? {}),
    responseFormat: prompt.responseFormat ?? null,
    jsonSchema: prompt.jsonSchema ?? null,
    // Only when present, so the fingerprints of prompts without tools stay as they were.
    ...(prompt.tools && prompt.tools.length > 0 ? { tools: sortKeysDeep(prompt.tools) } : {}),
  };
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

function normalizeWhitespace(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(/[ \t]+(?=\n|$)/g, "");
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
