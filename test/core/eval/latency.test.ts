// Latency as reports show it: each request from send to last byte, measured through the real
// providers against a local server with a fixed delay. Building clients and loading an SDK
// (Azure's) happen before the first request and must not show up as the model being slow.

import { DEFAULT_CONFIG, type PromptOpsConfig } from "../../../src/core/config/model.js";
import { evaluateSides, type SideRun } from "../../../src/core/eval/evaluate.js";
import { createModelAccess } from "../../../src/core/eval/models.js";
import { parseGoldenFile } from "../../../src/core/golden/parse.js";
import { parsePrompt } from "../../../src/core/prompts/parse.js";
import { startModelServer, type ModelServer } from "../../support/model-server.js";

// Long enough that scheduling noise on a busy machine (a test worker shares its event loop with
// the server) stays inside the 20% margin.
const DELAY_MS = 400;

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer({ latencyMs: DELAY_MS });
});
afterAll(async () => {
  await server.close();
});

function sideRun(model: string): SideRun {
  const { prompt } = parsePrompt("prompts/triage.prompt.yml", `name: Triage\nmodel: ${model}\nmessages:\n  - role: user\n    content: "Triage: {{ticket}}"\n`);
  const rows = Array.from({ length: 12 }, (_, i) => JSON.stringify({ id: `t${i}`, ticket: `ticket ${i}` }));
  const { set } = parseGoldenFile("prompts/triage.golden.jsonl", rows.join("\n"));
  return { side: "head", prompt: prompt!, golden: set, partials: new Map() };
}

describe("latency", () => {
  it.each([
    ["an OpenAI-compatible server", "openai/gpt-4o-mini"],
    ["Anthropic", "anthropic/claude-haiku-4-5"],
    ["Azure OpenAI (through the SDK, loaded on first use)", "azure/triage"],
  ])("reports a p50 within 20%% of the server's delay for %s", async (_name, model) => {
    const config: PromptOpsConfig = structuredClone(DEFAULT_CONFIG);
    config.providers.openai.baseUrl = `${server.url}/v1`;
    config.providers.anthropic.baseUrl = server.url;
    const env = { AZURE_OPENAI_ENDPOINT: server.url, AZURE_OPENAI_API_KEY: "azure-key" };
    // Three waves of 4: the first wave is the one that would carry client start-up.
    const access = createModelAccess({ config, env, concurrency: 4 });
    const [evaluation] = await evaluateSides([sideRun(model)], access, { repeats: 1 });
    const result = evaluation!.result;

    expect(result.errors).toBe(0);
    expect(result.latencyP50Ms).toBeGreaterThanOrEqual(DELAY_MS * 0.8);
    expect(result.latencyP50Ms).toBeLessThanOrEqual(DELAY_MS * 1.2);
  });
});
