// Sends model requests: each distinct request once (dedupe by request key, also across
// concurrent `run` calls such as base and head), cached responses not at all, within a
// per-provider concurrency limit, with timeouts and retries with backoff.

import pLimit, { type LimitFunction } from "p-limit";
import { toProviderError } from "../providers/errors.js";
import { ProviderError, type ModelRequest, type ModelResponse } from "../providers/port.js";
import type { ProviderRegistry, ResolvedModel } from "../providers/registry.js";
import type { ResponseCache } from "./cache.js";
import { requestKey } from "./request-key.js";

export interface RunnerOptions {
  providers: ProviderRegistry;
  cache?: ResponseCache;
  /** Concurrent requests per provider unless `perProvider` says otherwise. */
  concurrency: number;
  /** Provider name (`openai`, `github`, ...) -> concurrent requests. */
  perProvider?: Record<string, number>;
  /** Extra attempts after the first for retryable failures (rate limit, 5xx, timeout, network, malformed). */
  retries: number;
  /** Per attempt. */
  timeoutMs: number;
  sleep?: (ms: number) => Promise<void>;
  /** Monotonic clock in ms, for latency. */
  now?: () => number;
  /** In [0, 1), for backoff jitter. */
  random?: () => number;
  /**
   * Called once per request as it settles, counted over every `run` call of this runner (a
   * large eval runs in stages, and judges ask one question at a time).
   */
  onProgress?: (done: number, total: number) => void;
}

export interface RunOutcome {
  key: string;
  response?: ModelResponse & { cached: boolean };
  error?: ProviderError;
}

export interface RunnerStats {
  /** Calls made to providers, retries included. */
  requestsSent: number;
  /** Distinct requests answered by the cache. */
  cacheHits: number;
  /** Requests answered by an identical request of this runner instead of their own. */
  deduplicated: number;
  /** Attempts beyond the first. */
  retries: number;
  /** Distinct requests that ended in an error. */
  failures: number;
}

export interface Runner {
  /** One outcome per request, in the same order; never rejects. */
  run(requests: readonly ModelRequest[]): Promise<RunOutcome[]>;
  stats(): RunnerStats;
}

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 30_000;
export const RETRY_AFTER_CAP_MS = 60_000;

type Settled = Omit<RunOutcome, "key">;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const defaultNow = () => performance.now();

/**
 * Rejects once `signal` aborts, so a provider that ignores its signal still cannot hold a slot
 * past the timeout.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal, timeout: () => ProviderError): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(timeout());
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

export function createRunner(options: RunnerOptions): Runner {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? defaultNow;
  const random = options.random ?? Math.random;
  const stats: RunnerStats = { requestsSent: 0, cacheHits: 0, deduplicated: 0, retries: 0, failures: 0 };
  const inFlight = new Map<string, Promise<Settled>>();
  const limits = new Map<string, LimitFunction>();

  function limitFor(providerName: string): LimitFunction {
    let limit = limits.get(providerName);
    if (!limit) {
      limit = pLimit(Math.max(1, options.perProvider?.[providerName] ?? options.concurrency));
      limits.set(providerName, limit);
    }
    return limit;
  }

  function backoffMs(failedAttempts: number, error: ProviderError): number {
    if (error.retryAfterMs !== undefined) return Math.min(Math.max(0, error.retryAfterMs), RETRY_AFTER_CAP_MS);
    // Full jitter: spreads the retries of many parallel requests instead of synchronizing them.
    return Math.floor(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** failedAttempts));
  }

  async function attempt(request: ModelRequest, resolved: ResolvedModel): Promise<Settled> {
    const { provider, modelName } = resolved;
    const controller = new AbortController();
    const timeout = () => new ProviderError("timeout", `${request.model}: no answer within ${options.timeoutMs} ms`);
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    stats.requestsSent++;
    const started = now();
    try {
      const work = provider.complete({ ...request, modelName }, { signal: controller.signal });
      const response = await untilAborted(work, controller.signal, timeout);
      const latencyMs = provider.reportsLatency ? response.latencyMs : now() - started;
      return { response: { ...response, latencyMs, cached: false } };
    } catch (error) {
      if (controller.signal.aborted) return { error: timeout() };
      return { error: toProviderError(error, { model: request.model }) };
    } finally {
      clearTimeout(timer);
    }
  }

  async function settle(key: string, request: ModelRequest): Promise<Settled> {
    let resolved: ResolvedModel;
    try {
      resolved = options.providers.resolve(request.model);
    } catch (error) {
      stats.failures++;
      return { error: toProviderError(error, { model: request.model }) };
    }
    if (options.cache) {
      // A broken cache store must not fail the review: a read error is a miss.
      const hit = await options.cache.get(key).catch(() => undefined);
      if (hit) {
        stats.cacheHits++;
        return { response: { ...hit, cached: true } };
      }
    }
    const limit = limitFor(resolved.provider.name);
    for (let failed = 0; ; failed++) {
      // The slot is held for one attempt only, so a backing-off request does not stall others.
      const outcome = await limit(attempt, request, resolved);
      if (outcome.response) {
        if (options.cache) {
          const { cached: _cached, ...response } = outcome.response;
          await options.cache.set(key, response).catch(() => undefined);
        }
        return outcome;
      }
      const error = outcome.error!;
      if (!error.retryable || failed >= options.retries) {
        stats.failures++;
        return { error };
      }
      stats.retries++;
      await sleep(backoffMs(failed, error));
    }
  }

  function shared(key: string, request: ModelRequest): Promise<Settled> {
    const existing = inFlight.get(key);
    if (existing) {
      stats.deduplicated++;
      return existing;
    }
    const pending = settle(key, request);
    inFlight.set(key, pending);
    // Forgotten once settled: the cache, not this map, remembers answers (bounded memory).
    void pending.then(() => {
      if (inFlight.get(key) === pending) inFlight.delete(key);
    });
    return pending;
  }

  // Progress counts every `run` call of this runner.
  let asked = 0;
  let answered = 0;
  // Requests of one `run` call started at once: enough to keep every provider's slots busy while
  // some wait on the cache or on an identical request, few enough that a 100,000-request run
  // holds a bounded number of pending requests, timers and sockets rather than one of each per request.
  const window = 2 * Math.max(1, options.concurrency, ...Object.values(options.perProvider ?? {}));

  return {
    async run(requests) {
      const total = requests.length;
      asked += total;
      const outcomes = new Array<RunOutcome>(total);
      let next = 0;
      const onProgress = options.onProgress;
      // Identical requests of this run share one answer however far apart they are (base and
      // head of a case sit a side apart), not only while the first is in flight.
      const firstOf = new Map<string, Promise<Settled>>();
      const worker = async () => {
        while (next < total) {
          const index = next++;
          const request = requests[index]!;
          const key = requestKey(request);
          let pending = firstOf.get(key);
          if (pending) stats.deduplicated++;
          else firstOf.set(key, (pending = shared(key, request)));
          const settled = await pending;
          outcomes[index] = { key, ...settled };
          answered++;
          onProgress?.(answered, asked);
        }
      };
      await Promise.all(Array.from({ length: Math.min(window, total) }, worker));
      return outcomes;
    },
    stats() {
      return { ...stats };
    },
  };
}
