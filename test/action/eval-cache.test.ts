// The eval cache across runs: where it is read, where it is written, and under which key.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { memoryCache } from "../../src/core/eval/cache.js";
import { afterRestore, CACHE_PREFIX, contentKey, evalCachePlan, restoreEvalCache, saveEvalCache, type CacheService } from "../../src/action/eval-cache.js";
import { folderCache } from "../../src/cli/folder-cache.js";
import { tempDir } from "../cli/git-fixture.js";

const main = (eventName: string, ref = "refs/heads/main") => evalCachePlan({ eventName, ref, defaultBranch: "main" });

describe("evalCachePlan", () => {
  it("restores everywhere and saves only from runs on the default branch", () => {
    expect(main("pull_request", "refs/pull/7/merge")).toMatchObject({ restore: true, save: false });
    // pull_request_target runs with the default branch as its ref but on a PR's content.
    expect(main("pull_request_target")).toMatchObject({ restore: true, save: false });
    expect(main("push")).toMatchObject({ restore: true, save: true });
    expect(main("workflow_dispatch")).toMatchObject({ restore: true, save: true });
    expect(main("schedule")).toMatchObject({ restore: true, save: true });
    expect(main("push", "refs/heads/feature")).toMatchObject({ save: false, why: "refs/heads/feature is not the default branch" });
    expect(evalCachePlan({ eventName: "push", ref: "refs/heads/main", defaultBranch: undefined })).toMatchObject({ save: false });
  });
});

describe("contentKey", () => {
  it("is the same for the same responses, whatever order they were written in, and new for a new one", async () => {
    const a = tempDir();
    const b = tempDir();
    const response = { output: "ok", usage: { input: 1, output: 1 }, latencyMs: 5 };
    await folderCache(a).set("k1", response);
    await folderCache(a).set("k2", response);
    await folderCache(b).set("k2", response);
    await folderCache(b).set("k1", response);
    expect(await contentKey(a)).toBe(await contentKey(b));
    expect(await contentKey(a)).toMatch(new RegExp(`^${CACHE_PREFIX}[0-9a-f]{32}$`));
    await folderCache(b).set("k3", response);
    expect(await contentKey(b)).not.toBe(await contentKey(a));
    expect(await contentKey(tempDir())).toBeUndefined();
  });
});

/** The service's contract as @actions/cache offers it, in memory: key -> folder contents. */
function memoryService(available = true): CacheService & { saved: string[]; failSave?: Error } {
  const entries = new Map<string, Record<string, string>>();
  const service = {
    saved: [] as string[],
    failSave: undefined as Error | undefined,
    isAvailable: () => available,
    async restore(paths: string[], primaryKey: string, restoreKeys: string[]) {
      const key = entries.has(primaryKey) ? primaryKey : [...entries.keys()].reverse().find((k) => restoreKeys.some((p) => k.startsWith(p)));
      if (key === undefined) return undefined;
      mkdirSync(paths[0]!, { recursive: true });
      for (const [name, text] of Object.entries(entries.get(key)!)) writeFileSync(join(paths[0]!, name), text);
      return key;
    },
    async save(paths: string[], key: string) {
      if (service.failSave) throw service.failSave;
      const { readdirSync, readFileSync } = await import("node:fs");
      entries.set(key, Object.fromEntries(readdirSync(paths[0]!).map((n) => [n, readFileSync(join(paths[0]!, n), "utf8")])));
      service.saved.push(key);
      return 1;
    },
  };
  return service;
}

describe("restoring and saving", () => {
  const log = () => {
    const lines: string[] = [];
    return { lines, info: (m: string) => void lines.push(m), warn: (m: string) => void lines.push(`warning: ${m}`) };
  };
  const response = { output: "ok", usage: { input: 1, output: 1 }, latencyMs: 5 };

  it("a PR reads what the default branch saved, and its own answers are never saved", async () => {
    const service = memoryService();
    const onMain = tempDir();
    await folderCache(onMain).set("base-answer", response);
    const saved = await saveEvalCache(service, main("push"), onMain, undefined, log());
    expect(saved).toBe(await contentKey(onMain));

    const onPr = tempDir();
    const restored = await restoreEvalCache(service, main("pull_request", "refs/pull/7/merge"), onPr, log());
    expect(restored).toBe(saved);
    expect(await folderCache(onPr).get("base-answer")).toEqual(response);
    await folderCache(onPr).set("head-answer", response);
    const prLog = log();
    expect(await saveEvalCache(service, main("pull_request", "refs/pull/7/merge"), onPr, restored, prLog)).toBeUndefined();
    expect(service.saved).toEqual([saved]);
    expect(prLog.lines).toEqual(["Model responses not saved to the Actions cache: pull request runs only read the cache."]);
  });

  it("a default-branch run that learned nothing new saves nothing", async () => {
    const service = memoryService();
    const dir = tempDir();
    await folderCache(dir).set("a", response);
    const first = await saveEvalCache(service, main("push"), dir, undefined, log());
    const again = tempDir();
    const restored = await restoreEvalCache(service, main("push"), again, log());
    expect(await saveEvalCache(service, main("push"), again, restored, log())).toBeUndefined();
    expect(service.saved).toEqual([first]);
  });

  it("carries on with a warning when the service is missing or fails", async () => {
    const missing = log();
    expect(await restoreEvalCache(memoryService(false), main("pull_request"), tempDir(), missing)).toBeUndefined();
    expect(missing.lines).toEqual(["warning: The Actions cache service is not available here: model responses are not reused from earlier runs."]);

    const failing = memoryService();
    failing.failSave = new Error("Unable to reserve cache with key x, another job may be creating this cache.");
    const dir = tempDir();
    await folderCache(dir).set("a", response);
    const failed = log();
    expect(await saveEvalCache(failing, main("push"), dir, undefined, failed)).toBeUndefined();
    expect(failed.lines).toEqual(["warning: Could not save model responses to the Actions cache: Unable to reserve cache with key x, another job may be creating this cache."]);
  });
});

describe("afterRestore", () => {
  it("answers once the restore has settled, so a restore can overlap the GitHub reads", async () => {
    const response = { output: "ok", usage: { input: 1, output: 1 }, latencyMs: 5 };
    const store = memoryCache();
    let finish!: () => void;
    const cache = afterRestore(store, new Promise<void>((resolve) => (finish = resolve)));
    const read = cache.get("k");
    await store.set("k", response); // what the restore brings
    finish();
    expect(await read).toEqual(response);

    // A failed restore is a cold cache, not a failed review.
    const cold = afterRestore(memoryCache(), Promise.reject(new Error("cache service down")));
    expect(await cold.get("k")).toBeUndefined();
  });
});
