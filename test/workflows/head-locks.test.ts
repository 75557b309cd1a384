import { blobHeadLocks } from "../../src/host/blob-locks.js";
import { headKey, memoryHeadLocks, storeHeadLocks, type LockStore } from "../../src/workflows/head-locks.js";

const tick = () => new Promise((resolve) => setImmediate(resolve));

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("memoryHeadLocks", () => {
  it("runs jobs for one head one after the other, and heads in parallel", async () => {
    const locks = memoryHeadLocks();
    const log: string[] = [];
    const gate = deferred();
    const job = (name: string, wait?: Promise<void>) => async () => {
      log.push(`start ${name}`);
      await wait;
      log.push(`end ${name}`);
      return name;
    };
    const a = locks.exclusive("pr#1@abc/review", "opened", job("a", gate.promise));
    const b = locks.exclusive("pr#1@abc/review", "rerun", job("b"));
    const other = locks.exclusive("pr#1@def/review", "opened", job("other"));
    await tick();
    expect(log).toEqual(["start a", "start other", "end other"]);
    gate.resolve();
    expect(await Promise.all([a, b, other])).toEqual(["a", "b", "other"]);
    expect(log).toEqual(["start a", "start other", "end other", "end a", "start b", "end b"]);
  });

  it("joins an identical job instead of running it again, and a failure frees the head", async () => {
    const locks = memoryHeadLocks();
    let runs = 0;
    const job = async () => (++runs, "done");
    expect(await Promise.all([locks.exclusive("k", "opened", job), locks.exclusive("k", "opened", job)])).toEqual(["done", "done"]);
    expect(runs).toBe(1);
    await expect(locks.exclusive("k", "x", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await locks.exclusive("k", "opened", job)).toBe("done");
    expect(runs).toBe(2);
  });

  it("names a head by repository, pull request, SHA and workflow", () => {
    expect(headKey({ owner: "Acme", repo: "Bot", number: 7 }, "ABC", "review")).toBe("acme/bot#7@abc/review");
  });
});

describe("storeHeadLocks", () => {
  /** One store shared by two "processes", with an atomic create like Netlify Blobs' onlyIfNew. */
  function sharedStore(): LockStore & { data: Map<string, string> } {
    const data = new Map<string, string>();
    return {
      data,
      async createIfAbsent(key, value) {
        if (data.has(key)) return false;
        data.set(key, value);
        return true;
      },
      async put(key, value) {
        data.set(key, value);
      },
      async get(key) {
        return data.get(key);
      },
      async delete(key) {
        data.delete(key);
      },
    };
  }

  it("lets one process at a time hold a head across processes", async () => {
    const store = sharedStore();
    const sleep = () => tick().then(() => undefined);
    const first = storeHeadLocks(store, { sleep });
    const second = storeHeadLocks(store, { sleep });
    const log: string[] = [];
    const gate = deferred();
    const a = first.exclusive("k", "opened", async () => (log.push("a in"), await gate.promise, log.push("a out")));
    await tick();
    const b = second.exclusive("k", "opened", async () => void log.push("b in"));
    for (let i = 0; i < 5; i++) await tick();
    expect(log).toEqual(["a in"]);
    gate.resolve();
    await Promise.all([a, b]);
    expect(log).toEqual(["a in", "a out", "b in"]);
    expect(store.data.size).toBe(0);
  });

  it("lets a delivery run again after its own crash without waiting out its lease, and others still wait", async () => {
    const store = sharedStore();
    const now = 1_000;
    store.data.set("k", `${now + 60_000}:delivery-1:x7`); // delivery-1 crashed holding the head
    let slept = 0;
    const sleep = async () => void (slept++, await tick());
    const other = storeHeadLocks(store, { now: () => now, sleep, holder: "delivery-2" }).exclusive("k", "opened", async () => "other");
    await tick();
    expect(await storeHeadLocks(store, { now: () => now, sleep, holder: "delivery-1" }).exclusive("k", "opened", async () => "retried")).toBe("retried");
    // The other delivery waited for the retry to finish, then ran.
    expect(await other).toBe("other");
    expect(slept).toBeGreaterThan(0);
    expect([...store.data.keys()].filter((k) => k === "k")).toEqual([]);
  });

  it("takes over the lease of a holder that crashed, one waiter only", async () => {
    const store = sharedStore();
    let now = 1_000;
    store.data.set("k", `${now + 10}:crashed`);
    const sleep = async () => void ((now += 5), await tick());
    const running: string[] = [];
    let overlap = false;
    const job = (name: string) => async () => {
      if (running.length > 0) overlap = true;
      running.push(name);
      await tick();
      running.pop();
      return name;
    };
    const [a, b] = await Promise.all([
      storeHeadLocks(store, { now: () => now, sleep }).exclusive("k", "opened", job("a")),
      storeHeadLocks(store, { now: () => now, sleep }).exclusive("k", "opened", job("b")),
    ]);
    expect([a, b]).toEqual(["a", "b"]);
    expect(overlap).toBe(false);
  });

  it("a holder slower than its lease does not free the lock of the one that took over", async () => {
    const store = sharedStore();
    const locks = storeHeadLocks(store);
    await locks.exclusive("k", "opened", async () => {
      store.data.set("k", "9999999999999:successor");
    });
    expect(store.data.get("k")).toBe("9999999999999:successor");
  });
});

describe("blobHeadLocks", () => {
  it("takes a head with a Netlify Blobs write made only if new, read with strong consistency", async () => {
    const data = new Map<string, string>();
    const calls: string[] = [];
    const blobs = {
      async set(key: string, value: string, options?: { onlyIfNew: true }) {
        calls.push(`set ${key} onlyIfNew=${options?.onlyIfNew ?? false}`);
        if (options?.onlyIfNew && data.has(key)) return { modified: false };
        data.set(key, value);
        return { modified: true };
      },
      async get(key: string, options: { consistency: "strong" }) {
        calls.push(`get ${key} ${options.consistency}`);
        return data.get(key) ?? null;
      },
      async delete(key: string) {
        calls.push(`delete ${key}`);
        data.delete(key);
      },
    };
    const locks = blobHeadLocks(blobs, { sleep: () => tick().then(() => undefined) });
    const other = blobHeadLocks(blobs, { sleep: () => tick().then(() => undefined) });
    const gate = deferred();
    const order: string[] = [];
    const a = locks.exclusive("acme/bot#7@abc/review", "opened", async () => (order.push("a"), await gate.promise));
    await tick();
    const b = other.exclusive("acme/bot#7@abc/review", "opened", async () => void order.push("b"));
    await tick();
    await tick();
    expect(order).toEqual(["a"]);
    gate.resolve();
    await Promise.all([a, b]);
    expect(order).toEqual(["a", "b"]);
    expect(calls[0]).toBe("set head-locks/acme%2Fbot%237%40abc%2Freview onlyIfNew=true");
    expect(calls).toContain("get head-locks/acme%2Fbot%237%40abc%2Freview strong");
    expect(data.size).toBe(0);
  });
});
