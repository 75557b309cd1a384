// The identity of a model request: a content hash used to send identical requests once
// (base and head often agree) and to find responses in the cache and in replay files.

import { createHash } from "node:crypto";
import type { ModelRequest } from "../providers/port.js";

/** Bumped when the key's recipe changes, so old caches miss instead of answering wrongly. */
const KEY_VERSION = 1;

/** JSON with object keys sorted at every depth and undefined members dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    const json = JSON.stringify(value);
    return json === undefined ? "null" : json;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(",")}}`;
}

export function requestKey(request: ModelRequest): string {
  const identity = {
    v: KEY_VERSION,
    model: request.model,
    parameters: request.parameters,
    // Only what is sent: positions or other extras on a message must not change the key.
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    responseFormat: request.responseFormat ?? "text",
    jsonSchema: request.jsonSchema ?? null,
    repeat: request.repeat,
  };
  return createHash("sha256").update(canonicalJson(identity)).digest("hex");
}
