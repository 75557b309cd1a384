// Builds an Octokit for hosts other than Probot that, like Probot's, retries GitHub's 5xx
// answers and waits out secondary rate limits (retry + throttling plugins).

import { Octokit } from "@octokit/rest";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { proxiedFetch } from "../net/proxy.js";
import type { PortLogger } from "./octokit-like.js";

const PluggedOctokit = Octokit.plugin(retry, throttling);
/** The REST client callers see; the plugins only change how requests are retried. */
export type ResilientOctokit = Octokit;

export interface CreateOctokitOptions {
  auth?: string;
  /** GitHub Enterprise Server: `https://HOST/api/v3` (the Action gets it as GITHUB_API_URL). */
  baseUrl?: string;
  request?: { fetch?: typeof fetch };
  userAgent?: string;
  logger?: PortLogger;
  /** Retries per request for 5xx and rate limits (default 3). */
  retries?: number;
  /**
   * Milliseconds per second of waiting (default 1000). GitHub's `retry-after` is in seconds and
   * 5xx waits grow as 1, 4, 9 s; tests pass 1 to make them instant.
   */
  retryAfterBaseMs?: number;
  /** Longest primary rate limit reset worth waiting for, in seconds (default 60). */
  maxRateLimitWaitSeconds?: number;
  /**
   * Where HTTPS_PROXY / HTTP_PROXY / NO_PROXY are read (default `process.env`): with a proxy
   * set, every call goes through the process's proxy dispatcher unless `request.fetch` is given.
   */
  env?: Record<string, string | undefined>;
}

export function createOctokit(options: CreateOctokitOptions = {}): ResilientOctokit {
  const retries = options.retries ?? 3;
  const base = options.retryAfterBaseMs ?? 1000;
  const maxWait = options.maxRateLimitWaitSeconds ?? 60;
  const warn = (message: string) => options.logger?.warn(message);
  const debug = (message: string) => options.logger?.debug?.(message);
  const proxied = options.request?.fetch ? undefined : proxiedFetch(options.env ?? process.env);
  const request = proxied ? { ...options.request, fetch: proxied } : options.request;
  return new PluggedOctokit({
    // Octokit logs every failed request as an error, expected 404s included; the caller sees the
    // failure as an exception anyway, so those lines only go to debug.
    log: { debug, info: debug, warn, error: debug },
    ...(options.auth !== undefined ? { auth: options.auth } : {}),
    ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl.replace(/\/+$/, "") } : {}),
    ...(options.userAgent !== undefined ? { userAgent: options.userAgent } : {}),
    ...(request ? { request } : {}),
    retry: { retries, retryAfterBaseValue: base },
    throttle: {
      retryAfterBaseValue: base,
      onSecondaryRateLimit: (retryAfter, request, _octokit, retryCount) => {
        if (retryCount >= retries) return false;
        warn(`GitHub secondary rate limit on ${request.method} ${request.url}; retrying in ${retryAfter} s.`);
        return true;
      },
      onRateLimit: (retryAfter, request, _octokit, retryCount) => {
        // The primary limit resets hourly; waiting that long would only stall the job.
        if (retryCount >= 1 || retryAfter > maxWait) return false;
        warn(`GitHub rate limit on ${request.method} ${request.url}; retrying in ${retryAfter} s.`);
        return true;
      },
    },
  });
}
