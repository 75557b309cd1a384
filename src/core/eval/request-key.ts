// The identity of a model request: a content hash used to send identical requests once
// (base and head often agree) and to find responses in the cache and in replay files.

import { createHash } from "node:crypto";
import type { ModelRequest } from "../providers/port.js";

/** Bumped when the key's recipe changes, so old caches miss instead of answering wrongly. */
const KEY_VERSION = 1;

/** JSON with object keys sorted at every depth and undefined members dropped. */
export function canonicalJson(value: unknown): string {
  // Built with plain loops: it runs once per request, and the array helpers' intermediate
  // arrays were a visible share of a large eval's CPU and garbage.
  if (value === null || typeof value !== "object") {
    const json = JSON.stringify(value);
    return json === undefined ? "null" : json;
  }
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = "{";
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    out += `${first ? "" : ","}${JSON.stringify(key)}:${canonicalJson(member)}`;
    first = false;
  }
  return `${out}}`;
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
    // Only when present, so the keys of requests without tools (and their cached answers) stay valid.
    ...(request.tools && request.tools.length > 0 ? { tools: request.tools } : {}),
  };
  return createHash("sha256").update(canonicalJson(identity)).digest("hex");
}
