// What a model call cost: a built-in price table, overridable per model from the config, so a
// review can show the cost delta of a prompt change.

import type { Price } from "../config/model.js";
import type { TokenUsage } from "./port.js";

/**
 * USD per million tokens. Public list prices of OpenAI and Anthropic (standard tier, no
 * batching or caching discounts) as of 2025-12-01; they drift, so `providers.prices` in
 * `.github/promptops.yml` wins over this table. A dated model name (`gpt-4o-2024-08-06`,
 * `claude-sonnet-4-5-20250929`) is priced as its family.
 */
export const LIST_PRICES: Readonly<Record<string, Price>> = {
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "gpt-4.1": { input: 2, output: 8 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-4.1-nano": { input: 0.1, output: 0.4 },
  "gpt-5": { input: 1.25, output: 10 },
  "gpt-5-mini": { input: 0.25, output: 2 },
  "gpt-5-nano": { input: 0.05, output: 0.4 },
  o1: { input: 15, output: 60 },
  o3: { input: 2, output: 8 },
  "o3-mini": { input: 1.1, output: 4.4 },
  "o4-mini": { input: 1.1, output: 4.4 },
  "claude-opus-4-5": { input: 5, output: 25 },
  "claude-opus-4-1": { input: 15, output: 75 },
  "claude-opus-4": { input: 15, output: 75 },
  "claude-sonnet-4-5": { input: 3, output: 15 },
  "claude-sonnet-4": { input: 3, output: 15 },
  "claude-3-7-sonnet": { input: 3, output: 15 },
  "claude-haiku-4-5": { input: 1, output: 5 },
  "claude-3-5-haiku": { input: 0.8, output: 4 },
};

export interface Cost {
  usd: number;
  /** False when neither the overrides nor the table know the model: `usd` is 0, not "free". */
  known: boolean;
}

/**
 * Names to try for `model`, most specific first: `github/openai/gpt-4o` -> itself,
 * `openai/gpt-4o`, `gpt-4o`.
 */
function candidates(model: string): string[] {
  const parts = model.split("/");
  return parts.map((_, i) => parts.slice(i).join("/"));
}

function lookup(table: Readonly<Record<string, Price>>, names: string[]): Price | undefined {
  for (const name of names) if (Object.hasOwn(table, name)) return table[name];
  // Longest family prefix, so `gpt-4o-mini-2024-07-18` is gpt-4o-mini and not gpt-4o.
  for (const name of names) {
    let best: string | undefined;
    for (const key of Object.keys(table)) {
      if (name.startsWith(`${key}-`) && (best === undefined || key.length > best.length)) best = key;
    }
    if (best !== undefined) return table[best];
  }
  return undefined;
}

export function priceOf(model: string, overrides: Readonly<Record<string, Price>> = {}): Price | undefined {
  const names = candidates(model);
  return lookup(overrides, names) ?? lookup(LIST_PRICES, names);
}

/** Cost of one call; `model` as written in the prompt (`openai/gpt-4o-mini`) or bare. */
export function costOf(model: string, usage: TokenUsage, overrides: Readonly<Record<string, Price>> = {}): Cost {
  const price = priceOf(model, overrides);
  if (!price) return { usd: 0, known: false };
  return { usd: (usage.input * price.input + usage.output * price.output) / 1_000_000, known: true };
}
