// Turns whatever a model call threw (SDK errors, fetch errors, aborts) into a ProviderError
// whose kind tells the runner whether to try again and the report what went wrong.

import { ProviderError, type ProviderErrorKind } from "./port.js";

/** Anything with a case-insensitive `get`, like fetch's Headers, or a plain header object. */
export type HeaderSource = { get(name: string): string | null | undefined } | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === "function") {
    return (headers as { get(name: string): string | null | undefined }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  const found = Object.keys(record).find((key) => key.toLowerCase() === name);
  const value = found === undefined ? undefined : record[found];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * How long the server asked us to wait, in ms: `retry-after-ms` (OpenAI, Anthropic), else
 * `retry-after` in seconds or as an HTTP date. A date needs the wall clock `now`; without one it
 * is ignored and the runner's own backoff applies.
 */
export function parseRetryAfter(headers: HeaderSource | undefined, now?: () => number): number | undefined {
  const ms = header(headers, "retry-after-ms");
  if (ms !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.round(Number(ms));
  const value = header(headers, "retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date) || !now) return undefined;
  return Math.max(0, date - now());
}

/** `1s`, `6m0s`, `20ms`, `1h2m3.5s` (OpenAI's `x-ratelimit-reset-*`), in ms. */
function parseGoDuration(value: string): number | undefined {
  const parts = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/.exec(value.trim());
  if (!parts || value.trim() === "") return undefined;
  const [, h = "0", m = "0", s = "0", ms = "0"] = parts;
  return Math.round(Number(h) * 3_600_000 + Number(m) * 60_000 + Number(s) * 1000 + Number(ms));
}

/**
 * When no `retry-after` was sent: the reset time of the limit that ran out, from OpenAI's
 * `x-ratelimit-{remaining,reset}-{requests,tokens}` (durations) or Anthropic's
 * `anthropic-ratelimit-<limit>-{remaining,reset}` (RFC 3339 times, which need `now`).
 */
export function parseRateLimitReset(headers: HeaderSource | undefined, now?: () => number): number | undefined {
  const waits: number[] = [];
  for (const limit of ["requests", "tokens"]) {
    if (header(headers, `x-ratelimit-remaining-${limit}`)?.trim() !== "0") continue;
    const reset = header(headers, `x-ratelimit-reset-${limit}`);
    const ms = reset === undefined ? undefined : parseGoDuration(reset);
    if (ms !== undefined) waits.push(ms);
  }
  for (const limit of ["requests", "tokens", "input-tokens", "output-tokens"]) {
    if (header(headers, `anthropic-ratelimit-${limit}-remaining`)?.trim() !== "0" || !now) continue;
    const reset = Date.parse(header(headers, `anthropic-ratelimit-${limit}-reset`) ?? "");
    if (!Number.isNaN(reset)) waits.push(Math.max(0, reset - now()));
  }
  return waits.length === 0 ? undefined : Math.max(...waits);
}

export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 429) return "rate-limit";
  if (status === 408) return "timeout";
  if (status === 401 || status === 403) return "auth";
  if (status >= 500) return "server";
  if (status >= 400) return "bad-request";
  return "malformed";
}

const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_CLOSED",
]);
const NETWORK_MESSAGE = /socket hang up|other side closed|fetch failed|connection error|network/i;

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current = error;
  while (current && chain.length < 6 && !chain.includes(current)) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

function isNetworkFailure(error: unknown): boolean {
  return causes(error).some((e) => {
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    return (
      (typeof code === "string" && NETWORK_CODES.has(code)) ||
      name === "APIConnectionError" ||
      (typeof message === "string" && NETWORK_MESSAGE.test(message))
    );
  });
}

function isAbort(error: unknown): boolean {
  const name = (error as { name?: unknown } | undefined)?.name;
  return name === "AbortError" || name === "TimeoutError" || name === "APIUserAbortError" || name === "APIConnectionTimeoutError";
}

/** The message an API put in its error body, without the SDK's status prefix noise. */
function apiMessage(error: unknown): string {
  const body = (error as { error?: unknown }).error;
  const nested = (body as { error?: { message?: unknown }; message?: unknown } | undefined) ?? {};
  const message = nested.error?.message ?? nested.message ?? (error as { message?: unknown }).message;
  return typeof message === "string" && message.trim() ? message.trim() : "no message";
}

export interface ErrorContext {
  /** Names the call in messages, e.g. `openai/gpt-4o-mini`. */
  model: string;
  signal?: AbortSignal;
  /** Wall clock for HTTP-date `retry-after` values. */
  now?: () => number;
}

/** Classifies any failure of one model call. A ProviderError passes through unchanged. */
export function toProviderError(error: unknown, context: ErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const { model } = context;
  if (context.signal?.aborted || isAbort(error)) {
    return new ProviderError("timeout", `${model}: the request timed out`, { cause: error });
  }
  const status = (error as { status?: unknown } | undefined)?.status;
  if (typeof status === "number" && status >= 400) {
    const kind = kindForStatus(status);
    const headers = (error as { headers?: HeaderSource }).headers;
    const retryAfterMs =
      kind === "rate-limit" || kind === "server"
        ? (parseRetryAfter(headers, context.now) ?? (kind === "rate-limit" ? parseRateLimitReset(headers, context.now) : undefined))
        : undefined;
    const wait = retryAfterMs === undefined ? "" : ` (retry after ${retryAfterMs} ms)`;
    return new ProviderError(kind, `${model}: HTTP ${status}: ${apiMessage(error)}${wait}`, { status, retryAfterMs, cause: error });
  }
  if (error instanceof SyntaxError) {
    return new ProviderError("malformed", `${model}: the response body is not valid JSON (${error.message})`, { cause: error });
  }
  if (isNetworkFailure(error)) {
    const code = causes(error)
      .map((e) => (e as { code?: unknown }).code)
      .find((c) => typeof c === "string");
    return new ProviderError("network", `${model}: could not reach the provider${code ? ` (${code})` : ""}`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError("malformed", `${model}: unexpected failure: ${message}`, { cause: error });
}
