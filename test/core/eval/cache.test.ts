import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { folderCache } from "../../../src/cli/folder-cache.js";
import { isModelResponse, memoryCache } from "../../../src/core/eval/cache.js";
import type { ModelResponse } from "../../../src/core/providers/port.js";

const response: ModelResponse = { output: "Parcel delayed; refund offered.", usage: { input: 42, output: 7 }, latencyMs: 812, costUsd: 0.0000105 };
const key = "a".repeat(64);

describe("memoryCache", () => {
  it("returns what was set and misses otherwise", async () => {
    const cache = memoryCache();
    expect(await cache.get(key)).toBeUndefined();
    await cache.set(key, response);
    expect(await cache.get(key)).toEqual(response);
    expect(cache.size).toBe(1);
  });
});

describe("folderCache", () => {
  let dir: string;
  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), "promptops-cache-")), "cache");
  });
  afterEach(async () => {
    await rm(join(dir, ".."), { recursive: true, force: true });
  });

  it("stores one JSON file per key, creating the folder, and reads it back in a new instance", async () => {
    await folderCache(dir).set(key, response);
    expect(await readdir(dir)).toEqual([`${key}.json`]);
    expect(JSON.parse(await readFile(join(dir, `${key}.json`), "utf8"))).toEqual(response);
    expect(await folderCache(dir).get(key)).toEqual(response);
  });

  it("misses on a missing, corrupt or foreign file", async () => {
    const cache = folderCache(dir);
    expect(await cache.get(key)).toBeUndefined();
    await cache.set(key, response);
    await writeFile(join(dir, `${key}.json`), '{"output": "trunc');
    expect(await cache.get(key)).toBeUndefined();
    await writeFile(join(dir, `${key}.json`), '{"answer": 42}');
    expect(await cache.get(key)).toBeUndefined();
  });

  it("leaves no temporary files and survives concurrent writes of the same key", async () => {
    const cache = folderCache(dir);
    await Promise.all(Array.from({ length: 20 }, (_, i) => cache.set(key, { ...response, latencyMs: i })));
    expect(await readdir(dir)).toEqual([`${key}.json`]);
    expect(isModelResponse(await cache.get(key))).toBe(true);
  });

  it("keeps keys that are not hex digests inside the folder", async () => {
    const cache = folderCache(dir);
    await cache.set("../../escape", response);
    expect(await cache.get("../../escape")).toEqual(response);
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{64}\.json$/);
  });
});
