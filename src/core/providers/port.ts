// The model port: the only way the core talks to a language model. Providers implement it;
// the runner adds concurrency, retries, dedupe and caching around it.

import type { Role } from "../prompts/model.js";
import type { ToolDefinition } from "../prompts/tools.js";

export interface ChatMessage {
  role: Role;
  content: string;
}

export interface ModelRequest {
  /** `provider/model` as written in the prompt, e.g. `openai/gpt-4o-mini`, `github/openai/gpt-4o`, `echo`. */
  model: string;
  messages: ChatMessage[];
  /** temperature, max_tokens, top_p, stop, ... (GitHub's `modelParameters`, snake_case or camelCase). */
  parameters: Record<string, unknown>;
  responseFormat?: "text" | "json_object" | "json_schema";
  jsonSchema?: unknown;
  /** Functions the model may call (Prompty `tools:`); part of the cache key. A call comes back as text (see `toolCallsText`). */
  tools?: ToolDefinition[];
  /** Which repetition of the same case this is (0-based); part of the cache key. */
  repeat: number;
  /** Who asked (e.g. `support/summary#case-3 (head)`), for error messages; not part of the cache key. */
  label?: string;
}

export interface TokenUsage {
  input: number;
  output: number;
}

export interface ModelResponse {
  output: string;
  usage: TokenUsage;
  /** Wall time of the call that produced this response, in ms. */
  latencyMs: number;
  /** USD; computed from the price table when the provider does not say. */
  costUsd?: number;
}

export type ProviderErrorKind =
  | "rate-limit" // 429
  | "server" // 5xx
  | "timeout"
  | "network" // connection reset, refused, DNS
  | "malformed" // a 2xx whose body is not a valid completion
  | "auth" // 401/403, missing key
  | "bad-request" // other 4xx
  | "config" // unknown provider, missing replay entry, ...
  | "budget"; // the run's spending cap is reached (see spend-cap.ts)

/** A failed model call; `retryable` decides whether the runner tries again. */
export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly status?: number;
  /** From `retry-after` / `retry-after-ms`, when the server said. */
  readonly retryAfterMs?: number;

  constructor(kind: ProviderErrorKind, message: string, options: { status?: number; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "ProviderError";
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  get retryable(): boolean {
    return this.kind === "rate-limit" || this.kind === "server" || this.kind === "timeout" || this.kind === "network" || this.kind === "malformed";
  }
}

export interface CompleteOptions {
  signal?: AbortSignal;
}

export interface ModelProvider {
  /** `openai`, `anthropic`, `github`, `replay`, `echo`, ... */
  readonly name: string;
  /** `model` is the part after the provider prefix (`gpt-4o-mini` for `openai/gpt-4o-mini`). */
  complete(request: ModelRequest & { modelName: string }, options?: CompleteOptions): Promise<ModelResponse>;
  /**
   * True when the provider's `latencyMs` is the truth (echo: 0, replay: the recorded value);
   * otherwise the runner replaces it with the wall time it measured.
   */
  readonly reportsLatency?: boolean;
}
