// The spending cap on the model port: requests go out until the responses' cost reaches the cap,
// then none; a model with no known price is never sent under a cap; cached answers are free.

import { memoryCache } from "../../../src/core/eval/cache.js";
import { createModelAccess } from "../../../src/core/eval/models.js";
import type { ModelRequest } from "../../../src/core/providers/port.js";
import { createSpendCap, usd } from "../../../src/core/providers/spend-cap.js";
import { config, localServerPerTest } from "./helpers.js";

const server = localServerPerTest();

const request = (text: string, model = "openai/gpt-4o-mini"): ModelRequest => ({
  model,
  messages: [{ role: "user", content: text }],
  parameters: { temperature: 0 },
  repeat: 0,
});

function access(cap: ReturnType<typeof createSpendCap>, options: { cache?: ReturnType<typeof memoryCache>; prices?: Record<string, { input: number; output: number }> } = {}) {
  return createModelAccess({
    config: config((c) => {
      if (options.prices) c.providers.prices = options.prices;
    }),
    env: { OPENAI_BASE_URL: `${server.current.url}/v1` },
    spendCap: cap,
    concurrency: 1,
    ...(options.cache ? { cache: options.cache } : {}),
  });
}

describe("createSpendCap", () => {
  it("stops sending once the responses' cost reaches the cap", async () => {
    // gpt-4o-mini costs $0.15 / $0.60 per million tokens: each answer here costs a few millionths.
    const cap = createSpendCap(0.000005);
    const outcomes = await access(cap).runner.run(["one", "two", "three", "four", "five", "six"].map((t) => request(`ticket ${t}`)));

    const sent = server.current.requests.length;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(6);
    expect(cap.spentUsd).toBeGreaterThanOrEqual(0.000005);
    expect(cap.refused).toBe(6 - sent);
    expect(cap.reached).toBe(true);
    const refused = outcomes.filter((o) => o.error);
    expect(refused).toHaveLength(6 - sent);
    expect(refused[0]!.error).toMatchObject({ kind: "budget", retryable: false });
    expect(refused[0]!.error!.message).toMatch(/not sent: the spending cap of \$0\.000005 is reached/);
  });

  it("refuses a model whose price is unknown instead of sending it uncounted", async () => {
    const cap = createSpendCap(10);
    const [outcome] = await access(cap).runner.run([request("hello", "openai/house-model")]);
    expect(server.current.requests).toHaveLength(0);
    expect(outcome!.error?.message).toContain("the price of this model is unknown; add it under providers.prices");

    // Priced in the config, the same model is sent and counted.
    const priced = createSpendCap(10);
    await access(priced, { prices: { "house-model": { input: 1, output: 1 } } }).runner.run([request("hello", "openai/house-model")]);
    expect(server.current.requests).toHaveLength(1);
    expect(priced.spentUsd).toBeGreaterThan(0);
  });

  it("lets cached answers through at no cost, whatever was spent", async () => {
    const cache = memoryCache();
    await access(createSpendCap(1), { cache }).runner.run([request("hello")]);
    const empty = createSpendCap(0);
    const [outcome] = await access(empty, { cache }).runner.run([request("hello")]);
    expect(outcome!.error).toBeUndefined();
    expect(server.current.requests).toHaveLength(1);
    expect(empty.refused).toBe(0);
  });

  it("costs nothing with the offline providers", async () => {
    const cap = createSpendCap(0);
    const [outcome] = await access(cap).runner.run([request("hello", "echo")]);
    expect(outcome!.error).toBeUndefined();
    expect(cap.refused).toBe(0);
  });

  it("prints small caps with every digit", () => {
    expect(usd(0.0000001)).toBe("$0.0000001");
    expect(usd(0.5)).toBe("$0.50");
    expect(usd(12)).toBe("$12.00");
  });
});
