// One JSON POST to a model API, timed from send to last byte: the lean request path of the
// OpenAI-compatible and Anthropic providers. http: URLs (Ollama, vLLM, local servers) go over a
// keep-alive node:http agent; anything else over `fetch` (looked up per call, so a process-wide
// dispatcher such as a proxy agent applies). No SDK, no web `Response` round trip on http:.

import { request as httpRequest, type OutgoingHttpHeaders } from "node:http";
import { keepAliveAgent } from "./local-fetch.js";

export interface JsonReply {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  text: string;
  /** From the request being sent to the last byte of the answer. */
  latencyMs: number;
}

export type JsonPost = (url: string, headers: Record<string, string>, body: string, signal?: AbortSignal) => Promise<JsonReply>;

export interface JsonPostOptions {
  /** Replaces both transports (tests, hosts with their own fetch). */
  fetch?: typeof fetch;
  /** Idle connections kept per host: the provider's concurrency, so a burst reuses sockets. */
  poolSize?: number;
}

/** A non-2xx answer, shaped as `toProviderError` reads it: `status`, `headers`, the parsed `error` body. */
export class HttpStatusError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly error: unknown;

  constructor(reply: JsonReply) {
    let body: unknown;
    try {
      body = JSON.parse(reply.text);
    } catch {
      body = undefined;
    }
    super(body === undefined ? reply.text.trim().slice(0, 500) : `HTTP ${reply.status}`);
    this.name = "HttpStatusError";
    this.status = reply.status;
    this.headers = reply.headers;
    this.error = body;
  }
}

export function jsonPost(options: JsonPostOptions = {}): JsonPost {
  const injected = options.fetch;
  const agent = keepAliveAgent(options.poolSize);
  return (url, headers, body, signal) => {
    if (injected) return viaFetch(injected, url, headers, body, signal);
    if (url.startsWith("http:")) return viaHttp(agent, url, headers, body, signal);
    return viaFetch(globalThis.fetch, url, headers, body, signal);
  };
}

function viaHttp(agent: ReturnType<typeof keepAliveAgent>, url: string, headers: Record<string, string>, body: string, signal?: AbortSignal): Promise<JsonReply> {
  return new Promise<JsonReply>((resolve, reject) => {
    const outgoing: OutgoingHttpHeaders = { ...headers, "content-length": Buffer.byteLength(body) };
    const started = performance.now();
    const req = httpRequest(url, { method: "POST", headers: outgoing, agent, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const latencyMs = performance.now() - started;
        const replyHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) replyHeaders[name] = Array.isArray(value) ? value.join(", ") : value;
        }
        resolve({ status: res.statusCode ?? 502, headers: replyHeaders, text: Buffer.concat(chunks).toString("utf8"), latencyMs });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function viaFetch(fetchImpl: typeof fetch, url: string, headers: Record<string, string>, body: string, signal?: AbortSignal): Promise<JsonReply> {
  const started = performance.now();
  const response = await fetchImpl(url, { method: "POST", headers, body, ...(signal ? { signal } : {}) });
  const text = await response.text();
  const latencyMs = performance.now() - started;
  const replyHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    replyHeaders[name.toLowerCase()] = value;
  });
  return { status: response.status, headers: replyHeaders, text, latencyMs };
}

/** Parses a 2xx body; a non-2xx becomes an HttpStatusError, a bad body a SyntaxError (both classified by the caller). */
export function jsonBody(reply: JsonReply): unknown {
  if (reply.status < 200 || reply.status >= 300) throw new HttpStatusError(reply);
  return JSON.parse(reply.text);
}

/** Header names lower-cased, later sources winning, so `Accept` from a provider's defaults replaces `accept`. */
export function mergeHeaders(...sources: (Record<string, string> | undefined)[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const source of sources) if (source) for (const [name, value] of Object.entries(source)) out[name.toLowerCase()] = value;
  return out;
}
