// The App's environment holds its own credentials beside the model keys, and a repository's
// config picks both the key variable (`apiKeyEnv`) and the server (`baseUrl`): only model
// settings may reach the providers, or any installation could have the private key sent to it.

import nock from "nock";
import { modelEnv } from "../../src/host/model-env.js";
import { FakeGitHub, nockGitHub } from "../fixtures/github/fake-github.js";
import { pullRequestEvent } from "../fixtures/github/payloads.js";
import { baseFiles, headFiles, OWNER, PR_NUMBER, REPO, SHA, type Files } from "../fixtures/github/repo.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";
import { privateKey, testApp } from "./helpers.js";

describe("modelEnv", () => {
  it("keeps the variables the providers read and any *_API_KEY, and drops everything else", () => {
    const env = {
      OPENAI_API_KEY: "sk-1",
      OPENAI_BASE_URL: "http://127.0.0.1:1/v1",
      OPENAI_API_VERSION: "2024-10-21",
      ANTHROPIC_API_KEY: "sk-2",
      AZURE_OPENAI_ENDPOINT: "https://x.openai.azure.com",
      OLLAMA_BASE_URL: "http://127.0.0.1:2/v1",
      GITHUB_MODELS_ORG: "acme",
      GITHUB_TOKEN: "ghp_1",
      TEAM_API_KEY: "team",
      APP_ID: "123",
      PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----",
      PRIVATE_KEY_PATH: "/keys/app.pem",
      WEBHOOK_SECRET: "s3cret",
      GITHUB_CLIENT_SECRET: "cs",
      PRIVATE_KEY_API_KEY: "looks like a key, is the App's",
      DATABASE_URL: "postgres://u:p@db",
      HOME: "/home/app",
    };
    expect(Object.keys(modelEnv(env)).sort()).toEqual([
      "ANTHROPIC_API_KEY",
      "AZURE_OPENAI_ENDPOINT",
      "GITHUB_MODELS_ORG",
      "GITHUB_TOKEN",
      "OLLAMA_BASE_URL",
      "OPENAI_API_KEY",
      "OPENAI_API_VERSION",
      "OPENAI_BASE_URL",
      "TEAM_API_KEY",
    ]);
    expect(modelEnv(env).OPENAI_API_KEY).toBe("sk-1");
  });
});

describe("a repository config naming the App's secrets as its model key", () => {
  let server: ModelServer;
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
  });
  beforeEach(async () => {
    server = await startModelServer();
  });
  afterEach(async () => {
    nock.cleanAll();
    await server.close();
  });
  afterAll(() => nock.enableNetConnect());

  /** One changed prompt on `openai/...`, with the base config sending its key from `keyVariable` to the local server. */
  function repository(keyVariable: string): FakeGitHub {
    const config = `providers:\n  retries: 0\n  openai:\n    baseUrl: ${server.url}/v1\n    apiKeyEnv: ${keyVariable}\n`;
    const onOpenAI = (files: Files): Files =>
      Object.fromEntries(Object.entries(files).map(([path, text]) => [path, text.replace("model: echo", "model: openai/gpt-4o-mini")]));
    const base = onOpenAI(baseFiles(1, { ".github/promptops.yml": config }));
    const fake = new FakeGitHub(OWNER, REPO, { [SHA.base]: base, [SHA.head]: onOpenAI(headFiles(base, 1)) });
    fake.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head });
    nockGitHub(fake);
    return fake;
  }

  // These repositories' endpoints are allowed by the operator; the default is covered below.
  const env = { WEBHOOK_SECRET: "s3cret-webhook", PRIVATE_KEY: privateKey(), TEAM_API_KEY: "team-key", PROMPTOPS_TRUST_REPO_ENDPOINTS: "true" };
  const authorizations = () => server.requests.map((r) => String(r.headers.authorization));

  it.each(["WEBHOOK_SECRET", "PRIVATE_KEY"])("never sends %s to the model server", async (variable) => {
    const fake = repository(variable);
    const app = await testApp({ env });
    await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));

    expect(fake.checkRuns.find((r) => r.name === "promptops/eval")?.status).toBe("completed");
    expect(server.requests.length).toBeGreaterThan(0);
    // On a loopback server a missing key is no error: the SDK sends a placeholder.
    expect(new Set(authorizations())).toEqual(new Set(["Bearer no-key-needed"]));
    const sent = JSON.stringify(server.requests.map((r) => [r.headers, r.body]));
    expect(sent).not.toContain("s3cret-webhook");
    expect(sent).not.toContain("PRIVATE KEY");
  });

  it("still sends a model key the config names", async () => {
    const fake = repository("TEAM_API_KEY");
    const app = await testApp({ env });
    await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));

    expect(fake.checkRuns.find((r) => r.name === "promptops/eval")?.conclusion).toBe("success");
    expect(new Set(authorizations())).toEqual(new Set(["Bearer team-key"]));
  });

  it("by default sends nothing to an endpoint the repository's config chose, and says why", async () => {
    const fake = repository("OPENAI_API_KEY");
    const app = await testApp({ env: { OPENAI_API_KEY: "sk-operator", PRIVATE_KEY: privateKey() } });
    await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));

    expect(server.requests).toHaveLength(0);
    const run = fake.checkRuns.find((r) => r.name === "promptops/eval");
    expect(run?.conclusion).toBe("neutral");
    expect(JSON.stringify(run?.output)).toContain("providers.openai.baseUrl is set by the repository's config");
    expect(JSON.stringify(fake)).not.toContain("sk-operator");
  });
});
