// Where the serverless App keeps things in Netlify Blobs: the eval cache's scope per deploy
// context, and the cache store itself (against @netlify/blobs' own server).

import nock from "nock";
import { blobsCache } from "../../src/netlify/blobs-cache.js";
import { cacheScope, deliveriesIn, evalCacheStore } from "../../src/netlify/stores.js";
import { startBlobs, type LocalBlobs } from "./harness.js";

const response = { output: "Refund issued.", usage: { input: 12, output: 3 }, latencyMs: 420, costUsd: 0.0001 };

// One local Blobs server (@netlify/blobs' own) for the stores below.
let blobs: LocalBlobs;
beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost):/);
  blobs = await startBlobs();
});
afterAll(async () => {
  nock.enableNetConnect();
  await blobs.close();
});

describe("cacheScope", () => {
  it("shares production's cache across deploys and gives every other deploy its own", () => {
    expect(cacheScope({}, { deploy: { id: "a1", context: "production" } })).toEqual({ context: "production" });
    expect(cacheScope({}, { deploy: { id: "a1", context: "deploy-preview" } })).toEqual({ context: "deploy-preview", deployID: "a1" });
    // Without the function's context, Netlify's variables say the same.
    expect(cacheScope({ CONTEXT: "branch-deploy", DEPLOY_ID: "b2" })).toEqual({ context: "branch-deploy", deployID: "b2" });
    expect(cacheScope({})).toEqual({ context: "production" });
  });
});

describe("blobsCache", () => {
  it("answers what was stored, per repository, and treats a damaged entry as a miss", async () => {
    const store = evalCacheStore({ context: "production" }, blobs.connection);
    const repo1 = blobsCache(store, "repo-1/");
    const repo2 = blobsCache(store, "repo-2/");
    const key = "ab".repeat(32);

    await repo1.set(key, response);
    expect(await repo1.get(key)).toEqual(response);
    expect(await repo2.get(key)).toBeUndefined();

    await store.set(`repo-2/${key}`, "{ not json");
    expect(await repo2.get(key)).toBeUndefined();
    await store.setJSON(`repo-2/${key}`, { output: 42 });
    expect(await repo2.get(key)).toBeUndefined();
    // A key that is not a digest cannot reach outside the repository's prefix.
    await repo1.set("/../repo-2/x", response);
    expect(await repo1.get("/../repo-2/x")).toEqual(response);
    const keys = (await store.list()).blobs.map((b) => b.key);
    expect(keys.filter((k) => k.startsWith("repo-2/"))).toEqual([`repo-2/${key}`]);
    expect(keys.filter((k) => k.startsWith("repo-1/"))).toHaveLength(2);
  });
});

describe("the deliveries store", () => {
  it("stores exactly the body's bytes, whether the body is its buffer or a window into a larger one", async () => {
    const deliveries = deliveriesIn(blobs.connection);
    const whole = new TextEncoder().encode('{"action":"opened"}');
    const framed = new TextEncoder().encode('xx{"action":"closed"}yy').subarray(2, -2);
    const envelope = (id: string, body: Uint8Array) => ({ id, event: "pull_request", signature: "sha256=00", body, receivedAt: "2024-06-01T00:00:00Z" });
    const [a, b] = ["0f9e1c2a-0000-4000-8000-000000000001", "0f9e1c2a-0000-4000-8000-000000000002"];

    expect(await deliveries.enqueue(envelope(a, whole))).toBe(true);
    expect(await deliveries.enqueue(envelope(b, framed))).toBe(true);
    expect(await deliveries.enqueue(envelope(a, whole))).toBe(false);

    expect(new TextDecoder().decode((await deliveries.envelope(a))!.body)).toBe('{"action":"opened"}');
    expect(new TextDecoder().decode((await deliveries.envelope(b))!.body)).toBe('{"action":"closed"}');
  });
});
