// The deps factory: what every host (the Probot App, the Action, the Netlify worker) hands a
// workflow, built the same way from an Octokit and the host's settings.

import type { ResponseCache } from "../core/eval/cache.js";
import { createModelAccess } from "../core/eval/models.js";
import type { SpendCapState } from "../core/providers/spend-cap.js";
import { NO_REDACTION, type Redactor } from "../core/redact.js";
import { withImmutableReadCache } from "../github/immutable-reads.js";
import { createGitHubPort, type OctokitLike } from "../github/octokit.js";
import type { WriterIdentity } from "../github/port.js";
import type { WorkflowDeps, WorkflowLog } from "../workflows/deps.js";
import type { HeadLocks } from "../workflows/head-locks.js";
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
  /** The config's path in the repository when not `.github/promptops.yml` (the Action's `config` input). */
  configPath?: string;
  /** false: the host posts no pull request comment (the Action's `comment: false`). */
  comment?: boolean;
  /**
   * Who this host writes to GitHub as: only its own comments are edited or deleted. Default:
   * the App id (`appId`). The Action passes the token's identity (`github-actions[bot]`, app 15368).
   */
  identity?: WriterIdentity;
  /**
   * Serialises concurrent deliveries per head (src/workflows/head-locks.ts). Default: this
   * process's locks, right for the App server; a host running several instances at once
   * (Netlify) passes `storeHeadLocks(...)` over its store.
   */
  locks?: HeadLocks;
  /** Masks the host's secrets (`secretsFrom(env)`) in every GitHub write, log line and model answer. */
  redactor?: Redactor;
}

/** The workflow deps for one delivery: its log, and the reads it shares between its routes. */
export function hostDeps(octokit: OctokitLike, settings: HostSettings, delivery: { log: WorkflowLog; reads?: DeliveryReads }): WorkflowDeps {
  const redactor = settings.redactor ?? NO_REDACTION;
  const log = redactingLog(delivery.log, redactor);
  const { reads } = delivery;
  const env = modelEnv(settings.env);
  const identity = settings.identity ?? (settings.appId !== undefined ? { appId: settings.appId } : undefined);
  const port = createGitHubPort(octokit, {
    logger: { warn: (m) => log.warn(m), debug: (m) => log.debug?.(m) },
    redactor,
    ...(identity ? { identity } : {}),
  });
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
        redactor,
        wallClock: Date.now,
      }),
    now: settings.now ?? (() => performance.now()),
    log,
    ...(settings.comment === false ? { comment: false } : {}),
    ...(settings.configPath !== undefined ? { configPath: settings.configPath } : {}),
    ...(settings.appId !== undefined ? { appId: settings.appId } : {}),
    ...(reads ? { reads } : {}),
    ...(settings.locks ? { locks: settings.locks } : {}),
  };
}

/** `log` with secrets masked in every line. */
export function redactingLog(log: WorkflowLog, redactor: Redactor): WorkflowLog {
  if (redactor.secrets.length === 0) return log;
  const r = (m: string) => redactor.redact(m);
  return {
    info: (m) => log.info(r(m)),
    warn: (m) => log.warn(r(m)),
    error: (m) => log.error(r(m)),
    ...(log.debug ? { debug: (m: string) => log.debug!(r(m)) } : {}),
  };
}
