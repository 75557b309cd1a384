// The deps factory: what every host (the Probot App, the Action, the Netlify worker) hands a
// workflow, built the same way from an Octokit and the host's settings.

import type { ResponseCache } from "../core/eval/cache.js";
import { createModelAccess } from "../core/eval/models.js";
import type { SpendCapState } from "../core/providers/spend-cap.js";
import { withImmutableReadCache } from "../github/immutable-reads.js";
import { createGitHubPort, type OctokitLike } from "../github/octokit.js";
import type { WorkflowDeps, WorkflowLog } from "../workflows/deps.js";
import type { DeliveryReads } from "../workflows/pull-request-view.js";
import { modelEnv } from "./model-env.js";

export interface HostSettings {
  /**
   * The host's environment. Only model settings reach the models (`modelEnv`): a repository's
   * config names the variables its keys come from, so the host's own secrets must not be there.
   */
  env: Record<string, string | undefined>;
  /** Shared across reviews so a rerun sends no model request twice. */
  cache?: ResponseCache;
  /** For model providers (tests point it at a local server). */
  fetch?: typeof fetch;
  /** This host's GitHub App id; undefined for the Action (its runs are made with a workflow token). */
  appId?: number;
  /** Whether a repository's `providers.<name>.baseUrl` may receive the host's model keys (default false). */
  trustConfigEndpoints?: boolean;
  now?: () => number;
  /** A cap on model spend for everything this host runs (the Action's `budget-usd`). */
  spendCap?: SpendCapState;
  /** Overrides `providers.concurrency` (the Action's `concurrency` input). */
  concurrency?: number;
  /** false: the host posts no pull request comment (the Action's `comment: false`). */
  comment?: boolean;
}

/** The workflow deps for one delivery: its log, and the reads it shares between its routes. */
export function hostDeps(octokit: OctokitLike, settings: HostSettings, delivery: { log: WorkflowLog; reads?: DeliveryReads }): WorkflowDeps {
  const { log, reads } = delivery;
  const env = modelEnv(settings.env);
  const port = createGitHubPort(octokit, { logger: { warn: (m) => log.warn(m), debug: (m) => log.debug?.(m) } });
  return {
    github: reads ? withImmutableReadCache(port, reads.immutable) : port,
    models: (config, extras = {}) =>
      createModelAccess({
        config,
        env,
        ...(settings.cache ? { cache: settings.cache } : {}),
        ...(settings.fetch ? { fetch: settings.fetch } : {}),
        ...(extras.recordings ? { recordings: extras.recordings } : {}),
        trustConfigEndpoints: settings.trustConfigEndpoints ?? false,
        ...(settings.spendCap ? { spendCap: settings.spendCap } : {}),
        ...(settings.concurrency !== undefined ? { concurrency: settings.concurrency } : {}),
        wallClock: Date.now,
      }),
    now: settings.now ?? (() => performance.now()),
    log,
    ...(settings.comment === false ? { comment: false } : {}),
    ...(settings.appId !== undefined ? { appId: settings.appId } : {}),
    ...(reads ? { reads } : {}),
  };
}
