// Prompt files write model parameters either way (`max_tokens` or `maxTokens`); providers
// want snake_case. Also the pieces every provider needs: the JSON schema and token estimates.

import { ProviderError, type ChatMessage, type ModelRequest, type TokenUsage } from "./port.js";

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** `{maxTokens: 5, top_p: 1}` -> `{max_tokens: 5, top_p: 1}`; undefined values dropped. */
export function snakeParameters(parameters: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parameters)) {
    if (value !== undefined) out[snakeCase(key)] = value;
  }
  return out;
}

export interface JsonSchemaFormat {
  name: string;
  description?: string;
  schema: Record<string, unknown>;
  strict?: boolean;
}

/** OpenAI refuses a schema name outside `^[a-zA-Z0-9_-]{1,64}$` with a 400; a display name like "Ticket summary" is common. */
function schemaName(name: unknown): string {
  const cleaned = typeof name === "string" ? name.trim().replace(/[^A-Za-z0-9_-]+/g, "_").slice(0, 64) : "";
  return cleaned.replace(/^_+|_+$/g, "") || "response";
}

/**
 * GitHub's `jsonSchema` is a JSON string (or object) `{name, strict?, schema}`; a bare schema is
 * accepted too.
 */
export function jsonSchemaFormat(request: ModelRequest): JsonSchemaFormat {
  let value = request.jsonSchema;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch (error) {
      throw new ProviderError("config", `${request.model}: jsonSchema is not valid JSON (${(error as Error).message})`);
    }
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new ProviderError("config", `${request.model}: responseFormat json_schema needs a jsonSchema object`);
  }
  const record = value as Record<string, unknown>;
  if (record.schema && typeof record.schema === "object") {
    return {
      name: schemaName(record.name),
      ...(typeof record.description === "string" ? { description: record.description } : {}),
      schema: record.schema as Record<string, unknown>,
      ...(typeof record.strict === "boolean" ? { strict: record.strict } : {}),
    };
  }
  return { name: "response", schema: record };
}

export interface ToolCall {
  name: string;
  /** The arguments as the model gave them (parsed when they are JSON). */
  arguments: unknown;
}

/**
 * A model's answer with the tools it called, as one text for the scorers: the text, then (when
 * it called any) one JSON line `{"tool_calls": [{"name", "arguments"}]}`, so `contains`,
 * `is-json` or a JSON schema can check which tool was called and with what.
 */
export function toolCallsText(text: string, calls: readonly ToolCall[]): string {
  if (calls.length === 0) return text;
  const json = JSON.stringify({ tool_calls: calls });
  return text.trim() === "" ? json : `${text}\n${json}`;
}

/** Roughly 4 characters per token: good enough to compare base and head when a server omits usage. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function estimateUsage(messages: readonly ChatMessage[], output: string): TokenUsage {
  return { input: estimateTokens(messages.map((m) => m.content).join("\n")), output: estimateTokens(output) };
}

export function lastUserMessage(messages: readonly ChatMessage[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === "user") return messages[i].content;
  return undefined;
}
