// The eval cache across workflow runs, through the Actions cache: model responses are kept in a
// folder (the CLI's folder cache, one file per request key) that is restored before a run and
// saved after one. Restoring is safe anywhere; saving happens only on the default branch, so a
// pull request can never put answers in front of other pull requests (GitHub lets a PR's runs
// read the default branch's caches, never another PR's).

import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import type { ResponseCache } from "../core/eval/cache.js";

/** Bumped when the stored format changes, so old entries are never read as new ones. */
export const CACHE_PREFIX = "promptops-eval-v1-";

export interface CachePlanInput {
  eventName: string;
  /** GITHUB_REF: `refs/heads/main`, `refs/pull/7/merge`, ... */
  ref: string | undefined;
  /** From the event's `repository.default_branch`, when the payload has it. */
  defaultBranch: string | undefined;
}

export interface CachePlan {
  restore: boolean;
  save: boolean;
  /** Why not saved, for the log. */
  why: string;
}

/**
 * `pull_request_target` runs with the default branch as GITHUB_REF but reviews a PR's content, so
 * it restores and never saves, like `pull_request`; runs on the default branch itself save.
 */
export function evalCachePlan(input: CachePlanInput): CachePlan {
  const onDefault = input.defaultBranch !== undefined && input.ref === `refs/heads/${input.defaultBranch}`;
  if (input.eventName.startsWith("pull_request")) return { restore: true, save: false, why: "pull request runs only read the cache" };
  if (!onDefault) return { restore: true, save: false, why: `${input.ref ?? "this ref"} is not the default branch` };
  return { restore: true, save: true, why: "a run on the default branch" };
}

/**
 * The key of a cache folder: a digest of the request keys it holds, which are themselves content
 * hashes of (model, parameters, rendered prompt). The same prompts give the same key, so a run
 * that learned nothing new saves nothing; any new answer gives a new key.
 */
export async function contentKey(dir: string): Promise<string | undefined> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith(".json")).sort();
  } catch {
    return undefined;
  }
  if (names.length === 0) return undefined;
  return CACHE_PREFIX + createHash("sha256").update(names.join("\n")).digest("hex").slice(0, 32);
}

/** The Actions cache service, as `@actions/cache` offers it. */
export interface CacheService {
  isAvailable(): boolean | Promise<boolean>;
  restore(paths: string[], primaryKey: string, restoreKeys: string[]): Promise<string | undefined>;
  save(paths: string[], key: string): Promise<number>;
}

/** `@actions/cache`, loaded only when a run uses it (it is large and reads the runner's ACTIONS_* variables). */
export function actionsCacheService(): CacheService {
  let loaded: Promise<typeof import("@actions/cache")> | undefined;
  const cache = () => (loaded ??= import("@actions/cache"));
  return {
    // Without either service's address there is nothing to load; with one, the library decides (GHES uses v1).
    isAvailable: async () => Boolean(process.env.ACTIONS_RESULTS_URL || process.env.ACTIONS_CACHE_URL) && (await cache()).isFeatureAvailable(),
    restore: async (paths, primaryKey, restoreKeys) => (await cache()).restoreCache(paths, primaryKey, restoreKeys),
    save: async (paths, key) => (await cache()).saveCache(paths, key),
  };
}

export interface EvalCacheLog {
  info(message: string): void;
  warn(message: string): void;
}

/** Restores the latest saved folder into `dir`; returns the key restored. Never throws: no cache is a slower run, not a failed one. */
export async function restoreEvalCache(service: CacheService, plan: CachePlan, dir: string, log: EvalCacheLog): Promise<string | undefined> {
  if (!plan.restore) return undefined;
  if (!(await available(service))) {
    log.warn("The Actions cache service is not available here: model responses are not reused from earlier runs.");
    return undefined;
  }
  try {
    // No exact key is known before the run; the newest entry under the prefix is the best start.
    const key = await service.restore([dir], `${CACHE_PREFIX}latest`, [CACHE_PREFIX]);
    log.info(key ? `Restored model responses from the Actions cache (${key}).` : "No model responses in the Actions cache yet.");
    return key;
  } catch (error) {
    log.warn(`Could not restore model responses from the Actions cache: ${message(error)}`);
    return undefined;
  }
}

/** Saves `dir` when the plan allows it and the run added answers; returns the key saved. Never throws. */
export async function saveEvalCache(
  service: CacheService,
  plan: CachePlan,
  dir: string,
  restoredKey: string | undefined,
  log: EvalCacheLog,
): Promise<string | undefined> {
  if (!plan.save) {
    log.info(`Model responses not saved to the Actions cache: ${plan.why}.`);
    return undefined;
  }
  const key = await contentKey(dir);
  if (key === undefined || key === restoredKey) return undefined;
  if (!(await available(service))) {
    log.warn("The Actions cache service is not available here: model responses are not kept for later runs.");
    return undefined;
  }
  try {
    await service.save([dir], key);
    log.info(`Saved model responses to the Actions cache (${key}).`);
    return key;
  } catch (error) {
    // A concurrent run of the same content may have saved the key first: same answers, nothing lost.
    log.warn(`Could not save model responses to the Actions cache: ${message(error)}`);
    return undefined;
  }
}

async function available(service: CacheService): Promise<boolean> {
  try {
    return await service.isAvailable();
  } catch {
    return false;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `cache` once `restoring` has settled: a restore can then overlap the run's GitHub reads. */
export function afterRestore(cache: ResponseCache, restoring: Promise<unknown>): ResponseCache {
  const ready = restoring.then(
    () => undefined,
    () => undefined,
  );
  return {
    get: async (key) => (await ready, cache.get(key)),
    set: async (key, value) => (await ready, cache.set(key, value)),
  };
}
