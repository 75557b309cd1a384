// Provider endpoints as their APIs document them: Azure OpenAI (deployment paths and v1),
// GitHub Models with organization attribution, and the rate-limit headers of OpenAI and Anthropic.

import { parseRateLimitReset } from "../../../src/core/providers/errors.js";
import type { ModelRequest } from "../../../src/core/providers/port.js";
import { azureTarget, createProviders, githubOrgBaseUrl } from "../../../src/core/providers/registry.js";
import { type ModelServer } from "../../support/model-server.js";
import { complete, config, failureOf, localServerPerTest } from "./helpers.js";

function request(model: string, parameters: Record<string, unknown> = {}): ModelRequest {
  return { model, messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Refund order 77?" }], parameters, repeat: 0 };
}



const local = localServerPerTest();
let server: ModelServer;
beforeEach(() => {
  server = local.current;
});

describe("azure provider", () => {
  it("calls /openai/deployments/<deployment>/chat/completions with api-key and api-version", async () => {
    const registry = createProviders({
      config: config(),
      env: { AZURE_OPENAI_ENDPOINT: `${server.url}/`, AZURE_OPENAI_API_KEY: "azure-key", OPENAI_API_VERSION: "2024-10-21" },
    });
    const response = await complete(registry, request("azure/my-gpt4o-mini", { maxTokens: 30 }));

    expect(response.output).toBe("Refund order 77?");
    expect(response.usage.input).toBeGreaterThan(0);
    const received = server.requests[0];
    expect(received.api).toBe("azure");
    expect(received.path).toBe("/openai/deployments/my-gpt4o-mini/chat/completions");
    expect(received.query).toEqual({ "api-version": "2024-10-21" });
    expect(received.headers["api-key"]).toBe("azure-key");
    expect(received.headers.authorization).toBeUndefined();
    expect(received.body.max_tokens).toBe(30);
    expect(registry.resolve("azure/my-gpt4o-mini").provider.name).toBe("azure");
  });

  it("uses a GA api-version when none is configured, and providers.azure settings over the environment", async () => {
    const registry = createProviders({
      config: config((c) => Object.assign(c.providers, { azure: { baseUrl: `${server.url}/openai`, apiKeyEnv: "MY_AZURE_KEY", apiVersion: "2025-04-01-preview" } })),
      env: { AZURE_OPENAI_ENDPOINT: "https://ignored.openai.azure.com", MY_AZURE_KEY: "k2" },
    });
    await complete(registry, request("azure/o3-mini", { max_tokens: 100 }));
    const received = server.requests[0];
    expect(received.path).toBe("/openai/deployments/o3-mini/chat/completions");
    expect(received.query["api-version"]).toBe("2025-04-01-preview");
    expect(received.headers["api-key"]).toBe("k2");
    // Reasoning deployments reject max_tokens, as on OpenAI.
    expect(received.body.max_completion_tokens).toBe(100);
    expect(received.body.max_tokens).toBeUndefined();

    const defaulted = createProviders({ config: config(), env: { AZURE_OPENAI_ENDPOINT: server.url, AZURE_OPENAI_API_KEY: "k" } });
    await complete(defaulted, request("azure/gpt-4o"));
    expect(server.requests[1].query["api-version"]).toBe("2024-10-21");
  });

  it("speaks the v1 API when the endpoint ends with /openai/v1: deployment as model, no api-version", async () => {
    const registry = createProviders({ config: config(), env: { AZURE_OPENAI_ENDPOINT: `${server.url}/openai/v1/`, AZURE_OPENAI_API_KEY: "v1-key" } });
    await complete(registry, request("azure/gpt-4.1-deploy"));
    const received = server.requests[0];
    expect(received.path).toBe("/openai/v1/chat/completions");
    expect(received.query).toEqual({});
    expect(received.body.model).toBe("gpt-4.1-deploy");
    expect(received.headers["api-key"]).toBe("v1-key");
  });

  it("maps Azure errors like OpenAI's", async () => {
    const registry = createProviders({ config: config(), env: { AZURE_OPENAI_ENDPOINT: server.url, AZURE_OPENAI_API_KEY: "k" } });
    server.fail({ kind: "status", status: 429, headers: { "retry-after": "4" } });
    const error = await failureOf(complete(registry, request("azure/gpt-4o")));
    expect(error).toMatchObject({ kind: "rate-limit", retryAfterMs: 4000 });
    expect(error.message).toContain("azure/gpt-4o");
  });

  it.each([
    ["https://res.openai.azure.com", "https://res.openai.azure.com/openai", "deployments"],
    ["https://res.openai.azure.com/", "https://res.openai.azure.com/openai", "deployments"],
    ["https://res.cognitiveservices.azure.com/openai/", "https://res.cognitiveservices.azure.com/openai", "deployments"],
    ["https://res.openai.azure.com/openai/deployments/gpt4o", "https://res.openai.azure.com/openai/deployments/gpt4o", "deployments"],
    ["https://res.openai.azure.com/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21", "https://res.openai.azure.com/openai/deployments/gpt4o", "deployments"],
    ["https://res.openai.azure.com/openai/v1/", "https://res.openai.azure.com/openai/v1", "v1"],
  ])("reads the endpoint %s", (endpoint, baseURL, api) => {
    expect(azureTarget(endpoint)).toEqual({ baseURL, api });
  });

  it("says what to set when the endpoint or key is missing", () => {
    const registry = createProviders({ config: config(), env: {} });
    expect(() => registry.resolve("azure/gpt-4o")).toThrow(/AZURE_OPENAI_ENDPOINT/);
    const noKey = createProviders({ config: config(), env: { AZURE_OPENAI_ENDPOINT: "https://res.openai.azure.com" } });
    expect(() => noKey.resolve("azure/gpt-4o")).toThrow(/set the environment variable AZURE_OPENAI_API_KEY/);
  });
});

describe("github models provider", () => {
  it("sends GitHub's REST headers", async () => {
    const registry = createProviders({ config: config((c) => (c.providers.github.baseUrl = `${server.url}/inference`)), env: { GITHUB_TOKEN: "t" } });
    await complete(registry, request("github/openai/gpt-4o-mini"));
    expect(server.requests[0].headers.accept).toBe("application/vnd.github+json");
    expect(server.requests[0].headers["x-github-api-version"]).toBe("2022-11-28");
  });

  it("attributes usage to an organization via /orgs/<org>/inference/chat/completions", async () => {
    const registry = createProviders({
      config: config((c) => (c.providers.github.baseUrl = `${server.url}/inference`)),
      env: { GITHUB_TOKEN: "t", GITHUB_MODELS_ORG: "acme" },
    });
    await complete(registry, request("github/openai/gpt-4o-mini"));
    expect(server.requests[0].path).toBe("/orgs/acme/inference/chat/completions");
    expect(server.requests[0].body.model).toBe("openai/gpt-4o-mini");

    const configured = createProviders({
      config: config((c) => Object.assign(c.providers.github, { baseUrl: `${server.url}/inference`, org: "octo-org" })),
      env: { GITHUB_TOKEN: "t", GITHUB_MODELS_ORG: "ignored" },
    });
    await complete(configured, request("github/openai/gpt-4o-mini"));
    expect(server.requests[1].path).toBe("/orgs/octo-org/inference/chat/completions");
  });

  it("builds the documented org URL and rejects what is not an org login", () => {
    expect(githubOrgBaseUrl("https://models.github.ai/inference", "acme")).toBe("https://models.github.ai/orgs/acme/inference");
    expect(() => githubOrgBaseUrl("https://models.github.ai/inference", "../x")).toThrow(/not a GitHub organization/);
    expect(() => githubOrgBaseUrl("https://example.com/v1", "acme")).toThrow(/does not end with \/inference/);
  });
});

describe("rate limits and overload", () => {
  it("retries Anthropic's 529 overloaded_error as a server error, honouring retry-after", async () => {
    const registry = createProviders({ config: config((c) => (c.providers.anthropic.baseUrl = server.url)), env: {} });
    server.fail({ kind: "status", status: 529, headers: { "retry-after": "2" }, message: "Overloaded" });
    const error = await failureOf(complete(registry, request("anthropic/claude-haiku-4-5")));
    expect(error).toMatchObject({ kind: "server", status: 529, retryAfterMs: 2000 });
    expect(error.retryable).toBe(true);
  });

  it("waits for Anthropic's exhausted limit to reset when there is no retry-after", async () => {
    const now = Date.parse("2025-10-01T12:00:00Z");
    const registry = createProviders({ config: config((c) => (c.providers.anthropic.baseUrl = server.url)), env: {}, now: () => now });
    server.fail({
      kind: "status",
      status: 429,
      headers: {
        "anthropic-ratelimit-requests-remaining": "12",
        "anthropic-ratelimit-requests-reset": "2025-10-01T12:00:30Z",
        "anthropic-ratelimit-output-tokens-remaining": "0",
        "anthropic-ratelimit-output-tokens-reset": "2025-10-01T12:00:09Z",
      },
    });
    const error = await failureOf(complete(registry, request("anthropic/claude-haiku-4-5")));
    expect(error).toMatchObject({ kind: "rate-limit", retryAfterMs: 9000 });
  });

  it("waits for OpenAI's exhausted limit to reset when there is no retry-after", async () => {
    const registry = createProviders({ config: config((c) => (c.providers.openai.baseUrl = `${server.url}/v1`)), env: {} });
    server.fail({
      kind: "status",
      status: 429,
      headers: { "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "1m2.5s", "x-ratelimit-remaining-tokens": "900", "x-ratelimit-reset-tokens": "6ms" },
    });
    const error = await failureOf(complete(registry, request("openai/gpt-4o")));
    expect(error).toMatchObject({ kind: "rate-limit", retryAfterMs: 62_500 });
  });

  it.each([
    [{ "x-ratelimit-remaining-tokens": "0", "x-ratelimit-reset-tokens": "250ms" }, 250],
    [{ "x-ratelimit-remaining-tokens": "0", "x-ratelimit-reset-tokens": "1h" }, 3_600_000],
    [{ "x-ratelimit-remaining-tokens": "5", "x-ratelimit-reset-tokens": "1s" }, undefined],
    [{ "x-ratelimit-remaining-tokens": "0", "x-ratelimit-reset-tokens": "soon" }, undefined],
    [{ "anthropic-ratelimit-tokens-remaining": "0", "anthropic-ratelimit-tokens-reset": "2025-10-01T12:00:01Z" }, undefined],
  ])("reads the reset headers %j as %j ms (Anthropic's need a clock)", (headers, expected) => {
    expect(parseRateLimitReset(headers)).toBe(expected);
  });
});

describe("json_schema response format", () => {
  it("sends OpenAI's {type: json_schema, json_schema: {name, description, schema, strict}} with a name OpenAI accepts", async () => {
    const registry = createProviders({ config: config((c) => (c.providers.openai.baseUrl = `${server.url}/v1`)), env: {} });
    const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"], additionalProperties: false };
    await complete(registry, {
      ...request("openai/gpt-4o-mini"),
      responseFormat: "json_schema",
      jsonSchema: JSON.stringify({ name: "Ticket summary (v2)", description: "One answer", strict: true, schema }),
    });
    expect(server.requests[0].body.response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "Ticket_summary_v2", description: "One answer", schema, strict: true },
    });
  });
});
