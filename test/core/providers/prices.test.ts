import { costOf, priceOf } from "../../../src/core/providers/prices.js";

describe("costOf", () => {
  it("prices a call from the list price table in USD per million tokens", () => {
    expect(costOf("openai/gpt-4o", { input: 1_000_000, output: 1_000_000 })).toEqual({ usd: 12.5, known: true });
    expect(costOf("anthropic/claude-sonnet-4-5", { input: 2000, output: 500 })).toEqual({ usd: (2000 * 3 + 500 * 15) / 1e6, known: true });
  });

  it("finds the model behind provider prefixes and dated names", () => {
    expect(priceOf("github/openai/gpt-4o-mini")).toEqual({ input: 0.15, output: 0.6 });
    expect(priceOf("openai/gpt-4o-mini-2024-07-18")).toEqual({ input: 0.15, output: 0.6 });
    expect(priceOf("openai/gpt-4o-2024-08-06")).toEqual({ input: 2.5, output: 10 });
    expect(priceOf("anthropic/claude-sonnet-4-5-20250929")).toEqual({ input: 3, output: 15 });
    expect(priceOf("gpt-4.1-mini")).toEqual({ input: 0.4, output: 1.6 });
  });

  it("lets config overrides win, by full name or bare model", () => {
    const overrides = { "openai/gpt-4o": { input: 1, output: 2 }, "my-model": { input: 10, output: 10 } };
    expect(costOf("openai/gpt-4o", { input: 1_000_000, output: 0 }, overrides)).toEqual({ usd: 1, known: true });
    expect(costOf("ollama/my-model", { input: 500_000, output: 500_000 }, overrides)).toEqual({ usd: 10, known: true });
    // Other routes to the same model keep the list price.
    expect(costOf("github/openai/gpt-4o", { input: 1_000_000, output: 0 }, overrides).usd).toBe(1);
  });

  it("returns 0 flagged unknown for a model nobody priced", () => {
    expect(costOf("ollama/llama3.2", { input: 100, output: 100 })).toEqual({ usd: 0, known: false });
    expect(costOf("openai/gpt-4", { input: 100, output: 100 }).known).toBe(false);
  });
});
