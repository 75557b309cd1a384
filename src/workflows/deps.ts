// What a workflow needs from its host: the GitHub port, model access from the base config, a
// clock and a logger (src/host/deps.ts builds it from an Octokit).

import type { PromptOpsConfig } from "../core/config/model.js";
import type { ModelAccess } from "../core/eval/evaluate.js";
import type { CheckRun, GitHubPort } from "../github/port.js";
import type { HeadLocks } from "./head-locks.js";
import type { DeliveryReads } from "./pull-request-view.js";

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
  /** Where the rules' config lives in the repository, when not `.github/promptops.yml` (the Action's `config` input). */
  configPath?: string;
  /** false: post no pull request comment even where the config asks for one (default true). */
  comment?: boolean;
  /**
   * This host's GitHub App id, when it has one: check runs of our names made by another app
   * (or by a workflow with GITHUB_TOKEN) are then neither reused nor trusted as evidence.
   */
  appId?: number;
  /**
   * What this delivery has read already (the pull request, its files, the base rules, both
   * sides), shared by every workflow answering it; absent, each workflow reads for itself.
   */
  reads?: DeliveryReads;
  /**
   * Serialises the writes of concurrent deliveries for one head (see head-locks.ts). Default:
   * this process's locks; a host with several processes at once passes shared ones.
   */
  locks?: HeadLocks;
}

/**
 * Whether `run` may be this host's: any run when the app id is unknown (the Action, the CLI),
 * else only runs made by that app. Anyone able to create check runs can give one our name.
 */
export function isOwnRun(run: CheckRun, appId: number | undefined): boolean {
  return appId === undefined || run.appId === undefined || run.appId === appId;
}
