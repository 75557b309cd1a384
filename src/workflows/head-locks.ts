// Exactly one check run, one comment and one set of review requests per (pull request, head SHA)
// when GitHub delivers the same event several times at once (a retried webhook, "Redeliver"
// pressed twice, two events for one push). Each workflow runs its reads-then-writes for a head
// under a lock named after that head, so a second delivery starts only once the first has
// written, and then sees its check run, comment and review requests and adds none of its own.
//
// Why this is race-free, and why a lock rather than reconciling afterwards: GitHub offers no
// atomic "create if absent" for check runs, comments or review requests, and a check run can
// never be deleted, so two writers that both saw "nothing yet" cannot be tidied up later. The
// lock is taken before the first read: in one process the check and the taking of a key happen
// in the same synchronous step (no `await` between them), so two deliveries can never both hold
// it. A host running several processes at once (serverless instances) passes a HeadLocks backed
// by a store with an atomic create (`storeHeadLocks`); the Action relies on its workflow's
// `concurrency` group, which GitHub enforces per pull request.

export interface HeadLocks {
  /**
   * Runs `fn` alone for `key`, after whatever holds `key` now. A delivery identical to one
   * already queued or running under `key` (same `job`: the same event for the same head) joins
   * it and gets its result, so it neither runs nor waits to run again.
   */
  exclusive<T>(key: string, job: string, fn: () => Promise<T>): Promise<T>;
}

/** The lock name for one workflow's writes on one head of one pull request. */
export function headKey(pr: { owner: string; repo: string; number: number }, headSha: string, workflow: string): string {
  return `${pr.owner}/${pr.repo}#${pr.number}@${headSha}/${workflow}`.toLowerCase();
}

/**
 * Runs one workflow for one head alone (joining an identical job already under way), under the
 * host's locks or, when it passes none, this process's.
 */
export function exclusivePerHead<T>(
  locks: HeadLocks | undefined,
  head: { pr: { owner: string; repo: string; number: number }; sha: string; workflow: string },
  job: string,
  fn: () => Promise<T>,
): Promise<T> {
  return (locks ?? processHeadLocks).exclusive(headKey(head.pr, head.sha, head.workflow), job, fn);
}

/** Locks held in this process's memory; enough for a host that is one process (the App server). */
export function memoryHeadLocks(): HeadLocks {
  // The last job queued for each key: a new one starts when it has settled.
  const tails = new Map<string, Promise<unknown>>();
  const jobs = new Map<string, Promise<unknown>>();
  return {
    exclusive<T>(key: string, job: string, fn: () => Promise<T>): Promise<T> {
      const jobKey = `${key}\n${job}`;
      const joined = jobs.get(jobKey);
      if (joined) return joined as Promise<T>;
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(fn, fn);
      const settled = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, settled);
      jobs.set(jobKey, result);
      void settled.then(() => {
        if (tails.get(key) === settled) tails.delete(key);
        if (jobs.get(jobKey) === result) jobs.delete(jobKey);
      });
      return result;
    },
  };
}

/**
 * A key-value store with an atomic "create only if absent", such as Netlify Blobs
 * (`set(key, value, { onlyIfNew: true })`) or a database row with a unique key.
 */
export interface LockStore {
  /** Stores `value` under `key` unless the key exists; true when this call created it. */
  createIfAbsent(key: string, value: string): Promise<boolean>;
  /** Stores `value` under `key`, replacing what is there. */
  put(key: string, value: string): Promise<void>;
  get(key: string): Promise<string | undefined>;
  delete(key: string): Promise<void>;
}

export interface StoreLockOptions {
  /** A holder that crashed frees its lock after this long (default 15 minutes, a review's budget). */
  leaseMs?: number;
  /** How often a waiting delivery looks again (default 1 s). */
  pollMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Who holds the leases this instance writes (a delivery id). A lease left by the same holder
   * is taken over at once: it is that delivery run again after a crash (Netlify retries a failed
   * background function), which must not wait out its own lease.
   */
  holder?: string;
}

/**
 * Locks shared by every process that uses `store`, for hosts running several instances at
 * once. The holder writes a lease (its expiry and a random token) under the key and deletes it
 * when done; others poll until the key is gone, then race to create it: the store's atomic
 * create lets exactly one win. A lease that ran out (a crashed holder) is taken over through a
 * second atomic create, of a key named after that very lease, so of several waiters that saw
 * it expire exactly one replaces it. A holder deletes the key only while it still holds its
 * own token. Identical jobs in this process are joined as in `memoryHeadLocks`.
 */
export function storeHeadLocks(store: LockStore, options: StoreLockOptions = {}): HeadLocks {
  const leaseMs = options.leaseMs ?? 15 * 60_000;
  const pollMs = options.pollMs ?? 1000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const local = memoryHeadLocks();

  /** Returns the lease written, once this process holds `key`. */
  async function acquire(key: string): Promise<string> {
    for (;;) {
      const token = options.holder !== undefined ? `${options.holder}:${Math.random().toString(36).slice(2)}` : Math.random().toString(36).slice(2);
      const lease = `${now() + leaseMs}:${token}`;
      if (await store.createIfAbsent(key, lease)) return lease;
      const held = await store.get(key);
      if (held === undefined) continue; // released meanwhile
      const expires = Number(held.slice(0, held.indexOf(":")));
      const heldBy = held.slice(held.indexOf(":") + 1).replace(/:[^:]*$/, "");
      const ownCrashed = options.holder !== undefined && heldBy === options.holder;
      if (((Number.isFinite(expires) && expires < now()) || ownCrashed) && (await store.createIfAbsent(`${key}~${held}`, lease))) {
        await store.put(key, lease);
        return lease;
      }
      await sleep(pollMs);
    }
  }

  return {
    exclusive<T>(key: string, job: string, fn: () => Promise<T>): Promise<T> {
      return local.exclusive(key, job, async () => {
        const lease = await acquire(key);
        try {
          return await fn();
        } finally {
          // A holder slower than its lease must not free the lock of the one that took over.
          if ((await store.get(key)) === lease) await store.delete(key);
        }
      });
    },
  };
}

/** The locks of this process, shared by every delivery it handles unless a host passes its own. */
export const processHeadLocks: HeadLocks = memoryHeadLocks();
