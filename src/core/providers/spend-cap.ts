// A hard cap on what one run may spend on models (the Action's `budget-usd`): a decorator of the
// provider registry, so every request a provider would send passes it, whatever the runner does
// around it. Cached answers never reach a provider and cost nothing.

import type { Price } from "../config/model.js";
import { costOf, priceOf } from "./prices.js";
import { ProviderError, type ModelProvider } from "./port.js";
import type { ProviderRegistry } from "./registry.js";

/** Providers that send nothing over the network and so cost nothing. */
const FREE_PROVIDERS = new Set(["echo", "replay"]);

export interface SpendCap {
  readonly limitUsd: number;
  /** USD spent by the responses received so far. */
  readonly spentUsd: number;
  /** Requests refused because the cap was reached. */
  readonly refused: number;
  /** Whether the cap stopped at least one request. */
  readonly reached: boolean;
}

export interface SpendCapState extends SpendCap {
  /** `registry` with every paid request counted against this cap. */
  wrap(registry: ProviderRegistry, prices?: Readonly<Record<string, Price>>): ProviderRegistry;
}

/**
 * A cap of `limitUsd` shared by every registry it wraps. A request is refused once the spending
 * reached the cap, and a model whose price is unknown is refused outright: its cost could not be
 * counted, so sending it would make the cap meaningless. Requests already in flight when the cap
 * is reached still complete, so the overshoot is at most one request per concurrent slot.
 */
export function createSpendCap(limitUsd: number): SpendCapState {
  if (!Number.isFinite(limitUsd) || limitUsd < 0) throw new RangeError(`a spending cap must be a non-negative number of USD, not ${limitUsd}`);
  let spentUsd = 0;
  let refused = 0;
  const cap: SpendCapState = {
    limitUsd,
    get spentUsd() {
      return spentUsd;
    },
    get refused() {
      return refused;
    },
    get reached() {
      return refused > 0;
    },
    wrap(registry, prices = {}) {
      const wrapped = new Map<ModelProvider, ModelProvider>();
      const capped = (inner: ModelProvider): ModelProvider => ({
        name: inner.name,
        ...(inner.reportsLatency !== undefined ? { reportsLatency: inner.reportsLatency } : {}),
        async complete(request, options) {
          if (!FREE_PROVIDERS.has(inner.name)) {
            if (!priceOf(request.model, prices)) {
              refused++;
              throw new ProviderError(
                "budget",
                `${request.model}: not sent: a spending cap of ${usd(limitUsd)} is set and the price of this model is unknown; add it under providers.prices in .github/promptops.yml`,
              );
            }
            if (spentUsd >= limitUsd) {
              refused++;
              throw new ProviderError("budget", `${request.model}: not sent: the spending cap of ${usd(limitUsd)} is reached (${usd(spentUsd)} spent)`);
            }
          }
          const response = await inner.complete(request, options);
          if (!FREE_PROVIDERS.has(inner.name)) spentUsd += response.costUsd ?? costOf(request.model, response.usage, prices).usd;
          return response;
        },
      });
      return {
        resolve(model) {
          const resolved = registry.resolve(model);
          let provider = wrapped.get(resolved.provider);
          if (!provider) wrapped.set(resolved.provider, (provider = capped(resolved.provider)));
          return { provider, modelName: resolved.modelName };
        },
      };
    },
  };
  return cap;
}

/** Every significant digit of small caps (`$0.0000001`), cents otherwise. */
export function usd(value: number): string {
  return `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: value < 1 ? 12 : 2, useGrouping: false })}`;
}
