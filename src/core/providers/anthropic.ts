// Claude through the official `@anthropic-ai/sdk` Messages API. System messages become the
// `system` field; the SDK never retries (the runner does).

import type Anthropic from "@anthropic-ai/sdk";
import type { Price } from "../config/model.js";
import { toProviderError } from "./errors.js";
import { jsonSchemaFormat, snakeParameters } from "./parameters.js";
import { ProviderError, type CompleteOptions, type ModelProvider, type ModelRequest, type ModelResponse } from "./port.js";
import { costOf } from "./prices.js";

export interface AnthropicOptions {
  baseURL: string;
  apiKey: string;
  fetch?: typeof fetch;
  prices?: Readonly<Record<string, Price>>;
  /** Wall clock, only for HTTP-date `retry-after` headers. */
  now?: () => number;
}

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
  const output = content
    .filter((block): block is { type: "text"; text: string } => block?.type === "text" && typeof block.text === "string")
    .map((block) => block.text)
    .join("");
  if (typeof usage?.input_tokens !== "number" || typeof usage.output_tokens !== "number") {
    throw new ProviderError("malformed", `${request.model}: unusable message: no usage`);
  }
  return { output, usage: { input: usage.input_tokens, output: usage.output_tokens } };
}

export function createAnthropicProvider(options: AnthropicOptions): ModelProvider {
  let client: Promise<Anthropic> | undefined;
  const getClient = () =>
    (client ??= import("@anthropic-ai/sdk").then(
      ({ default: AnthropicClient }) =>
        new AnthropicClient({
          apiKey: options.apiKey,
          baseURL: options.baseURL,
          maxRetries: 0,
          // Explicit, so the SDK does not refuse large max_tokens without streaming; the runner's
          // AbortSignal is the real per-request timeout.
          timeout: 10 * 60_000,
          fetch: options.fetch,
        }),
    ));
  // Start loading the SDK as soon as a prompt names this provider, not on the first request:
  // the import (~100-200 ms) then overlaps with rendering and cache lookups. Failures surface
  // on the first request.
  getClient().catch(() => undefined);

  return {
    name: "anthropic",
    async complete(request, completeOptions: CompleteOptions = {}) {
      const { signal } = completeOptions;
      const body = messagesBody(request);
      let raw: unknown;
      try {
        const anthropic = await getClient();
        raw = await anthropic.messages.create(body as unknown as Anthropic.MessageCreateParamsNonStreaming, { signal });
      } catch (error) {
        throw toProviderError(error, { model: request.model, signal, now: options.now });
      }
      const parsed = parseMessage(raw, request);
      const cost = costOf(request.model, parsed.usage, options.prices);
      return { ...parsed, latencyMs: 0, ...(cost.known ? { costUsd: cost.usd } : {}) };
    },
  };
}
