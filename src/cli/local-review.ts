// The local review behind `promptops review` and the demo: the same core review the App runs,
// between two revisions of a git repository on disk.

import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { CONFIG_PATH, type PromptOpsConfig } from "../core/config/model.js";
import { memoryCache, type ResponseCache } from "../core/eval/cache.js";
import { createModelAccess } from "../core/eval/models.js";
import type { RecordedResponse } from "../core/providers/replay.js";
import { reviewChanges, type Review } from "../core/review.js";
import { folderCache } from "./folder-cache.js";
import { proxiedFetch } from "../net/proxy.js";
import { outsideRoot } from "./git.js";
import { UsageError, type CliIO } from "./io.js";
import { createProgress } from "./progress.js";
import { loadRevisions } from "./revisions.js";
import { sizeHeapForStreaming } from "../host/heap.js";

export interface ModelOptions {
  /** Overrides `providers.concurrency`. */
  concurrency?: number;
  /** false: no response cache (`--no-cache`). */
  cache?: boolean;
  /** Answer every request from this recordings file. */
  replay?: string;
  /** Write every response received to this recordings file. */
  record?: string;
  /** Hosts of repository-configured endpoints allowed to receive the user's keys (`--trust-endpoint`). */
  trustEndpoint?: string[];
}

/** The variable naming hosts whose repository-configured endpoints may receive the user's keys. */
export const TRUST_ENDPOINTS_ENV = "PROMPTOPS_TRUST_ENDPOINTS";

/**
 * Endpoint hosts the user allowed, from `--trust-endpoint` and PROMPTOPS_TRUST_ENDPOINTS. A clone
 * of someone else's repository must not be able to point `providers.openai.baseUrl` at its own
 * server and be sent the user's OPENAI_API_KEY, so a configured endpoint gets a key only when
 * its host is named here (servers on this machine excepted).
 */
export function trustedEndpointHosts(env: Record<string, string | undefined>, flags: readonly string[] = []): string[] {
  const fromEnv = (env[TRUST_ENDPOINTS_ENV] ?? "").split(",");
  return [...flags, ...fromEnv].map((h) => h.trim()).filter((h) => h !== "");
}

export interface LocalReviewOptions extends ModelOptions {
  base: string;
  head: string;
}

/** Parses `--concurrency`; commander hands options over as strings. */
export function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError(`--concurrency takes a whole number from 1 to 1000, not "${value}"`);
  return n;
}

/**
 * The response cache of a repository: `.promptops/cache` at its root (git-ignore it). None with
 * `--no-cache`: the runner still sends identical requests of a run once, and an in-memory cache
 * would hold every answer of a large eval.
 */
export function cacheFor(root: string, enabled: boolean | undefined): ResponseCache | undefined {
  return enabled === false ? undefined : folderCache(join(root, ".promptops", "cache"));
}

/** `root`: the repository the file is named by (its config), which it must not lead out of. */
async function readRecordings(io: CliIO, file: string, root?: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    const target = root !== undefined ? await outsideRoot(root, resolve(io.cwd, file)) : undefined;
    if (target !== undefined) throw new UsageError(`providers.replay.file ${file} leads to ${target}, outside the repository; it was not read`);
    text = await readFile(resolve(io.cwd, file), "utf8");
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read the recordings file ${file}`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new UsageError(`${file} is not a recordings file (a JSON object of request key -> response)`);
}

/** Model access for a CLI command: env, cache, replay and recording, a progress bar on a TTY. */
export async function cliModels(io: CliIO, root: string, config: PromptOpsConfig, options: ModelOptions) {
  // This process is about to run an evaluation: a stream of short-lived requests (host/heap.ts).
  sizeHeapForStreaming();
  const progress = createProgress(process.stderr);
  const recorded: Record<string, RecordedResponse> = {};
  const replay = options.replay ? await readRecordings(io, options.replay) : undefined;
  const recordings = config.providers.replay.file ? await readRecordings({ ...io, cwd: root }, config.providers.replay.file, root) : undefined;
  // Model calls go through HTTPS_PROXY / HTTP_PROXY (minus NO_PROXY) when one is set.
  const proxied = proxiedFetch(io.env);
  const models = createModelAccess({
    config,
    env: io.env,
    ...(proxied ? { fetch: proxied } : {}),
    trustConfigEndpoints: false,
    trustedHosts: trustedEndpointHosts(io.env, options.trustEndpoint),
    endpointOptIn: (host) => `if you trust ${host} with your API key, pass --trust-endpoint ${host} or set ${TRUST_ENDPOINTS_ENV}=${host}`,
    cache: cacheFor(root, options.cache),
    ...(replay ? { replay } : {}),
    ...(recordings ? { recordings } : {}),
    ...(options.record ? { record: (key: string, response: RecordedResponse) => void (recorded[key] = response) } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    onProgress: io.isTTY ? progress.onProgress : undefined,
    now: () => performance.now(),
    wallClock: Date.now,
  });
  return {
    models,
    async finish() {
      progress.done();
      if (options.record) {
        await writeFile(resolve(io.cwd, options.record), `${JSON.stringify(recorded, null, 2)}\n`);
        io.stderr(`Recorded ${Object.keys(recorded).length} responses to ${options.record}\n`);
      }
    },
  };
}

/**
 * Reviews `head` against `base` in the repository at `cwd`. Rules (config) come from the base,
 * as on GitHub. Returns undefined after printing the problems when the base config is broken.
 */
export async function runLocalReview(io: CliIO, options: LocalReviewOptions): Promise<Review | undefined> {
  const revisions = await loadRevisions(io, options.base, options.head);
  if (!revisions) return undefined;
  // Say where the rules came from: a newcomer's config change on the branch is not applied yet.
  const configChanged = revisions.changes.some((c) => c.path === CONFIG_PATH || c.previousPath === CONFIG_PATH);
  io.stderr(`promptops: rules from ${options.base} (${CONFIG_PATH} as it is there)${configChanged ? `; the change to it on ${options.head} applies once merged` : ""}\n`);
  const { models, finish } = await cliModels(io, revisions.root, revisions.config, options);
  try {
    return await reviewChanges({
      config: revisions.config,
      base: revisions.baseWorkspace,
      head: revisions.headWorkspace,
      changes: revisions.changes,
      models,
      baseRef: options.base,
      headRef: options.head,
      now: () => performance.now(),
    });
  } finally {
    await finish();
  }
}
