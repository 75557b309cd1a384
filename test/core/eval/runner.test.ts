import { DEFAULT_CONFIG, type PromptOpsConfig } from "../../../src/core/config/model.js";
import { memoryCache, type ResponseCache } from "../../../src/core/eval/cache.js";
import { requestKey } from "../../../src/core/eval/request-key.js";
import { createRunner, type RunnerOptions } from "../../../src/core/eval/runner.js";
import { ProviderError, type ModelProvider, type ModelRequest } from "../../../src/core/providers/port.js";
import { createProviders, type ProviderRegistry } from "../../../src/core/providers/registry.js";
import { startModelServer, type Fault, type ModelServer } from "../../support/model-server.js";

function ticket(text: string, overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: "openai/gpt-4o-mini",
    messages: [
      { role: "system", content: "Summarize the ticket." },
      { role: "user", content: text },
    ],
    parameters: { temperature: 0 },
    repeat: 0,
    ...overrides,
  };
}

function registryFor(server: ModelServer): ProviderRegistry {
  const config: PromptOpsConfig = structuredClone(DEFAULT_CONFIG);
  config.providers.openai.baseUrl = `${server.url}/v1`;
  config.providers.anthropic.baseUrl = server.url;
  config.providers.github.baseUrl = `${server.url}/inference`;
  return createProviders({ config, env: {} });
}

/** A registry serving every model with one provider: for behaviour that needs no HTTP. */
function registryOf(provider: ModelProvider): ProviderRegistry {
  return { resolve: (model) => ({ provider, modelName: model.split("/").slice(1).join("/") }) };
}

const sleeps: number[] = [];
const recordSleep = async (ms: number) => {
  sleeps.push(ms);
};

function runnerFor(providers: ProviderRegistry, options: Partial<RunnerOptions> = {}) {
  return createRunner({ providers, concurrency: 4, retries: 2, timeoutMs: 5000, sleep: recordSleep, random: () => 0.5, ...options });
}

let server: ModelServer;
beforeEach(async () => {
  sleeps.length = 0;
  server = await startModelServer();
});
afterEach(async () => {
  await server.close();
});

describe("runner", () => {
  it("answers every request in order, with measured latency", async () => {
    let clock = 0;
    const runner = runnerFor(registryFor(server), { now: () => (clock += 10) });
    const requests = [ticket("Refund please"), ticket("Where is my parcel?"), ticket("Cancel my plan")];
    const outcomes = await runner.run(requests);

    expect(outcomes.map((o) => o.response?.output)).toEqual(["Refund please", "Where is my parcel?", "Cancel my plan"]);
    expect(outcomes.map((o) => o.key)).toEqual(requests.map(requestKey));
    for (const outcome of outcomes) {
      expect(outcome.response?.cached).toBe(false);
      expect(outcome.response?.latencyMs).toBeGreaterThan(0);
      expect(outcome.response?.costUsd).toBeGreaterThan(0);
    }
    expect(runner.stats()).toEqual({ requestsSent: 3, cacheHits: 0, deduplicated: 0, retries: 0, failures: 0 });
  });

  it("measures latency with the injected clock but keeps the echo provider's 0", async () => {
    const times = [1000, 1250];
    const slow: ModelProvider = { name: "slow", complete: async () => ({ output: "ok", usage: { input: 1, output: 1 }, latencyMs: 0 }) };
    const [measured] = await runnerFor(registryOf(slow), { now: () => times.shift()! }).run([ticket("a")]);
    expect(measured.response?.latencyMs).toBe(250);

    const [echoed] = await runnerFor(registryFor(server), { now: () => times.shift() ?? 5000 }).run([ticket("a", { model: "echo" })]);
    expect(echoed.response?.latencyMs).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  it("sends identical requests once, within a run and across base and head runs in flight together", async () => {
    await server.close();
    server = await startModelServer({ latencyMs: 20 });
    const runner = runnerFor(registryFor(server));
    const base = [ticket("Refund please"), ticket("Where is my parcel?"), ticket("Refund please")];
    const head = [ticket("Refund please"), ticket("Where is my parcel?"), ticket("Cancel my plan", { repeat: 1 })];
    const [baseOutcomes, headOutcomes] = await Promise.all([runner.run(base), runner.run(head)]);

    expect(server.requests.map((r) => r.body.messages[1].content).sort()).toEqual(["Cancel my plan", "Refund please", "Where is my parcel?"]);
    expect(baseOutcomes[2].response).toEqual(baseOutcomes[0].response);
    expect(headOutcomes[0].key).toBe(baseOutcomes[0].key);
    expect(runner.stats()).toMatchObject({ requestsSent: 3, deduplicated: 3 });
  });

  it("treats another repeat or other parameters as a different request", async () => {
    const runner = runnerFor(registryFor(server));
    await runner.run([ticket("Refund please"), ticket("Refund please", { repeat: 1 }), ticket("Refund please", { parameters: { temperature: 1 } })]);
    expect(server.requests).toHaveLength(3);
  });

  it("sends nothing on a warm rerun and caches only successes", async () => {
    const cache = memoryCache();
    const requests = [ticket("Refund please"), ticket("Where is my parcel?"), ticket("Cancel my plan")];
    server.fail({ kind: "status", status: 400, message: "bad ticket" });
    const cold = await runnerFor(registryFor(server), { cache, concurrency: 1 }).run(requests);
    expect(cold.map((o) => o.error?.kind)).toEqual(["bad-request", undefined, undefined]);
    expect(cache.size).toBe(2);

    const sentBefore = server.requests.length;
    const warm = runnerFor(registryFor(server), { cache });
    const outcomes = await warm.run(requests);
    expect(server.requests.length - sentBefore).toBe(1); // only the failed one again
    expect(outcomes.map((o) => o.response?.cached)).toEqual([false, true, true]);
    expect(outcomes[1].response?.output).toBe(cold[1].response?.output);

    const rerun = runnerFor(registryFor(server), { cache });
    await rerun.run(requests);
    expect(rerun.stats()).toEqual({ requestsSent: 0, cacheHits: 3, deduplicated: 0, retries: 0, failures: 0 });
  });

  it("treats a failing cache store as a miss", async () => {
    const broken: ResponseCache = { get: () => Promise.reject(new Error("disk gone")), set: () => Promise.reject(new Error("disk gone")) };
    const [outcome] = await runnerFor(registryFor(server), { cache: broken }).run([ticket("Refund please")]);
    expect(outcome.response?.output).toBe("Refund please");
  });

  const faults: [string, Fault, string][] = [
    ["429", { kind: "status", status: 429 }, "rate-limit"],
    ["500", { kind: "status", status: 500 }, "server"],
    ["502", { kind: "status", status: 502 }, "server"],
    ["503", { kind: "status", status: 503 }, "server"],
    ["connection reset", { kind: "reset" }, "network"],
    ["malformed body", { kind: "malformed" }, "malformed"],
    ["no choices", { kind: "malformed", body: '{"id":"x","choices":[]}' }, "malformed"],
  ];

  it.each(faults)("retries a %s and succeeds", async (_name, fault) => {
    server.fail(fault);
    const runner = runnerFor(registryFor(server));
    const [outcome] = await runner.run([ticket("Refund please")]);
    expect(outcome.response?.output).toBe("Refund please");
    expect(server.requests).toHaveLength(2);
    expect(runner.stats()).toMatchObject({ requestsSent: 2, retries: 1, failures: 0 });
    expect(sleeps).toEqual([250]); // full jitter: random 0.5 x 500 ms
  });

  it.each(faults)("reports a %s that outlasts the retries", async (_name, fault, kind) => {
    server.fail(fault, fault, fault);
    const runner = runnerFor(registryFor(server));
    const [outcome] = await runner.run([ticket("Refund please")]);
    expect(outcome.response).toBeUndefined();
    expect(outcome.error?.kind).toBe(kind);
    expect(server.requests).toHaveLength(3);
    expect(runner.stats()).toMatchObject({ requestsSent: 3, retries: 2, failures: 1 });
    expect(sleeps).toEqual([250, 500]);
  });

  it("does not retry errors that would fail again", async () => {
    server.fail({ kind: "status", status: 401 });
    const [outcome] = await runnerFor(registryFor(server)).run([ticket("Refund please")]);
    expect(outcome.error?.kind).toBe("auth");
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    [{ "retry-after": "7" }, 7000],
    [{ "retry-after-ms": "1500" }, 1500],
    [{ "retry-after": "3600" }, 60_000],
  ])("waits as long as the server asks (%j), at most a minute", async (headers, wait) => {
    server.fail({ kind: "status", status: 429, headers });
    const [outcome] = await runnerFor(registryFor(server)).run([ticket("Refund please")]);
    expect(outcome.response?.output).toBe("Refund please");
    expect(sleeps).toEqual([wait]);
  });

  it("backs off exponentially with full jitter up to 30 s", async () => {
    const down: ModelProvider = {
      name: "down",
      complete: () => Promise.reject(new ProviderError("server", "HTTP 503")),
    };
    const [outcome] = await runnerFor(registryOf(down), { retries: 8, random: () => 0.999 }).run([ticket("a")]);
    expect(outcome.error?.kind).toBe("server");
    expect(sleeps).toEqual([499, 999, 1998, 3996, 7992, 15984, 29970, 29970]);
  });

  it("times out a hanging request, retries it, and reports a timeout when it keeps hanging", async () => {
    server.fail({ kind: "hang" });
    const [recovered] = await runnerFor(registryFor(server), { timeoutMs: 100 }).run([ticket("Refund please")]);
    expect(recovered.response?.output).toBe("Refund please");

    server.fail({ kind: "hang" }, { kind: "hang" });
    const runner = runnerFor(registryFor(server), { timeoutMs: 100, retries: 1 });
    const [outcome] = await runner.run([ticket("Where is my parcel?")]);
    expect(outcome.error?.kind).toBe("timeout");
    expect(outcome.error?.message).toBe("openai/gpt-4o-mini: no answer within 100 ms");
    expect(runner.stats()).toMatchObject({ requestsSent: 2, failures: 1 });
  });

  it("times out a provider that ignores its abort signal", async () => {
    const deaf: ModelProvider = { name: "deaf", complete: () => new Promise(() => {}) };
    const [outcome] = await runnerFor(registryOf(deaf), { timeoutMs: 30, retries: 0 }).run([ticket("a")]);
    expect(outcome.error?.kind).toBe("timeout");
  });

  it("keeps at most `concurrency` requests in flight per provider", async () => {
    await server.close();
    server = await startModelServer({ latencyMs: 15 });
    const requests = Array.from({ length: 24 }, (_, i) => ticket(`ticket ${i}`));
    await runnerFor(registryFor(server), { concurrency: 4 }).run(requests);
    expect(server.maxInFlight).toBe(4);
  });

  it("applies per-provider limits, each provider in its own lane", async () => {
    await server.close();
    server = await startModelServer({ latencyMs: 15 });
    const openai = Array.from({ length: 12 }, (_, i) => ticket(`ticket ${i}`));
    const github = Array.from({ length: 12 }, (_, i) => ticket(`ticket ${i}`, { model: "github/openai/gpt-4o-mini" }));
    await runnerFor(registryFor(server), { concurrency: 8, perProvider: { openai: 2, github: 1 } }).run([...openai, ...github]);
    expect(server.maxInFlight).toBe(3);
    expect(server.requests).toHaveLength(24);
  });

  it("keeps every slot busy: no serialized work between requests", async () => {
    const tenMs: ModelProvider = {
      name: "fast",
      complete: () => new Promise((resolve) => setTimeout(() => resolve({ output: "ok", usage: { input: 1, output: 1 }, latencyMs: 0 }), 10)),
    };
    const requests = Array.from({ length: 320 }, (_, i) => ticket(`ticket ${i}`));
    const started = performance.now();
    const outcomes = await createRunner({ providers: registryOf(tenMs), concurrency: 16, retries: 0, timeoutMs: 1000 }).run(requests);
    const elapsed = performance.now() - started;
    expect(outcomes.every((o) => o.response?.output === "ok")).toBe(true);
    // 20 waves of 10 ms; generous for slow CI machines, far below the 3.2 s of a serialized runner.
    expect(elapsed).toBeLessThan(1000);
  });

  it("works through a large run a window at a time instead of starting every request at once", async () => {
    let open = 0;
    let mostOpen = 0;
    const cache: ResponseCache = {
      get: async () => {
        open++;
        mostOpen = Math.max(mostOpen, open);
        await new Promise((resolve) => setImmediate(resolve));
        open--;
        return undefined;
      },
      set: async () => {},
    };
    const echo: ModelProvider = { name: "echo", reportsLatency: true, complete: async (r) => ({ output: r.messages[1]!.content, usage: { input: 1, output: 1 }, latencyMs: 0 }) };
    const requests = Array.from({ length: 2000 }, (_, i) => ticket(`ticket ${i}`));
    const outcomes = await createRunner({ providers: registryOf(echo), cache, concurrency: 4, perProvider: { echo: 8 }, retries: 0, timeoutMs: 1000 }).run(requests);

    expect(outcomes.map((o) => o.response?.output)).toEqual(requests.map((r) => r.messages[1]!.content));
    // Twice the largest limit: every slot stays fed, and the run's size does not matter.
    expect(mostOpen).toBe(16);
  });

  it("sends identical requests of one run once however far apart they are, with no cache", async () => {
    const requests = [ticket("same"), ...Array.from({ length: 50 }, (_, i) => ticket(`ticket ${i}`)), ticket("same")];
    const runner = createRunner({ providers: registryFor(server), concurrency: 1, retries: 0, timeoutMs: 5000 });
    const outcomes = await runner.run(requests);
    expect(outcomes[51]?.response?.output).toBe("same");
    expect(server.requests).toHaveLength(51);
    expect(runner.stats()).toMatchObject({ requestsSent: 51, deduplicated: 1 });
  });

  it("reports an unknown provider without sending anything", async () => {
    const runner = runnerFor(registryFor(server));
    const [outcome] = await runner.run([ticket("a", { model: "gpt-4o" })]);
    expect(outcome.error?.kind).toBe("config");
    expect(outcome.error?.message).toMatch(/names no provider/);
    expect(runner.stats()).toMatchObject({ requestsSent: 0, failures: 1 });
  });

  it("reports progress once per request", async () => {
    const seen: [number, number][] = [];
    await runnerFor(registryFor(server), { onProgress: (done, total) => seen.push([done, total]) }).run([
      ticket("a", { model: "echo" }),
      ticket("b", { model: "echo" }),
      ticket("a", { model: "echo" }),
    ]);
    expect(seen).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  it("counts progress over every run of the runner (stages of a large eval, judge questions)", async () => {
    const seen: [number, number][] = [];
    const runner = runnerFor(registryFor(server), { onProgress: (done, total) => seen.push([done, total]) });
    await runner.run([ticket("a", { model: "echo" })]);
    await runner.run([ticket("b", { model: "echo" }), ticket("c", { model: "echo" })]);
    expect(seen).toEqual([
      [1, 1],
      [2, 3],
      [3, 3],
    ]);
  });
});
