// The CLI's response cache: one JSON file per request key in a folder (default
// `.promptops/cache`), so a rerun of `promptops review` sends nothing it already asked.

import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isModelResponse, type ResponseCache } from "../core/eval/cache.js";

/** Request keys are hex digests; anything else is hashed so a key can never escape the folder. */
function fileName(key: string): string {
  const safe = /^[A-Za-z0-9_-]{1,128}$/.test(key) ? key : createHash("sha256").update(key).digest("hex");
  return `${safe}.json`;
}

export function folderCache(dir: string): ResponseCache {
  let ready: Promise<unknown> | undefined;
  return {
    async get(key) {
      let text: string;
      try {
        text = await readFile(join(dir, fileName(key)), "utf8");
      } catch {
        return undefined;
      }
      try {
        const value: unknown = JSON.parse(text);
        // A truncated or hand-edited file is a miss, never a crash or a wrong answer.
        return isModelResponse(value) ? value : undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, value) {
      ready ??= mkdir(dir, { recursive: true });
      await ready;
      const target = join(dir, fileName(key));
      // Write then rename: a reader (or a concurrent CLI run) never sees half a file.
      const temp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
      try {
        await writeFile(temp, JSON.stringify(value));
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
  };
}
