// A local model server for tests and the benchmark: speaks OpenAI chat completions, Anthropic
// messages, GitHub Models inference and Azure OpenAI (deployment paths and v1) on 127.0.0.1, answers deterministically (the last user
// message), records what it received and plays a queue of faults, one per request.

import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type ModelApi = "openai" | "anthropic" | "github" | "azure";

export type Fault =
  /** Any HTTP error, e.g. `{ kind: "status", status: 429, headers: { "retry-after": "2" } }`. */
  | { kind: "status"; status: number; headers?: Record<string, string>; message?: string }
  /** Accepts the request and never answers (until the client gives up or the server closes). */
  | { kind: "hang" }
  /** Destroys the socket without an answer: the client sees a connection reset. */
  | { kind: "reset" }
  /** A 200 whose body is not a usable completion (default: not JSON at all). */
  | { kind: "malformed"; body?: string }
  /** A 200 in which the model calls these tools (OpenAI `tool_calls`, Anthropic `tool_use` blocks) instead of answering. */
  | { kind: "toolCalls"; calls: { name: string; arguments: Record<string, unknown> }[] };

export interface ReceivedRequest {
  api: ModelApi;
  path: string;
  /** The query string's parameters (Azure's `api-version`). */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  // The parsed JSON body as the client sent it.
  body: any;
}

export interface ModelServerOptions {
  /** Delay before each successful answer. */
  latencyMs?: number;
  /** Custom answer: the output text, or a fault; undefined falls back to echoing the last user message. */
  handler?: (request: ReceivedRequest) => string | Fault | undefined;
  /** Keep `requests` (default true); the benchmark may turn it off. */
  record?: boolean;
}

export interface ModelServer {
  /**
   * `http://127.0.0.1:<port>`: append `/v1` for OpenAI, nothing for Anthropic, `/inference` for
   * GitHub; it is also an Azure OpenAI endpoint (`/openai/deployments/<name>/...`, `/openai/v1/...`).
   */
  url: string;
  requests: ReceivedRequest[];
  /** Queues faults; each incoming request takes the next one, in order. */
  fail(...faults: Fault[]): void;
  /** Requests being handled right now, and the most there ever were at once. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  close(): Promise<void>;
}

function apiFor(method: string | undefined, path: string): ModelApi | undefined {
  if (method !== "POST") return undefined;
  if (path === "/v1/chat/completions" || path === "/chat/completions") return "openai";
  if (path === "/inference/chat/completions" || /^\/orgs\/[^/]+\/inference\/chat\/completions$/.test(path)) return "github";
  if (path === "/v1/messages") return "anthropic";
  if (/^\/openai\/deployments\/[^/]+\/chat\/completions$/.test(path) || path === "/openai/v1/chat/completions") return "azure";
  return undefined;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((part) => (typeof part?.text === "string" ? part.text : "")).join("");
  }
  return "";
}

export function echoOutput(body: { messages?: { role: string; content: unknown }[] }): string {
  const messages = Array.isArray(body?.messages) ? body.messages : [];
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === "user") return textOf(messages[i].content);
  return "";
}

const tokens = (text: string) => Math.ceil(text.length / 4);

function toolCallCompletion(api: ModelApi, body: any, calls: { name: string; arguments: Record<string, unknown> }[]): unknown {
  const usage = { input: 10, output: 5 };
  if (api === "anthropic") {
    return {
      id: "msg_local",
      type: "message",
      role: "assistant",
      model: body?.model,
      content: calls.map((c, i) => ({ type: "tool_use", id: `toolu_${i}`, name: c.name, input: c.arguments })),
      stop_reason: "tool_use",
      stop_sequence: null,
      usage: { input_tokens: usage.input, output_tokens: usage.output },
    };
  }
  return {
    id: "chatcmpl-local",
    object: "chat.completion",
    created: 1700000000,
    model: body?.model,
    choices: [{
      index: 0,
      message: { role: "assistant", content: null, refusal: null, tool_calls: calls.map((c, i) => ({ id: `call_${i}`, type: "function", function: { name: c.name, arguments: JSON.stringify(c.arguments) } })) },
      finish_reason: "tool_calls",
      logprobs: null,
    }],
    usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
  };
}

function completion(api: ModelApi, body: any, output: string): unknown {
  const input = tokens((Array.isArray(body?.messages) ? body.messages : []).map((m: { content: unknown }) => textOf(m.content)).join("\n") + textOf(body?.system));
  if (api === "anthropic") {
    return {
      id: "msg_local",
      type: "message",
      role: "assistant",
      model: body?.model,
      content: [{ type: "text", text: output }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: input, output_tokens: tokens(output) },
    };
  }
  return {
    id: "chatcmpl-local",
    object: "chat.completion",
    created: 1700000000,
    model: body?.model,
    choices: [{ index: 0, message: { role: "assistant", content: output, refusal: null }, finish_reason: "stop", logprobs: null }],
    usage: { prompt_tokens: input, completion_tokens: tokens(output), total_tokens: input + tokens(output) },
  };
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export async function startModelServer(options: ModelServerOptions = {}): Promise<ModelServer> {
  const faults: Fault[] = [];
  const requests: ReceivedRequest[] = [];
  const record = options.record ?? true;
  let inFlight = 0;
  let maxInFlight = 0;

  const server = createServer({ keepAlive: true }, (req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let finished = false;
    const finish = () => {
      if (!finished) {
        finished = true;
        inFlight--;
      }
    };
    res.on("close", finish);

    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const path = url.pathname;
      const api = apiFor(req.method, path);
      if (!api) return sendJson(res, 404, { error: { message: `no route for ${req.method} ${path}`, type: "not_found" } });
      let body: any;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return sendJson(res, 400, { error: { message: "request body is not JSON", type: "invalid_request_error" } });
      }
      const received: ReceivedRequest = { api, path, query: Object.fromEntries(url.searchParams), headers: req.headers, body };
      if (record) requests.push(received);

      const queued = faults.shift();
      const custom = queued ?? options.handler?.(received);
      const reply = typeof custom === "object" ? custom : undefined;
      if (reply?.kind === "hang") return;
      if (reply?.kind === "reset") return req.socket.destroy();
      if (reply?.kind === "status") {
        const message = reply.message ?? `simulated HTTP ${reply.status}`;
        const error = api === "anthropic" ? { type: "error", error: { type: "api_error", message } } : { error: { message, type: "server_error" } };
        return sendJson(res, reply.status, error, reply.headers);
      }
      const answer = () => {
        if (reply?.kind === "malformed") {
          const text = reply.body ?? "this is not json {";
          res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
          return res.end(text);
        }
        if (reply?.kind === "toolCalls") return sendJson(res, 200, toolCallCompletion(api, body, reply.calls));
        const output = typeof custom === "string" ? custom : echoOutput(body);
        sendJson(res, 200, completion(api, body, output));
      };
      if (options.latencyMs) setTimeout(answer, options.latencyMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    fail: (...more) => void faults.push(...more),
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hanging requests and idle keep-alive sockets would otherwise hold the server open.
        server.closeAllConnections();
      }),
  };
}

/** A gateway that puts the key it was sent (its Authorization header) in its 401 message, 8 times over. */
export function keyEchoingGateway(): Promise<ModelServer> {
  return startModelServer({
    handler: (request) => ({
      kind: "status",
      status: 401,
      message: Array.from({ length: 8 }, () => `Incorrect API key provided: ${String(request.headers.authorization).replace("Bearer ", "")}`).join("; "),
    }),
  });
}
