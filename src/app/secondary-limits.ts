// A last guard for GitHub's secondary rate limits: Probot's throttling plugin retries them when
// it is on, but a host may turn it off or give up; a review hitting one would then fail. This
// retries such answers as GitHub's docs say to, once wrapped per Octokit instance.

import type { WorkflowLog } from "../workflows/deps.js";

interface Hookable {
  hook: { wrap(name: "request", wrapper: (request: (options: any) => Promise<any>, options: any) => Promise<any>): void };
}

export interface SecondaryLimitOptions {
  retries?: number;
  /** Milliseconds per second of `retry-after` (tests pass 1). */
  baseMs?: number;
  /** Longer waits are not worth holding a webhook for. */
  maxWaitSeconds?: number;
  log?: Pick<WorkflowLog, "warn">;
}

const wrapped = new WeakSet<object>();

/** `octokit` is any Octokit (Probot's, @octokit/rest's); typed loosely since their hook types differ. */
export function retrySecondaryRateLimits<T extends object>(octokit: T, options: SecondaryLimitOptions = {}): T {
  if (wrapped.has(octokit)) return octokit;
  wrapped.add(octokit);
  const retries = options.retries ?? 3;
  const baseMs = options.baseMs ?? 1000;
  const maxWait = options.maxWaitSeconds ?? 120;
  (octokit as unknown as Hookable).hook.wrap("request", async (request, requestOptions) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        const wait = secondaryLimitWait(error);
        if (wait === undefined || attempt >= retries || wait > maxWait) throw error;
        options.log?.warn(`GitHub secondary rate limit on ${requestOptions.method} ${requestOptions.url}; retrying in ${wait} s.`);
        await new Promise((resolve) => setTimeout(resolve, wait * baseMs));
      }
    }
  });
  return octokit;
}

/**
 * Seconds to wait when `error` is a secondary rate limit (403 or 429 whose message says so),
 * else undefined. GitHub's order: `retry-after` when present; else, with
 * `x-ratelimit-remaining: 0`, until `x-ratelimit-reset` (epoch seconds); else at least a minute.
 */
export function secondaryLimitWait(error: unknown, nowMs: number = Date.now()): number | undefined {
  const e = error as { status?: number; message?: string; response?: { headers?: Record<string, string | number | undefined> } } | null;
  if (!e || (e.status !== 403 && e.status !== 429)) return undefined;
  // Older GitHub Enterprise Server versions still word it as abuse detection.
  if (!/secondary rate limit|abuse detection/i.test(e.message ?? "")) return undefined;
  const headers = e.response?.headers ?? {};
  const after = Number(headers["retry-after"]);
  if (headers["retry-after"] !== undefined && Number.isFinite(after) && after >= 0) return Math.max(1, Math.ceil(after));
  const reset = Number(headers["x-ratelimit-reset"]);
  if (String(headers["x-ratelimit-remaining"]) === "0" && Number.isFinite(reset) && reset > 0) {
    return Math.max(1, Math.ceil(reset - nowMs / 1000));
  }
  return 60;
}
