// The SDK's transport (Azure) for plain-http servers (Ollama, vLLM, test and benchmark servers): a
// keep-alive node:http client. Global fetch costs ~0.6 ms of CPU per call, which is noise
// against a remote API but a real share of a fast local server's latency budget.

import { Agent, request as httpRequest, type OutgoingHttpHeaders } from "node:http";

/**
 * Keep-alive agents shared by the process, one per pool size: every review builds its providers
 * anew, and an agent each would leave idle sockets behind. `maxFreeSockets` is the concurrency,
 * so a burst of requests finds its sockets open again on the next burst; `maxSockets` stays
 * unbounded, as the runner already limits concurrency (queueing here would count as latency).
 * A server that restarts resets its idle sockets: that is no request's error, so it only ends the
 * socket (an unheard socket error would end the process).
 */
const agents = new Map<number, Agent>();
const DEFAULT_POOL = 256;

export function keepAliveAgent(poolSize = DEFAULT_POOL): Agent {
  const size = Math.max(1, Math.floor(poolSize));
  let agent = agents.get(size);
  if (!agent) {
    agent = new Agent({ keepAlive: true, maxFreeSockets: size });
    const guarded = new WeakSet<object>();
    agent.on("free", (socket) => {
      if (guarded.has(socket)) return;
      guarded.add(socket);
      socket.on("error", () => socket.destroy());
    });
    agents.set(size, agent);
  }
  return agent;
}

/**
 * A fetch for the SDKs' JSON calls: http: URLs with a string or byte body go over the shared
 * keep-alive agent; anything else (https, streams, Request objects) goes to `fallback`.
 */
export function localFetch(fallback?: typeof fetch, poolSize?: number): typeof fetch {
  const agent = keepAliveAgent(poolSize);
  const fetchLocal = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const body = init.body;
    const simpleBody = body === undefined || body === null || typeof body === "string" || body instanceof Uint8Array;
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : undefined;
    // Looked up per call, so a fetch patched in later (tests, proxies) is honoured.
    if (url === undefined || !url.startsWith("http:") || !simpleBody) return (fallback ?? globalThis.fetch)(input, init);

    return new Promise<Response>((resolve, reject) => {
      const headers: OutgoingHttpHeaders = {};
      new Headers(init.headers).forEach((value, name) => {
        headers[name] = value;
      });
      const req = httpRequest(url, { method: init.method ?? "GET", headers, agent, signal: init.signal ?? undefined }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(", ") : value);
          }
          const status = res.statusCode ?? 502;
          // Response refuses a body on these statuses.
          const noBody = status === 204 || status === 205 || status === 304;
          resolve(new Response(noBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage, headers: responseHeaders }));
        });
      });
      req.on("error", reject);
      req.end(body ?? undefined);
    });
  };
  return fetchLocal as typeof fetch;
}
