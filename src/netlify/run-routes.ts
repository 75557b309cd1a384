// Runs the routes of one verified delivery for the serverless App, as the Probot App would: an
// installation Octokit made with the App's key (Probot's own auth), the host deps, one set of
// reads. Loaded only when there is work to do (the background worker, or a quick route inside
// the webhook), never on the plain acknowledgement path.

import { Probot, type ProbotOctokit } from "probot";
import type { AppEnv } from "../app/env.js";
import { retrySecondaryRateLimits } from "../app/secondary-limits.js";
import type { ResponseCache } from "../core/eval/cache.js";
import { createRedactor, secretsFrom } from "../core/redact.js";
import { handleDelivery, type RouteOutcome } from "../host/delivery.js";
import { hostDeps } from "../host/deps.js";
import { payloadReader } from "../host/payload.js";
import { ROUTES, type Route, type RouteEvent } from "../host/routes.js";
import type { WorkflowLog } from "../workflows/deps.js";
import type { HeadLocks } from "../workflows/head-locks.js";

export interface RunRoutesOptions {
  app: AppEnv;
  /** The function's environment; only model settings reach the models (see `modelEnv`). */
  env: Record<string, string | undefined>;
  log: WorkflowLog;
  cache?: ResponseCache;
  /** Tests turn off Probot's retry/throttle waits with `ProbotOctokit.defaults(...)`. */
  Octokit?: typeof ProbotOctokit;
  /** For model providers (tests point it at a local server). */
  fetch?: typeof fetch;
  /** Milliseconds per second of GitHub's `retry-after` on secondary rate limits (default 1000). */
  retryAfterBaseMs?: number;
  /** Per-head locks shared by the worker's instances (see `headLocksIn`). */
  locks?: HeadLocks;
}

/** The App as Probot authenticates it: its JWT (`auth()`) and each installation's token (`auth(id)`). */
export function appProbot(app: AppEnv, Octokit?: typeof ProbotOctokit): Probot {
  return new Probot({
    appId: app.appId,
    privateKey: app.privateKey,
    baseUrl: app.baseUrl,
    // Pino knows `silent`; Probot's option type merely omits it.
    logLevel: app.logLevel as "info",
    ...(Octokit ? { Octokit } : {}),
  });
}

/**
 * `quick`: the routes that call no model (run inside the webhook's deadline); `queued`: the
 * others (run by the background worker).
 */
export async function runRoutes(event: RouteEvent, which: "quick" | "queued", options: RunRoutesOptions): Promise<RouteOutcome[]> {
  const installationId = payloadReader(event.name, event.payload).number("installation.id");
  const routes = ROUTES.filter((route) => (which === "quick" ? route.quick === true : route.quick !== true));
  return runInstallationRoutes(appProbot(options.app, options.Octokit), installationId, event, routes, options);
}

/** Runs `routes` for `event` with an installation's token, as every Netlify function does. */
export async function runInstallationRoutes(
  probot: Probot,
  installationId: number,
  event: RouteEvent,
  routes: readonly Route[],
  options: RunRoutesOptions,
): Promise<RouteOutcome[]> {
  const { app, log } = options;
  const installation = await probot.auth(installationId);
  const octokit = retrySecondaryRateLimits(installation, { log, ...(options.retryAfterBaseMs !== undefined ? { baseMs: options.retryAfterBaseMs } : {}) });
  const settings = {
    env: options.env,
    appId: app.appId,
    ...(options.cache ? { cache: options.cache } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    // Model endpoints from a repository's config get the operator's keys only when the operator says so.
    trustConfigEndpoints: options.env.PROMPTOPS_TRUST_REPO_ENDPOINTS === "true",
    // Whatever a provider echoes, the App's keys never reach a comment, a check run or the log.
    redactor: createRedactor(secretsFrom(options.env)),
    ...(options.locks ? { locks: options.locks } : {}),
  };
  return handleDelivery(
    {
      kind: "netlify",
      deps: (reads) => hostDeps(octokit, settings, { log, reads }),
      ownAppId: app.appId,
      routes,
    },
    event,
  );
}
