// Recorded responses: `--record` wraps a real provider and writes what it answered, keyed by
// request key; `replay` answers from that file, so a review can run offline and reproducibly.

import { requestKey } from "../eval/request-key.js";
import { lastUserMessage } from "./parameters.js";
import { ProviderError, type ModelProvider, type ModelRequest, type ModelResponse } from "./port.js";

/** One entry of a recordings file (`{ [requestKey]: RecordedResponse }`). */
export interface RecordedResponse extends ModelResponse {
  /** The model that answered, so a human can read the file. */
  model?: string;
}

export type Recordings = Record<string, RecordedResponse>;

function describe(request: ModelRequest): string {
  if (request.label) return request.label;
  const text = (lastUserMessage(request.messages) ?? "").replace(/\s+/g, " ").trim();
  return `prompt "${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`;
}

function isRecordedResponse(value: unknown): value is RecordedResponse {
  const v = value as RecordedResponse | null;
  return !!v && typeof v.output === "string" && !!v.usage && typeof v.usage.input === "number" && typeof v.usage.output === "number";
}

/** Answers from `recordings`; a request that was never recorded fails with its key and prompt. */
export function createReplayProvider(recordings: Readonly<Record<string, unknown>>): ModelProvider {
  return {
    name: "replay",
    reportsLatency: true,
    async complete(request) {
      const key = requestKey(request);
      const entry = Object.hasOwn(recordings, key) ? recordings[key] : undefined;
      if (entry === undefined) {
        throw new ProviderError(
          "config",
          `replay: no recorded response for ${request.model} (${describe(request)}, key ${key}); record it with --record against the real provider`,
        );
      }
      if (!isRecordedResponse(entry)) {
        throw new ProviderError("config", `replay: the recording for key ${key} (${describe(request)}) has no output or usage`);
      }
      return {
        output: entry.output,
        usage: { input: entry.usage.input, output: entry.usage.output },
        latencyMs: typeof entry.latencyMs === "number" ? entry.latencyMs : 0,
        ...(typeof entry.costUsd === "number" ? { costUsd: entry.costUsd } : {}),
      };
    },
  };
}

/**
 * Wraps `inner` and hands every successful response to `sink` under its request key. With a
 * clock, the recorded latency is the wall time of the call (providers leave that to the runner).
 */
export function recordingProvider(
  inner: ModelProvider,
  sink: (key: string, response: RecordedResponse) => void,
  options: { now?: () => number } = {},
): ModelProvider {
  return {
    name: inner.name,
    reportsLatency: inner.reportsLatency,
    async complete(request, completeOptions) {
      const started = options.now?.();
      const response = await inner.complete(request, completeOptions);
      const latencyMs = started !== undefined && !inner.reportsLatency ? options.now!() - started : response.latencyMs;
      sink(requestKey(request), { ...response, latencyMs, model: request.model });
      return response;
    },
  };
}
