import { requestKey } from "../../../src/core/eval/request-key.js";
import { createEchoProvider } from "../../../src/core/providers/echo.js";
import { ProviderError, type ModelRequest } from "../../../src/core/providers/port.js";
import { recordingRegistry, replayRegistry } from "../../../src/core/providers/registry.js";
import { createReplayProvider, recordingProvider, type RecordedResponse } from "../../../src/core/providers/replay.js";

const ticket: ModelRequest = {
  model: "openai/gpt-4o-mini",
  messages: [
    { role: "system", content: "Summarize the ticket in one line." },
    { role: "user", content: "The app crashes when I upload a 20 MB photo." },
  ],
  parameters: { temperature: 0 },
  repeat: 0,
  label: "support/summary#crash (head)",
};

describe("echo provider", () => {
  it("answers with the last user message, deterministically and for free", async () => {
    const echo = createEchoProvider();
    const first = await echo.complete({ ...ticket, model: "echo", modelName: "echo" });
    const second = await echo.complete({ ...ticket, model: "echo", modelName: "echo" });
    expect(first).toEqual({ output: "The app crashes when I upload a 20 MB photo.", usage: { input: 20, output: 11 }, latencyMs: 0, costUsd: 0 });
    expect(second).toEqual(first);
    expect(echo.reportsLatency).toBe(true);
  });
});

describe("replay and recording", () => {
  it("records a provider's answers by request key and replays them", async () => {
    const recordings: Record<string, RecordedResponse> = {};
    let clock = 100;
    const slowEcho = { ...createEchoProvider(), reportsLatency: false };
    const recorder = recordingProvider(slowEcho, (key, response) => (recordings[key] = response), {
      now: () => (clock += 40),
    });
    const live = await recorder.complete({ ...ticket, modelName: "gpt-4o-mini" });

    expect(Object.keys(recordings)).toEqual([requestKey(ticket)]);
    expect(recordings[requestKey(ticket)]).toEqual({ ...live, latencyMs: 40, model: "openai/gpt-4o-mini" });

    // Through JSON, as the --record file would be written and read.
    const replay = createReplayProvider(JSON.parse(JSON.stringify(recordings)));
    expect(await replay.complete({ ...ticket, modelName: "gpt-4o-mini" })).toEqual({ output: live.output, usage: live.usage, latencyMs: 40, costUsd: 0 });
  });

  it("fails a request that was never recorded with its key and prompt", async () => {
    const replay = createReplayProvider({});
    const changed = { ...ticket, parameters: { temperature: 0.5 } };
    const error = await replay.complete({ ...changed, modelName: "gpt-4o-mini" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe("config");
    expect((error as ProviderError).message).toContain(requestKey(changed));
    expect((error as ProviderError).message).toContain("support/summary#crash (head)");

    const unlabeled = await replay.complete({ ...changed, label: undefined, modelName: "gpt-4o-mini" }).catch((e: unknown) => e);
    expect((unlabeled as Error).message).toContain('prompt "The app crashes when I upload a 20 MB photo."');
  });

  it("rejects a recording without output", async () => {
    const replay = createReplayProvider({ [requestKey(ticket)]: { text: "hi" } });
    await expect(replay.complete({ ...ticket, modelName: "gpt-4o-mini" })).rejects.toThrow(/has no output or usage/);
  });

  it("routes every model to the recordings with replayRegistry, and records through recordingRegistry", async () => {
    const recordings: Record<string, RecordedResponse> = {};
    const echoRegistry = { resolve: (model: string) => ({ provider: createEchoProvider(), modelName: model }) };
    const recording = recordingRegistry(echoRegistry, (key, response) => (recordings[key] = response));
    const live = recording.resolve(ticket.model);
    await live.provider.complete({ ...ticket, modelName: live.modelName });

    const replayed = replayRegistry(recordings).resolve("openai/gpt-4o-mini");
    expect(replayed.modelName).toBe("gpt-4o-mini");
    expect((await replayed.provider.complete({ ...ticket, modelName: replayed.modelName })).output).toBe(ticket.messages[1].content);
  });
});
