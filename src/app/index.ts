// The Probot app: each webhook event PromptOps handles is one `app.on` that builds the workflow
// dependencies from `context.octokit` and calls a workflow. No decisions are made here.

import type { ApplicationFunctionOptions, Context, Probot } from "probot";
import type { ResponseCache } from "../core/eval/cache.js";
import { createRedactor, secretsFrom } from "../core/redact.js";
import { proxiedFetch } from "../net/proxy.js";
import { immutableReadStore, type ImmutableReadStore } from "../github/immutable-reads.js";
import { workflowDepsFromOctokit, type WorkflowDeps, type WorkflowLog } from "../workflows/deps.js";
import { rerunCheck, rerunCheckSuite, rerunFromComment } from "../workflows/reruns.js";
import { reviewPullRequest } from "../workflows/review-pull-request.js";
import { syncOwnership } from "../workflows/sync-ownership.js";
import { tagMergedPrompts } from "../workflows/tag-merged-prompts.js";
import { boundedMemoryCache } from "./bounded-cache.js";
import { modelEnv } from "./env.js";
import { retrySecondaryRateLimits } from "./secondary-limits.js";

export interface PromptOpsAppOptions {
  /** Provider keys and APP_ID; default `process.env`. Only model settings reach the models (see `modelEnv`). */
  env?: Record<string, string | undefined>;
  /** Model response cache shared by all reviews; default: a bounded in-memory cache. */
  cache?: ResponseCache;
  /** For model providers; default: through the proxy of HTTPS_PROXY / NO_PROXY when set. */
  fetch?: typeof fetch;
  /** This app's id, to recognise its own check runs; default `env.APP_ID`. */
  appId?: number;
  /** Milliseconds per second of GitHub's `retry-after` on secondary rate limits (default 1000). */
  retryAfterBaseMs?: number;
}

export type AppFunctionOptions = Partial<ApplicationFunctionOptions> & PromptOpsAppOptions;

export const REVIEW_EVENTS = [
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
] as const;

export default function promptopsApp(app: Probot, options: AppFunctionOptions = {}): void {
  const env = options.env ?? process.env;
  const models = modelEnv(env);
  const cache = options.cache ?? boundedMemoryCache();
  const ownAppId = options.appId ?? (env.APP_ID && /^\d+$/.test(env.APP_ID) ? Number(env.APP_ID) : undefined);
  // Model endpoints from a repository's config get the operator's keys only when the operator says so.
  const trustConfigEndpoints = env.PROMPTOPS_TRUST_REPO_ENDPOINTS === "true";
  // The private key, webhook secret and model keys never reach a log line or a GitHub write.
  const redactor = createRedactor(secretsFrom(env));
  const modelFetch = options.fetch ?? proxiedFetch(env);
  // Every handler of one delivery gets its own Context but the same payload object: keyed on it,
  // the reads are shared for as long as the delivery lives, and no longer.
  const reads = new WeakMap<object, ImmutableReadStore>();
  const readsOf = (payload: object): ImmutableReadStore => {
    let store = reads.get(payload);
    if (!store) reads.set(payload, (store = immutableReadStore()));
    return store;
  };
  const deps = (context: Context): WorkflowDeps => {
    const log = logOf(context);
    const octokit = retrySecondaryRateLimits(context.octokit, { log, ...(options.retryAfterBaseMs !== undefined ? { baseMs: options.retryAfterBaseMs } : {}) });
    return workflowDepsFromOctokit(octokit, {
      env: models,
      trustConfigEndpoints,
      redactor,
      cache,
      log,
      reads: readsOf(context.payload),
      ...(modelFetch ? { fetch: modelFetch } : {}),
      ...(ownAppId !== undefined ? { appId: ownAppId } : {}),
    });
  };

  app.on([...REVIEW_EVENTS], async (context) => {
    await reviewPullRequest(deps(context), {
      repo: context.repo(),
      number: context.payload.pull_request.number,
      trigger: `pull_request.${context.payload.action}`,
    });
  });

  // Ownership runs beside the review, on its own: owners are asked and `promptops/owners` set
  // even when the eval is skipped (draft, no model access) or fails.
  app.on([...REVIEW_EVENTS], async (context) => {
    await syncOwnership(deps(context), {
      repo: context.repo(),
      number: context.payload.pull_request.number,
      trigger: `pull_request.${context.payload.action}`,
    });
  });

  app.on(["pull_request_review.submitted", "pull_request_review.dismissed"], async (context) => {
    await syncOwnership(deps(context), {
      repo: context.repo(),
      number: context.payload.pull_request.number,
      trigger: `pull_request_review.${context.payload.action}`,
    });
  });

  // Approved prompt versions get their tags on merge; a PR closed unmerged has nothing to tag.
  app.on("pull_request.closed", async (context) => {
    if (!context.payload.pull_request.merged) return;
    await tagMergedPrompts(deps(context), { ...context.repo(), number: context.payload.pull_request.number });
  });

  app.on("check_run.rerequested", async (context) => {
    const run = context.payload.check_run;
    await rerunCheck(deps(context), {
      repo: context.repo(),
      name: run.name,
      appId: run.app?.id,
      ...(ownAppId !== undefined ? { ownAppId } : {}),
      pullRequests: run.pull_requests.map((pr) => pr.number),
    });
  });

  app.on("check_suite.rerequested", async (context) => {
    const suite = context.payload.check_suite;
    await rerunCheckSuite(deps(context), {
      repo: context.repo(),
      appId: suite.app?.id ?? undefined,
      ...(ownAppId !== undefined ? { ownAppId } : {}),
      pullRequests: suite.pull_requests.map((pr) => pr.number),
    });
  });

  app.on("issue_comment.created", async (context) => {
    const { issue, comment } = context.payload;
    await rerunFromComment(deps(context), {
      repo: context.repo(),
      number: issue.number,
      onPullRequest: Boolean(issue.pull_request),
      body: comment.body,
      author: comment.user?.login ?? "ghost",
      authorIsBot: comment.user?.type === "Bot",
    });
  });
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
