// The response cache port: successful model responses by request key, so a rerun of the same
// review sends nothing. Stores: memory (tests, the App), a folder (CLI).

import type { ModelResponse } from "../providers/port.js";

export interface ResponseCache {
  get(key: string): Promise<ModelResponse | undefined>;
  set(key: string, value: ModelResponse): Promise<void>;
}

export function memoryCache(initial: Iterable<[string, ModelResponse]> = []): ResponseCache & { readonly size: number } {
  const entries = new Map(initial);
  return {
    get size() {
      return entries.size;
    },
    async get(key) {
      return entries.get(key);
    },
    async set(key, value) {
      entries.set(key, value);
    },
  };
}

/** True when `value` has the shape of a ModelResponse; stores use it to treat junk as a miss. */
export function isModelResponse(value: unknown): value is ModelResponse {
  const v = value as ModelResponse | null;
  return (
    !!v &&
    typeof v === "object" &&
    typeof v.output === "string" &&
    !!v.usage &&
    typeof v.usage.input === "number" &&
    typeof v.usage.output === "number" &&
    typeof v.latencyMs === "number" &&
    (v.costUsd === undefined || typeof v.costUsd === "number")
  );
}
