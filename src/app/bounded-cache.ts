// The App's default response cache: in memory, bounded, so a long-running server does not grow
// without limit. Oldest entries go first; serverless hosts pass a persistent store instead.

import type { ResponseCache } from "../core/eval/cache.js";
import type { ModelResponse } from "../core/providers/port.js";

export function boundedMemoryCache(maxEntries = 5_000): ResponseCache {
  const entries = new Map<string, ModelResponse>();
  return {
    async get(key) {
      const value = entries.get(key);
      if (value !== undefined) {
        // Re-insert so recently used entries are evicted last.
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    async set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
  };
}
