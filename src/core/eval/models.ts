// Builds the ModelAccess the review uses from the base config, an environment and a cache. The
// host decides where env, the cache and recordings come from; nothing here reads them itself.

import type { PromptOpsConfig } from "../config/model.js";
import { createProviders, recordingRegistry, replayRegistry, type ProviderRegistry } from "../providers/registry.js";
import type { RecordedResponse } from "../providers/replay.js";
import type { SpendCapState } from "../providers/spend-cap.js";
import type { Redactor } from "../redact.js";
import type { ResponseCache } from "./cache.js";
import type { ModelAccess } from "./evaluate.js";
import { createRunner } from "./runner.js";

export interface ModelAccessOptions {
  config: PromptOpsConfig;
  env: Record<string, string | undefined>;
  cache?: ResponseCache;
  fetch?: typeof fetch;
  /** Answer every request from these recordings instead of calling providers (`--replay`, the demo). */
  replay?: Record<string, unknown>;
  /** Recordings for models written `replay/...` (from `providers.replay.file`). */
  recordings?: Record<string, unknown>;
  /** Receives every response a provider sends, to write a recordings file (`--record`). */
  record?: (key: string, response: RecordedResponse) => void;
  /** May `providers.<name>.baseUrl` from the repository receive this host's keys? (default true) */
  trustConfigEndpoints?: boolean;
  /** A cap on model spend shared by every access built with it (the Action's `budget-usd`). */
  spendCap?: SpendCapState;
  /** With `trustConfigEndpoints: false`, the endpoint hosts allowed anyway (see `ProvidersOptions.trustedHosts`). */
  trustedHosts?: readonly string[];
  endpointOptIn?: (host: string) => string;
  /** Masks secrets in providers' errors and outputs (default: the secrets of `env`). */
  redactor?: Redactor;
  /** Overrides `providers.concurrency` (`--concurrency`). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  sleep?: (ms: number) => Promise<void>;
  /** Monotonic clock (ms) for latencies. */
  now?: () => number;
  /** Wall clock (ms since the epoch), to read HTTP-date `retry-after` and rate-limit reset headers. */
  wallClock?: () => number;
}

export function createModelAccess(options: ModelAccessOptions): ModelAccess {
  const { config } = options;
  const real: ProviderRegistry = options.replay
    ? replayRegistry(options.replay)
    : createProviders({ config, env: options.env, fetch: options.fetch, recordings: options.recordings,
        ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
        ...(options.trustConfigEndpoints !== undefined ? { trustConfigEndpoints: options.trustConfigEndpoints } : {}),
        ...(options.trustedHosts ? { trustedHosts: options.trustedHosts } : {}),
        ...(options.endpointOptIn ? { endpointOptIn: options.endpointOptIn } : {}),
        ...(options.redactor ? { redactor: options.redactor } : {}),
        ...(options.wallClock ? { now: options.wallClock } : {}),
      });
  const recording = options.record ? recordingRegistry(real, options.record, { now: options.now }) : real;
  const providers = options.spendCap ? options.spendCap.wrap(recording, config.providers.prices ?? {}) : recording;
  const perProvider: Record<string, number> = {};
  for (const [name, settings] of Object.entries(config.providers)) {
    const limit = (settings as { concurrency?: unknown } | undefined)?.concurrency;
    if (typeof limit === "number" && name !== "concurrency") perProvider[name] = limit;
  }
  const runner = createRunner({
    providers,
    cache: options.cache,
    concurrency: options.concurrency ?? config.providers.concurrency,
    perProvider: options.concurrency === undefined ? perProvider : {},
    retries: config.providers.retries,
    timeoutMs: config.providers.timeoutMs,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  return { runner, ...(options.spendCap ? { spendCap: options.spendCap } : {}) };
}
