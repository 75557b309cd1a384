// What a workflow needs from its host, and how a host that has an Octokit (the App)
// builds it: the GitHub port, model access from the base config, a clock and a logger.

import type { PromptOpsConfig } from "../core/config/model.js";
import type { ResponseCache } from "../core/eval/cache.js";
import type { ModelAccess } from "../core/eval/evaluate.js";
import { createModelAccess } from "../core/eval/models.js";
import { NO_REDACTION, type Redactor } from "../core/redact.js";
import { withImmutableReadCache, type ImmutableReadStore } from "../github/immutable-reads.js";
import { createGitHubPort, type OctokitLike } from "../github/octokit.js";
import type { CheckRun, GitHubPort } from "../github/port.js";

export interface WorkflowLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug?(message: string): void;
}

export interface ModelExtras {
  /** Contents of `providers.replay.file` at the base, for models written `replay/...`. */
  recordings?: Record<string, unknown>;
}

export interface WorkflowDeps {
  github: GitHubPort;
  /** Built once per review: the runner's stats are the review's. */
  models: (config: PromptOpsConfig, extras?: ModelExtras) => ModelAccess;
  /** Milliseconds; only differences are used. */
  now: () => number;
  log: WorkflowLog;
  /**
   * This host's GitHub App id, when it has one: check runs of our names made by another app
   * (or by a workflow with GITHUB_TOKEN) are then neither reused nor trusted as evidence.
   */
  appId?: number;
}

export interface OctokitDepsOptions {
  /** Where provider keys come from (OPENAI_API_KEY, ANTHROPIC_API_KEY, GITHUB_TOKEN, ...). */
  env: Record<string, string | undefined>;
  log: WorkflowLog;
  /** Shared across reviews so a rerun sends no model request twice. */
  cache?: ResponseCache;
  fetch?: typeof fetch;
  now?: () => number;
  appId?: number;
  /** Whether a repository's `providers.<name>.baseUrl` may receive the host's model keys (default false). */
  trustConfigEndpoints?: boolean;
  /**
   * Tree listings and file contents already read for this webhook delivery, shared by every
   * handler of it (the review and the ownership sync read the same trees and files).
   */
  reads?: ImmutableReadStore;
  /** Masks the host's secrets in every GitHub write, log line and model answer. */
  redactor?: Redactor;
}

export function workflowDepsFromOctokit(octokit: OctokitLike, options: OctokitDepsOptions): WorkflowDeps {
  const { env, cache } = options;
  const redactor = options.redactor ?? NO_REDACTION;
  const log = redactingLog(options.log, redactor);
  const port = createGitHubPort(octokit, {
    logger: { warn: (m) => log.warn(m), debug: (m) => log.debug?.(m) },
    redactor,
    ...(options.appId !== undefined ? { identity: { appId: options.appId } } : {}),
  });
  return {
    github: options.reads ? withImmutableReadCache(port, options.reads) : port,
    models: (config, extras = {}) =>
      createModelAccess({
        config,
        env,
        ...(cache ? { cache } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(extras.recordings ? { recordings: extras.recordings } : {}),
        trustConfigEndpoints: options.trustConfigEndpoints ?? false,
        ...(options.redactor ? { redactor: options.redactor } : {}),
        wallClock: Date.now,
      }),
    now: options.now ?? (() => performance.now()),
    log,
    ...(options.appId !== undefined ? { appId: options.appId } : {}),
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

/**
 * Whether `run` may be this host's: any run when the app id is unknown (the Action, the CLI),
 * else only runs made by that app. Anyone able to create check runs can give one our name.
 */
export function isOwnRun(run: CheckRun, appId: number | undefined): boolean {
  return appId === undefined || run.appId === undefined || run.appId === appId;
}
