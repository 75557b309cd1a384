import type { PromptOpsConfig } from "../../../src/core/config/model.js";
import { ProviderError, type ModelRequest } from "../../../src/core/providers/port.js";
import { createProviders } from "../../../src/core/providers/registry.js";
import { startModelServer, type Fault, type ModelServer } from "../../support/model-server.js";
import { complete, config, failureOf, localServerPerTest } from "./helpers.js";

function request(model: string, overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model,
    messages: [
      { role: "system", content: "You summarize support tickets." },
      { role: "user", content: "My order 1234 arrived broken." },
    ],
    parameters: {},
    repeat: 0,
    ...overrides,
  };
}



const local = localServerPerTest();
let server: ModelServer;
beforeEach(() => {
  server = local.current;
});

describe("openai provider", () => {
  it("sends a chat completion through the SDK and reads output, usage and cost", async () => {
    const registry = createProviders({
      config: config((c) => (c.providers.openai.baseUrl = `${server.url}/v1`)),
      env: { OPENAI_API_KEY: "sk-test" },
    });
    const response = await complete(
      registry,
      request("openai/gpt-4o-mini", { parameters: { temperature: 0.2, maxTokens: 50, top_p: 0.9, stop: ["END"], seed: 7, frequencyPenalty: 0.1, presence_penalty: 0.3 } }),
    );

    expect(response.output).toBe("My order 1234 arrived broken.");
    expect(response.usage.output).toBeGreaterThan(0);
    expect(response.costUsd).toBeCloseTo((response.usage.input * 0.15 + response.usage.output * 0.6) / 1e6, 12);
    const received = server.requests[0];
    expect(received.api).toBe("openai");
    expect(received.headers.authorization).toBe("Bearer sk-test");
    expect(received.body).toEqual({
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: "You summarize support tickets." },
        { role: "user", content: "My order 1234 arrived broken." },
      ],
      temperature: 0.2,
      max_tokens: 50,
      top_p: 0.9,
      stop: ["END"],
      seed: 7,
      frequency_penalty: 0.1,
      presence_penalty: 0.3,
    });
  });

  it("maps json_object and json_schema response formats", async () => {
    const registry = createProviders({ config: config(), env: { OPENAI_BASE_URL: `${server.url}/v1`, OPENAI_API_KEY: "k" } });
    await complete(registry, request("openai/gpt-4o", { responseFormat: "json_object" }));
    await complete(
      registry,
      request("openai/gpt-4o", {
        responseFormat: "json_schema",
        jsonSchema: JSON.stringify({ name: "ticket", strict: true, schema: { type: "object", properties: { summary: { type: "string" } } } }),
      }),
    );

    expect(server.requests[0].body.response_format).toEqual({ type: "json_object" });
    expect(server.requests[1].body.response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "ticket", strict: true, schema: { type: "object", properties: { summary: { type: "string" } } } },
    });
  });

  it("sends max_completion_tokens to OpenAI reasoning models", async () => {
    const registry = createProviders({ config: config((c) => (c.providers.openai.baseUrl = `${server.url}/v1`)), env: {} });
    await complete(registry, request("openai/o3-mini", { parameters: { max_tokens: 100 } }));
    expect(server.requests[0].body.max_completion_tokens).toBe(100);
    expect(server.requests[0].body.max_tokens).toBeUndefined();
  });

  it("reads the key from the variable named by apiKeyEnv", async () => {
    const registry = createProviders({
      config: config((c) => {
        c.providers.openai.baseUrl = `${server.url}/v1`;
        c.providers.openai.apiKeyEnv = "AZURE_OPENAI_KEY";
      }),
      env: { AZURE_OPENAI_KEY: "azure-key", OPENAI_API_KEY: "not-this-one" },
    });
    await complete(registry, request("openai/gpt-4o"));
    expect(server.requests[0].headers.authorization).toBe("Bearer azure-key");
  });

  it("refuses an endpoint from the repository's config when the host does not trust them, keeping its own", async () => {
    const untrusting = (edit: (c: PromptOpsConfig) => void) =>
      createProviders({ config: config(edit), env: { OPENAI_API_KEY: "sk-host", OPENAI_BASE_URL: `${server.url}/v1`, AZURE_OPENAI_API_KEY: "az" }, trustConfigEndpoints: false });
    for (const [model, edit] of [
      ["openai/gpt-4o", (c: PromptOpsConfig) => (c.providers.openai.baseUrl = "https://collector.example/v1")],
      ["azure/prod", (c: PromptOpsConfig) => (c.providers.azure = { baseUrl: "https://collector.example" })],
    ] as const) {
      const error = (() => {
        try {
          untrusting(edit).resolve(model);
        } catch (e) {
          return e as ProviderError;
        }
        throw new Error("expected resolve to fail");
      })();
      expect(error.kind).toBe("config");
      expect(error.message).toMatch(/baseUrl is set by the repository's config/);
    }
    // The host's own endpoint (from its environment) still works.
    await complete(untrusting(() => {}), request("openai/gpt-4o"));
    expect(server.requests[0].headers.authorization).toBe("Bearer sk-host");
  });

  it("leaves the cost unset for a model missing from the price table", async () => {
    const registry = createProviders({ config: config((c) => (c.providers.openai.baseUrl = `${server.url}/v1`)), env: {} });
    const response = await complete(registry, request("openai/my-finetune"));
    expect(response.costUsd).toBeUndefined();
  });

  it("uses config price overrides", async () => {
    const registry = createProviders({
      config: config((c) => {
        c.providers.openai.baseUrl = `${server.url}/v1`;
        c.providers.prices = { "openai/gpt-4o": { input: 1_000_000, output: 0 } };
      }),
      env: {},
    });
    const response = await complete(registry, request("openai/gpt-4o"));
    expect(response.costUsd).toBe(response.usage.input);
  });
});

describe("anthropic provider", () => {
  it("sends system messages as `system`, defaults max_tokens and maps stop", async () => {
    const registry = createProviders({
      config: config((c) => (c.providers.anthropic.baseUrl = server.url)),
      env: { ANTHROPIC_API_KEY: "ant-key" },
    });
    const response = await complete(registry, request("anthropic/claude-haiku-4-5", { parameters: { temperature: 0, stop: "END", seed: 3 } }));

    expect(response.output).toBe("My order 1234 arrived broken.");
    expect(response.costUsd).toBeCloseTo((response.usage.input * 1 + response.usage.output * 5) / 1e6, 12);
    const received = server.requests[0];
    expect(received.api).toBe("anthropic");
    // The SDK decides the header (x-api-key or a bearer token, by version); the key must be in it.
    expect(`${received.headers["x-api-key"] ?? ""} ${received.headers.authorization ?? ""}`).toContain("ant-key");
    expect(received.body).toEqual({
      model: "claude-haiku-4-5",
      max_tokens: 1024,
      system: "You summarize support tickets.",
      messages: [{ role: "user", content: "My order 1234 arrived broken." }],
      temperature: 0,
      stop_sequences: ["END"],
    });
  });

  it("reads ANTHROPIC_BASE_URL and maps a json_schema to output_config", async () => {
    const registry = createProviders({ config: config(), env: { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: "k" } });
    await complete(registry, request("anthropic/claude-haiku-4-5", { responseFormat: "json_schema", jsonSchema: { type: "object" }, parameters: { maxTokens: 10 } }));
    expect(server.requests[0].body.max_tokens).toBe(10);
    expect(server.requests[0].body.output_config).toEqual({ format: { type: "json_schema", schema: { type: "object" } } });
  });
});

describe("github models provider", () => {
  it("calls the inference endpoint with GITHUB_TOKEN and the publisher/model name", async () => {
    const registry = createProviders({
      config: config((c) => (c.providers.github.baseUrl = `${server.url}/inference`)),
      env: { GITHUB_TOKEN: "ghs_token" },
    });
    const response = await complete(registry, request("github/openai/gpt-4o-mini", { parameters: { max_tokens: 20 } }));

    expect(response.output).toBe("My order 1234 arrived broken.");
    expect(response.costUsd).toBeGreaterThan(0);
    const received = server.requests[0];
    expect(received.api).toBe("github");
    expect(received.path).toBe("/inference/chat/completions");
    expect(received.headers.authorization).toBe("Bearer ghs_token");
    expect(received.headers["x-github-api-version"]).toBe("2022-11-28");
    expect(received.body.model).toBe("openai/gpt-4o-mini");
    expect(received.body.max_tokens).toBe(20);
  });
});

describe("openai-compatible servers", () => {
  it("serves ollama/<model> and vllm/<model> from their base URLs without a key", async () => {
    const registry = createProviders({
      config: config((c) => Object.assign(c.providers, { ollama: { baseUrl: `${server.url}/v1` } })),
      env: { VLLM_BASE_URL: `${server.url}/v1` },
    });
    const ollama = await complete(registry, request("ollama/llama3.2"));
    await complete(registry, request("vllm/qwen2.5-7b"));

    expect(ollama.output).toBe("My order 1234 arrived broken.");
    expect(server.requests.map((r) => r.body.model)).toEqual(["llama3.2", "qwen2.5-7b"]);
    expect(registry.resolve("ollama/llama3.2").provider.name).toBe("ollama");
  });
});

// Both transports: the default keep-alive node:http one for http: URLs, and global fetch
// (what https APIs use), whose failures look different before classification.
describe.each([
  ["local http transport", undefined],
  ["global fetch", (input: string | URL | Request, init?: RequestInit) => fetch(input, init)],
])("error mapping over %s", (_transport, transport) => {
  const cases: [string, Fault, string, number | undefined][] = [
    ["429", { kind: "status", status: 429, headers: { "retry-after": "3" } }, "rate-limit", 3000],
    ["429 with retry-after-ms", { kind: "status", status: 429, headers: { "retry-after-ms": "250" } }, "rate-limit", 250],
    ["500", { kind: "status", status: 500 }, "server", undefined],
    ["503", { kind: "status", status: 503 }, "server", undefined],
    ["401", { kind: "status", status: 401 }, "auth", undefined],
    ["403", { kind: "status", status: 403 }, "auth", undefined],
    ["400", { kind: "status", status: 400, message: "max_tokens is too large" }, "bad-request", undefined],
    ["connection reset", { kind: "reset" }, "network", undefined],
    ["non-JSON body", { kind: "malformed" }, "malformed", undefined],
    ["no choices", { kind: "malformed", body: "{}" }, "malformed", undefined],
  ];

  it.each(cases)("openai: %s", async (_name, fault, kind, retryAfterMs) => {
    const registry = createProviders({ config: config((c) => (c.providers.openai.baseUrl = `${server.url}/v1`)), env: {}, fetch: transport });
    server.fail(fault);
    const error = await failureOf(complete(registry, request("openai/gpt-4o")));
    expect(error.kind).toBe(kind);
    expect(error.retryAfterMs).toBe(retryAfterMs);
    expect(error.message).toContain("openai/gpt-4o");
  });

  it.each(cases.filter(([name]) => name !== "no choices"))("anthropic: %s", async (_name, fault, kind, retryAfterMs) => {
    const registry = createProviders({ config: config((c) => (c.providers.anthropic.baseUrl = server.url)), env: {}, fetch: transport });
    server.fail(fault);
    const error = await failureOf(complete(registry, request("anthropic/claude-haiku-4-5")));
    expect(error.kind).toBe(kind);
    expect(error.retryAfterMs).toBe(retryAfterMs);
  });

  it("keeps the API's message for a bad request", async () => {
    const registry = createProviders({ config: config((c) => (c.providers.openai.baseUrl = `${server.url}/v1`)), env: {}, fetch: transport });
    server.fail({ kind: "status", status: 400, message: "max_tokens is too large" });
    const error = await failureOf(complete(registry, request("openai/gpt-4o")));
    expect(error.message).toBe("openai/gpt-4o: HTTP 400: max_tokens is too large");
    expect(error.status).toBe(400);
  });

  it("reads an HTTP-date retry-after with the injected clock", async () => {
    const now = Date.parse("Wed, 01 Oct 2025 12:00:00 GMT");
    const registry = createProviders({ config: config((c) => (c.providers.openai.baseUrl = `${server.url}/v1`)), env: {}, now: () => now, fetch: transport });
    server.fail({ kind: "status", status: 429, headers: { "retry-after": "Wed, 01 Oct 2025 12:00:07 GMT" } });
    const error = await failureOf(complete(registry, request("openai/gpt-4o")));
    expect(error.retryAfterMs).toBe(7000);
  });

  it("reports a refused connection as a network error", async () => {
    const closed = await startModelServer();
    await closed.close();
    const registry = createProviders({ config: config((c) => (c.providers.openai.baseUrl = `${closed.url}/v1`)), env: {}, fetch: transport });
    const error = await failureOf(complete(registry, request("openai/gpt-4o")));
    expect(error.kind).toBe("network");
    expect(error.retryable).toBe(true);
  });

  it("reports an aborted call as a timeout", async () => {
    const registry = createProviders({ config: config((c) => (c.providers.openai.baseUrl = `${server.url}/v1`)), env: {}, fetch: transport });
    server.fail({ kind: "hang" });
    const { provider, modelName } = registry.resolve("openai/gpt-4o");
    const controller = new AbortController();
    const pending = provider.complete({ ...request("openai/gpt-4o"), modelName }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect((await failureOf(pending)).kind).toBe("timeout");
  });
});

describe("registry", () => {
  const registry = createProviders({ config: config(), env: {} });

  it.each([
    ["gpt-4o", /names no provider.*openai\/gpt-4o/],
    ["mistral/large", /unknown model provider "mistral"/],
    ["openai/", /names no model/],
    ["github/gpt-4o", /github\/<publisher>\/<model>/],
    ["replay", /providers\.replay\.file/],
  ])("rejects %s with a config error", (model, message) => {
    let error: unknown;
    try {
      registry.resolve(model);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe("config");
    expect((error as ProviderError).message).toMatch(message);
  });

  it.each([
    ["openai/gpt-4o", "OPENAI_API_KEY"],
    ["anthropic/claude-sonnet-4-5", "ANTHROPIC_API_KEY"],
    ["github/openai/gpt-4o", "GITHUB_TOKEN"],
  ])("names the variable to set when %s has no key", (model, variable) => {
    expect(() => registry.resolve(model)).toThrow(new RegExp(`set the environment variable ${variable}`));
  });

  it("names a configured apiKeyEnv in the missing-key message", () => {
    const custom = createProviders({ config: config((c) => (c.providers.anthropic.apiKeyEnv = "CLAUDE_KEY")), env: { ANTHROPIC_API_KEY: "ignored" } });
    expect(() => custom.resolve("anthropic/claude-sonnet-4-5")).toThrow(/CLAUDE_KEY \(named by providers\.anthropic\.apiKeyEnv\)/);
  });

  it("rejects a base URL that is not a URL", () => {
    const broken = createProviders({ config: config((c) => (c.providers.openai.baseUrl = "localhost:11434")), env: {} });
    expect(() => broken.resolve("openai/gpt-4o")).toThrow(/providers\.openai\.baseUrl is not a URL/);
  });

  it("splits the model name off the provider prefix and reuses one provider", () => {
    const keyed = createProviders({ config: config(), env: { GITHUB_TOKEN: "t" } });
    const a = keyed.resolve("github/openai/gpt-4o");
    const b = keyed.resolve("github/meta/llama-3.3-70b-instruct");
    expect(a.modelName).toBe("openai/gpt-4o");
    expect(b.modelName).toBe("meta/llama-3.3-70b-instruct");
    expect(a.provider).toBe(b.provider);
    expect(keyed.resolve("echo").modelName).toBe("echo");
  });
});
