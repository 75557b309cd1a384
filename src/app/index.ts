// The Probot app: a loop over the host layer's routes. Each route becomes one `app.on`; the
// handlers of one delivery share its reads. No decisions are made here.

import type { ApplicationFunctionOptions, Context, Probot } from "probot";
import type { ResponseCache } from "../core/eval/cache.js";
import { createRedactor, redactError, secretsFrom } from "../core/redact.js";
import { DeliveryReadsByDelivery } from "../host/delivery.js";
import { hostDeps } from "../host/deps.js";
import { readEvent, routesFor, routesOf, type Route } from "../host/routes.js";
import { proxiedFetch } from "../net/proxy.js";
import type { WorkflowLog } from "../workflows/deps.js";
import { boundedMemoryCache } from "./bounded-cache.js";
import { retrySecondaryRateLimits } from "./secondary-limits.js";

export { REVIEW_EVENTS } from "../host/routes.js";

export interface PromptOpsAppOptions {
  /** Provider keys and APP_ID; default `process.env`. Only model settings reach the models (see `modelEnv`). */
  env?: Record<string, string | undefined>;
  /** Model response cache shared by all reviews; default: a bounded in-memory cache. */
  cache?: ResponseCache;
  /** For model providers (tests point it at a local server); default: through HTTPS_PROXY / NO_PROXY when set. */
  fetch?: typeof fetch;
  /** This app's id, to recognise its own check runs; default `env.APP_ID`. */
  appId?: number;
  /** Milliseconds per second of GitHub's `retry-after` on secondary rate limits (default 1000). */
  retryAfterBaseMs?: number;
}

export type AppFunctionOptions = Partial<ApplicationFunctionOptions> & PromptOpsAppOptions;

export default function promptopsApp(app: Probot, options: AppFunctionOptions = {}): void {
  const env = options.env ?? process.env;
  const cache = options.cache ?? boundedMemoryCache();
  const ownAppId = options.appId ?? (env.APP_ID && /^\d+$/.test(env.APP_ID) ? Number(env.APP_ID) : undefined);
  // Model calls go through HTTPS_PROXY / NO_PROXY when set (GitHub calls: see server.ts).
  const modelFetch = options.fetch ?? proxiedFetch(env);
  const redactor = createRedactor(secretsFrom(env));
  const settings = {
    env,
    cache,
    ...(modelFetch ? { fetch: modelFetch } : {}),
    // The private key, webhook secret and model keys never reach a log line or a GitHub write.
    redactor,
    ...(ownAppId !== undefined ? { appId: ownAppId } : {}),
    // Model endpoints from a repository's config get the operator's keys only when the operator says so.
    trustConfigEndpoints: env.PROMPTOPS_TRUST_REPO_ENDPOINTS === "true",
  };
  const deliveries = new DeliveryReadsByDelivery();

  for (const route of routesOf("app")) {
    app.on(route.on as Parameters<Probot["on"]>[0], handlerFor(route));
  }

  function handlerFor(route: Route): (context: Context) => Promise<void> {
    const handler = async (context: Context): Promise<void> => {
      const event = readEvent({ name: context.name, payload: context.payload });
      const answering = routesFor("app", event.name, event.action).length;
      const reads = deliveries.acquire(context.id, answering);
      try {
        const log = logOf(context);
        const octokit = retrySecondaryRateLimits(context.octokit, { log, ...(options.retryAfterBaseMs !== undefined ? { baseMs: options.retryAfterBaseMs } : {}) });
        const deps = hostDeps(octokit, settings, { log, reads });
        await route.run({ deps, ...(ownAppId !== undefined ? { ownAppId } : {}) }, event);
      } catch (error) {
        // Probot logs a failed handler's error itself, past our logger.
        throw redactError(error, redactor);
      } finally {
        deliveries.release(context.id);
      }
    };
    // Named after its route, so logs and tests can tell the handlers of one event apart.
    Object.defineProperty(handler, "name", { value: route.name });
    return handler;
  }
}

export { promptopsApp };

function logOf(context: Context): WorkflowLog {
  const log = context.log;
  return {
    info: (m) => log.info(m),
    warn: (m) => log.warn(m),
    error: (m) => log.error(m),
    debug: (m) => log.debug(m),
  };
}
