// Probot's own throttling only logs GitHub's secondary rate limits; a review hitting one would
// fail. This retries such answers after GitHub's `retry-after`, once per Octokit instance.

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

/** Seconds to wait when `error` is a secondary rate limit, else undefined. */
export function secondaryLimitWait(error: unknown): number | undefined {
  const e = error as { status?: number; message?: string; response?: { headers?: Record<string, string | undefined> } } | null;
  if (!e || (e.status !== 403 && e.status !== 429) || !/secondary rate limit/i.test(e.message ?? "")) return undefined;
  const after = Number(e.response?.headers?.["retry-after"]);
  // GitHub asks for at least a minute when it does not say.
  return Number.isFinite(after) && after > 0 ? after : 60;
}
