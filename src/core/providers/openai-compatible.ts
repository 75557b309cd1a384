// Chat completions for OpenAI itself and every server that speaks its API (GitHub Models, Azure
// OpenAI, Ollama, vLLM). The runner owns retries, timeouts and concurrency.
//
// Why no SDK on the common path: a non-streaming chat completion is one JSON POST with a bearer
// token, and we already classify errors ourselves (errors.ts). Measured at concurrency 64 against
// a local server, the SDK spent most of each request's CPU on work that changes nothing here
// (per-request header building and debug formatting, two more AbortControllers, a web Response
// per answer) and made the review CPU-bound. Azure's classic deployment API keeps the official
// client: its deployment routing, `api-version` and key header are the SDK's documented contract,
// and Azure is a remote API whose latency dwarfs that CPU.

import type OpenAI from "openai";
import type { Price } from "../config/model.js";
import { toProviderError } from "./errors.js";
import { jsonPost, mergeHeaders, postForJson, type JsonPost } from "./json-post.js";
import { localFetch } from "./local-fetch.js";
import { estimateUsage, jsonSchemaFormat, snakeParameters, toolCallsText, type ToolCall } from "./parameters.js";
import { ProviderError, type CompleteOptions, type ModelProvider, type ModelRequest, type ModelResponse } from "./port.js";
import { costOf } from "./prices.js";

export interface OpenAICompatibleOptions {
  /** `openai`, `github`, `ollama`, `vllm`: the provider name the runner limits by. */
  name: string;
  baseURL: string;
  apiKey: string;
  /** Replaces the default transport (keep-alive node:http for http:, global fetch otherwise). */
  fetch?: typeof fetch;
  /** Idle keep-alive connections to keep: the provider's concurrency. */
  poolSize?: number;
  defaultHeaders?: Record<string, string>;
  prices?: Readonly<Record<string, Price>>;
  /** Wall clock, only for HTTP-date `retry-after` headers. */
  now?: () => number;
  /**
   * Azure OpenAI's classic API: the SDK's `AzureOpenAI` client, which puts the deployment in
   * the path (`/openai/deployments/<model>/chat/completions`), adds `?api-version=` and sends
   * the key as `api-key`. `baseURL` is then the `.../openai` root.
   */
  azure?: { apiVersion: string };
}

// OpenAI's reasoning models reject `max_tokens`; other compatible servers only know `max_tokens`.
// Azure deployments are usually named after their model, so the same test applies there.
const REASONING_MODEL = /^(o\d|gpt-5)/;
const MAX_COMPLETION_TOKENS_PROVIDERS = new Set(["openai", "azure"]);

export function chatCompletionBody(request: ModelRequest & { modelName: string }, providerName: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    ...snakeParameters(request.parameters),
    model: request.modelName,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
  };
  if (MAX_COMPLETION_TOKENS_PROVIDERS.has(providerName) && REASONING_MODEL.test(request.modelName) && body.max_tokens !== undefined) {
    body.max_completion_tokens ??= body.max_tokens;
    delete body.max_tokens;
  }
  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map((t) => ({
      type: "function",
      function: { name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), parameters: t.parameters, ...(t.strict !== undefined ? { strict: t.strict } : {}) },
    }));
  }
  if (request.responseFormat === "json_object") body.response_format = { type: "json_object" };
  if (request.responseFormat === "json_schema") body.response_format = { type: "json_schema", json_schema: jsonSchemaFormat(request) };
  delete body.stream;
  return body;
}

function malformed(model: string, why: string): ProviderError {
  return new ProviderError("malformed", `${model}: unusable completion: ${why}`);
}

export function parseChatCompletion(body: unknown, request: ModelRequest): Omit<ModelResponse, "latencyMs" | "costUsd"> {
  if (!body || typeof body !== "object") throw malformed(request.model, "the body is not a JSON object");
  const { choices, usage } = body as { choices?: unknown; usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } };
  if (!Array.isArray(choices) || choices.length === 0) throw malformed(request.model, "no choices");
  const message = (choices[0] as { message?: { content?: unknown; refusal?: unknown; tool_calls?: unknown } } | null)?.message;
  if (!message || typeof message !== "object") throw malformed(request.model, "the first choice has no message");
  const text = typeof message.content === "string" ? message.content : typeof message.refusal === "string" ? message.refusal : "";
  const output = toolCallsText(text, Array.isArray(message.tool_calls) ? message.tool_calls.flatMap(functionCall) : []);
  const estimated = estimateUsage(request.messages, output);
  return {
    output,
    usage: {
      input: typeof usage?.prompt_tokens === "number" ? usage.prompt_tokens : estimated.input,
      output: typeof usage?.completion_tokens === "number" ? usage.completion_tokens : estimated.output,
    },
  };
}

function functionCall(call: unknown): ToolCall[] {
  const fn = (call as { function?: { name?: unknown; arguments?: unknown } } | null)?.function;
  if (!fn || typeof fn.name !== "string") return [];
  let args: unknown = fn.arguments;
  if (typeof args === "string") {
    try {
      args = JSON.parse(args);
    } catch {
      // Kept as the model wrote it: invalid arguments are something to score, not to hide.
    }
  }
  return [{ name: fn.name, arguments: args ?? {} }];
}

export function createOpenAICompatibleProvider(options: OpenAICompatibleOptions): ModelProvider {
  return options.azure ? sdkProvider(options, options.azure) : leanProvider(options);
}

function completionOf(raw: unknown, request: ModelRequest, options: OpenAICompatibleOptions, latencyMs: number): ModelResponse {
  if (typeof raw === "string") throw malformed(request.model, "the body is not JSON");
  const parsed = parseChatCompletion(raw, request);
  const cost = costOf(request.model, parsed.usage, options.prices);
  return { ...parsed, latencyMs, ...(cost.known ? { costUsd: cost.usd } : {}) };
}

function leanProvider(options: OpenAICompatibleOptions): ModelProvider {
  const post: JsonPost = jsonPost({ fetch: options.fetch, poolSize: options.poolSize });
  const url = `${options.baseURL.replace(/\/+$/, "")}/chat/completions`;
  const headers = mergeHeaders(
    { "content-type": "application/json", accept: "application/json", authorization: `Bearer ${options.apiKey}` },
    options.defaultHeaders,
  );
  return {
    name: options.name,
    // Timed from send to last byte by the transport: queueing and set-up are not latency.
    reportsLatency: true,
    async complete(request, completeOptions: CompleteOptions = {}) {
      const { signal } = completeOptions;
      const body = JSON.stringify(chatCompletionBody(request, options.name));
      const { raw, latencyMs } = await postForJson(post, { url, headers, body }, { model: request.model, signal, now: options.now });
      return completionOf(raw, request, options, latencyMs);
    },
  };
}

function sdkProvider(options: OpenAICompatibleOptions, azure: { apiVersion: string }): ModelProvider {
  let client: Promise<OpenAI> | undefined;
  // Imported on first use: the webhook ack path of the App must not load the SDK.
  // Every option is explicit: the SDK would otherwise read OPENAI_BASE_URL, OPENAI_ORG_ID, ...
  // from the process environment behind the host's back.
  const getClient = () =>
    (client ??= import("openai").then(
      ({ AzureOpenAI }) =>
        new AzureOpenAI({
          apiKey: options.apiKey,
          baseURL: options.baseURL,
          organization: null,
          project: null,
          webhookSecret: null,
          maxRetries: 0,
          fetch: options.fetch ?? localFetch(undefined, options.poolSize),
          defaultHeaders: options.defaultHeaders,
          apiVersion: azure.apiVersion,
        }),
    ));
  // Start loading the SDK as soon as a prompt names this provider, not on the first request:
  // the import (~100-200 ms) then overlaps with rendering and cache lookups. Failures surface
  // on the first request.
  getClient().catch(() => undefined);

  return {
    name: options.name,
    // Timed around the HTTP call only, so loading the SDK is not counted as the model's latency.
    reportsLatency: true,
    async complete(request, completeOptions: CompleteOptions = {}) {
      const { signal } = completeOptions;
      const body = chatCompletionBody(request, options.name);
      let raw: unknown;
      let latencyMs: number;
      try {
        const openai = await getClient();
        const started = performance.now();
        raw = await openai.chat.completions.create(body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming, { signal });
        latencyMs = performance.now() - started;
      } catch (error) {
        throw toProviderError(error, { model: request.model, signal, now: options.now });
      }
      return completionOf(raw, request, options, latencyMs);
    },
  };
}
