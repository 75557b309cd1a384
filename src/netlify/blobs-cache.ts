// The eval cache in Netlify Blobs (the ResponseCache port): one JSON entry per request key, so a
// rerun of a review on the serverless App sends no model request it already made.

import { createHash } from "node:crypto";
import type { Store } from "@netlify/blobs";
import { isModelResponse, type ResponseCache } from "../core/eval/cache.js";

/**
 * `prefix` keeps one repository's answers apart from another's (the host passes the repository
 * id): an installation that may point a provider at its own endpoint must not fill the cache
 * another installation reads.
 */
export function blobsCache(store: Store, prefix = ""): ResponseCache {
  const keyOf = (key: string) => {
    // Request keys are hex digests; anything else is hashed into one (a Blobs key has rules).
    const safe = /^[A-Za-z0-9_-]{1,128}$/.test(key) ? key : createHash("sha256").update(key).digest("hex");
    return `${prefix}${safe}`;
  };
  return {
    async get(key) {
      const value: unknown = await store.get(keyOf(key), { type: "json" }).catch(() => undefined);
      // A damaged or foreign entry is a miss, never a wrong answer.
      return isModelResponse(value) ? value : undefined;
    },
    async set(key, value) {
      await store.setJSON(keyOf(key), value);
    },
  };
}
