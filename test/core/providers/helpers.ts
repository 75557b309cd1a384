// What the provider tests share: a config to edit, one completion through a registry, the error
// a call fails with, and a local model server started fresh for every test.

import { DEFAULT_CONFIG, type PromptOpsConfig } from "../../../src/core/config/model.js";
import { ProviderError, type ModelRequest } from "../../../src/core/providers/port.js";
import type { createProviders } from "../../../src/core/providers/registry.js";
import { startModelServer, type ModelServer } from "../../support/model-server.js";

export function config(edit: (c: PromptOpsConfig) => void = () => {}): PromptOpsConfig {
  const c = structuredClone(DEFAULT_CONFIG);
  edit(c);
  return c;
}

export async function complete(registry: ReturnType<typeof createProviders>, req: ModelRequest) {
  const { provider, modelName } = registry.resolve(req.model);
  return provider.complete({ ...req, modelName });
}

export async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

/** A local model server for each test of the calling file; read `.current` inside a test. */
export function localServerPerTest(): { readonly current: ModelServer } {
  const holder: { current: ModelServer } = { current: undefined as unknown as ModelServer };
  beforeEach(async () => {
    holder.current = await startModelServer();
  });
  afterEach(async () => {
    await holder.current.close();
  });
  return holder;
}
