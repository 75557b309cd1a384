// Claude through the Messages API. System messages become the `system` field; the runner owns
// retries, timeouts and concurrency.
//
// Why no SDK: a non-streaming message is one JSON POST with two headers (`x-api-key`,
// `anthropic-version`), and errors.ts classifies failures from status and headers itself. The
// official client adds per-request work we do not use (header and debug-argument building, its
// own abort controllers and timeout, a web Response per answer; it also refuses large
// `max_tokens` without streaming), which at high concurrency was most of each request's CPU.
// Streaming and batches would be reasons to bring it back.
import type { Price } from "../config/model.js";
import { jsonPost, mergeHeaders, postForJson } from "./json-post.js";
import { jsonSchemaFormat, snakeParameters, toolCallsText } from "./parameters.js";
import { ProviderError, type CompleteOptions, type ModelProvider, type ModelRequest, type ModelResponse } from "./port.js";
import { costOf } from "./prices.js";

export interface AnthropicOptions {
  baseURL: string;
  apiKey: string;
  /** Replaces the default transport (keep-alive node:http for http:, global fetch otherwise). */
  fetch?: typeof fetch;
  /** Idle keep-alive connections to keep: the provider's concurrency. */
  poolSize?: number;
  prices?: Readonly<Record<string, Price>>;
  /** Wall clock, only for HTTP-date `retry-after` headers. */
  now?: () => number;
}

/** The Messages API version this body and parser follow (the header is required). */
export const ANTHROPIC_VERSION = "2023-06-01";

/** The Messages API requires max_tokens; GitHub-style prompts often leave it out. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 1024;

// Parameters the Messages API knows; OpenAI-only ones (seed, penalties) are dropped so a prompt
// written for GitHub Models still runs on Claude.
const SUPPORTED = ["temperature", "top_p", "top_k", "metadata", "service_tier"] as const;

export function messagesBody(request: ModelRequest & { modelName: string }): Record<string, unknown> {
  const parameters = snakeParameters(request.parameters);
  const system = request.messages
    .filter((m) => m.role === "system")
    .map((m) => m.content)
    .join("\n\n");
  const body: Record<string, unknown> = {
    model: request.modelName,
    max_tokens: parameters.max_tokens ?? parameters.max_completion_tokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    messages: request.messages.filter((m) => m.role !== "system").map((m) => ({ role: m.role, content: m.content })),
  };
  if (system) body.system = system;
  for (const key of SUPPORTED) if (parameters[key] !== undefined) body[key] = parameters[key];
  const stop = parameters.stop ?? parameters.stop_sequences;
  if (stop !== undefined) body.stop_sequences = Array.isArray(stop) ? stop : [stop];
  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map((t) => ({ name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), input_schema: t.parameters }));
  }
  if (request.responseFormat === "json_schema") {
    body.output_config = { format: { type: "json_schema", schema: jsonSchemaFormat(request).schema } };
  }
  return body;
}

export function parseMessage(body: unknown, request: ModelRequest): Omit<ModelResponse, "latencyMs" | "costUsd"> {
  const { content, usage } = (body ?? {}) as { content?: unknown; usage?: { input_tokens?: unknown; output_tokens?: unknown } };
  if (!body || typeof body !== "object" || !Array.isArray(content)) {
    throw new ProviderError("malformed", `${request.model}: unusable message: no content blocks`);
  }
  const text = content
    .filter((block): block is { type: "text"; text: string } => block?.type === "text" && typeof block.text === "string")
    .map((block) => block.text)
    .join("");
  const calls = content
    .filter((block): block is { type: "tool_use"; name: string; input?: unknown } => block?.type === "tool_use" && typeof block.name === "string")
    .map((block) => ({ name: block.name, arguments: block.input ?? {} }));
  const output = toolCallsText(text, calls);
  if (typeof usage?.input_tokens !== "number" || typeof usage.output_tokens !== "number") {
    throw new ProviderError("malformed", `${request.model}: unusable message: no usage`);
  }
  return { output, usage: { input: usage.input_tokens, output: usage.output_tokens } };
}

export function createAnthropicProvider(options: AnthropicOptions): ModelProvider {
  const post = jsonPost({ fetch: options.fetch, poolSize: options.poolSize });
  const url = `${options.baseURL.replace(/\/+$/, "")}/v1/messages`;
  const headers = mergeHeaders({
    "content-type": "application/json",
    accept: "application/json",
    "x-api-key": options.apiKey,
    "anthropic-version": ANTHROPIC_VERSION,
  });
  return {
    name: "anthropic",
    // Timed from send to last byte by the transport: queueing and set-up are not latency.
    reportsLatency: true,
    async complete(request, completeOptions: CompleteOptions = {}) {
      const { signal } = completeOptions;
      const body = JSON.stringify(messagesBody(request));
      const { raw, latencyMs } = await postForJson(post, { url, headers, body }, { model: request.model, signal, now: options.now });
      const parsed = parseMessage(raw, request);
      const cost = costOf(request.model, parsed.usage, options.prices);
      return { ...parsed, latencyMs, ...(cost.known ? { costUsd: cost.usd } : {}) };
    },
  };
}
