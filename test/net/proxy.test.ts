// HTTPS_PROXY / HTTP_PROXY / NO_PROXY for GitHub and model calls, through a local proxy that
// counts the tunnels it opens: the simulated GitHub and the model server sit behind it.

import { createHmac } from "node:crypto";
import { createOctokit } from "../../src/github/client.js";
import { createGitHubPort } from "../../src/github/octokit.js";
import { loadAppEnv } from "../../src/app/env.js";
import { startServer } from "../../src/app/server.js";
import { memoryCache } from "../../src/core/eval/cache.js";
import { proxyDispatcher, proxySettings } from "../../src/net/proxy.js";
import { main } from "../../src/cli/main.js";
import { FakeGitHub, serveGitHub } from "../fixtures/github/fake-github.js";
import { pullRequestEvent } from "../fixtures/github/payloads.js";
import { baseFiles, headFiles, OWNER, PR_NUMBER, REPO, SHA } from "../fixtures/github/repo.js";
import { privateKey, QuietOctokit } from "../app/helpers.js";
import { tempRepo } from "../cli/git-fixture.js";
import { recordingIO } from "../cli/io-fixture.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";
import { startProxyServer, type ProxyServer } from "../support/proxy-server.js";

let proxy: ProxyServer;
beforeEach(async () => {
  proxy = await startProxyServer();
});
afterEach(() => proxy.close());

function fakeGitHub(): FakeGitHub {
  const base = baseFiles(1);
  const fake = new FakeGitHub(OWNER, REPO, { [SHA.base]: base, [SHA.head]: headFiles(base, 1) });
  fake.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head });
  return fake;
}

describe("proxy settings", () => {
  it("reads the standard variables, lower case first, and is off without them", () => {
    expect(proxySettings({})).toBeUndefined();
    expect(proxySettings({ NO_PROXY: "x" })).toBeUndefined();
    expect(proxySettings({ HTTPS_PROXY: "http://a:1", https_proxy: "http://b:2", NO_PROXY: "internal.test" })).toEqual({
      httpsProxy: "http://b:2",
      noProxy: "internal.test",
    });
    // HTTP_PROXY alone serves https too, as most tools read it.
    expect(proxySettings({ HTTP_PROXY: "http://a:1" })).toEqual({ httpProxy: "http://a:1", httpsProxy: "http://a:1" });
  });

  it("is one dispatcher for the process", async () => {
    const env = { HTTPS_PROXY: "http://127.0.0.1:9" };
    expect(await proxyDispatcher(env)).toBe(await proxyDispatcher({ ...env }));
  });
});

describe("GitHub calls", () => {
  it("createOctokit goes through HTTP_PROXY, and straight to hosts NO_PROXY names", async () => {
    const fake = fakeGitHub();
    const ghes = await serveGitHub(fake);
    try {
      const through = createGitHubPort(createOctokit({ baseUrl: fake.baseUrl, auth: "t", env: { HTTP_PROXY: proxy.url } }));
      expect((await through.getPullRequest({ owner: OWNER, repo: REPO, number: PR_NUMBER })).head.sha).toBe(SHA.head);
      expect(proxy.targets).toEqual([ghes.host]);

      const around = createGitHubPort(createOctokit({ baseUrl: fake.baseUrl, auth: "t", env: { HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" } }));
      await around.getPullRequest({ owner: OWNER, repo: REPO, number: PR_NUMBER });
      expect(proxy.targets).toHaveLength(1);
      expect(fake.calls).toEqual([`GET /repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}`, `GET /repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}`]);
    } finally {
      await ghes.close();
    }
  });

  it("the App server sends Probot's GitHub calls and the model calls through the proxy", async () => {
    const models = await startModelServer();
    const fake = fakeGitHub();
    // The base config's prompts run on openai/..., served by the operator's OPENAI_BASE_URL.
    for (const files of Object.values(fake.commits)) {
      for (const path of Object.keys(files)) files[path] = files[path]!.replace("model: echo", "model: openai/gpt-4o-mini");
    }
    const ghes = await serveGitHub(fake);
    const env = { HTTP_PROXY: proxy.url, OPENAI_BASE_URL: `${models.url}/v1`, OPENAI_API_KEY: "sk-operator-key-1234" };
    const loaded = loadAppEnv({ APP_ID: "123", WEBHOOK_SECRET: "s3cret", PRIVATE_KEY: privateKey(), PORT: "0", HOST: "127.0.0.1", GHE_HOST: ghes.host, GHE_PROTOCOL: "http", LOG_LEVEL: "silent" });
    if (!loaded.ok) throw new Error(loaded.error);
    const running = await startServer(loaded.value, { Octokit: QuietOctokit, env, cache: memoryCache() });
    try {
      const body = JSON.stringify(pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));
      const response = await fetch(`${running.url}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "pull_request",
          "x-github-delivery": "proxy-1",
          "x-hub-signature-256": `sha256=${createHmac("sha256", "s3cret").update(body).digest("hex")}`,
        },
        body,
      });
      expect(response.status).toBe(200);
      expect(fake.checkRuns.find((r) => r.name === "promptops/eval")?.conclusion).toBe("success");
      const modelHost = new URL(models.url).host;
      // Every GitHub call and every model call went through the proxy (keep-alive tunnels are reused).
      expect(new Set(proxy.targets)).toEqual(new Set([ghes.host, modelHost]));
      expect(models.requests.length).toBeGreaterThan(0);
      expect(fake.calls.length).toBeGreaterThan(5);
    } finally {
      await running.close();
      await ghes.close();
      await models.close();
    }
  });
});

describe("model calls from the CLI", () => {
  let models: ModelServer;
  beforeEach(async () => {
    models = await startModelServer();
  });
  afterEach(() => models.close());

  const files = {
    ".github/promptops.yml": "providers:\n  retries: 0\n",
    "prompts/greeter.prompt.yml": "model: openai/gpt-4o-mini\nmessages:\n  - role: user\n    content: Say {{word}}\nevaluators:\n  - name: says\n    string:\n      contains: '{{word}}'\n",
    "prompts/greeter.golden.jsonl": '{"word": "hello"}\n{"word": "bye"}\n',
  };

  it.each([
    ["HTTP_PROXY set, NO_PROXY not matching", { NO_PROXY: "internal.example" }, 1],
    ["NO_PROXY naming the host", { NO_PROXY: "127.0.0.1" }, 0],
  ])("%s", async (_name, extra, tunnels) => {
    const repo = tempRepo(files);
    try {
      const io = recordingIO(repo.dir);
      io.env = { OPENAI_BASE_URL: `${models.url}/v1`, OPENAI_API_KEY: "sk-user-key-1234", HTTP_PROXY: proxy.url, ...extra };
      expect(await main(["eval", "prompts/greeter.prompt.yml", "--no-cache", "--format", "json"], io)).toBe(0);
      expect(models.requests).toHaveLength(2);
      // One keep-alive tunnel carries both requests.
      expect(proxy.targets.length > 0).toBe(tunnels > 0);
      if (tunnels > 0) expect(new Set(proxy.targets)).toEqual(new Set([new URL(models.url).host]));
    } finally {
      repo.cleanup();
    }
  });
});
