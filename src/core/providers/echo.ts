// The offline provider: answers with the last user message, so demos, tests and dry runs
// need no key and always give the same output for the same request.

import { estimateUsage, lastUserMessage } from "./parameters.js";
import type { ModelProvider } from "./port.js";

export function createEchoProvider(): ModelProvider {
  return {
    name: "echo",
    reportsLatency: true,
    async complete(request) {
      const output = lastUserMessage(request.messages) ?? "";
      return { output, usage: estimateUsage(request.messages, output), latencyMs: 0, costUsd: 0 };
    },
  };
}
