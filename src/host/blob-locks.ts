// Per-head locks for a host that runs several instances at once (the Netlify worker): a
// `LockStore` over a Netlify Blobs store, whose `set(..., { onlyIfNew: true })` is the atomic
// create the locks need. Typed structurally, so nothing here loads `@netlify/blobs`.

import { storeHeadLocks, type HeadLocks, type LockStore, type StoreLockOptions } from "../workflows/head-locks.js";

/** The part of a Netlify Blobs `Store` the locks use. */
export interface BlobStoreLike {
  set(key: string, data: string, options?: { onlyIfNew: true }): Promise<{ modified: boolean }>;
  get(key: string, options: { consistency: "strong" }): Promise<string | null>;
  delete(key: string): Promise<void>;
}

export function blobLockStore(store: BlobStoreLike, prefix = "head-locks/"): LockStore {
  return {
    createIfAbsent: async (key, value) => (await store.set(prefix + encodeURIComponent(key), value, { onlyIfNew: true })).modified,
    put: async (key, value) => void (await store.set(prefix + encodeURIComponent(key), value)),
    // A lease must be read as it is now, not from an edge cache.
    get: async (key) => (await store.get(prefix + encodeURIComponent(key), { consistency: "strong" })) ?? undefined,
    delete: (key) => store.delete(prefix + encodeURIComponent(key)),
  };
}

/** Head locks shared by every instance that uses `store`. */
export function blobHeadLocks(store: BlobStoreLike, options: StoreLockOptions = {}): HeadLocks {
  return storeHeadLocks(blobLockStore(store), options);
}
