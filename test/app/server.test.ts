// `npm start`: settings from Probot's environment variables, a one-line error for a missing one,
// and the whole server against a GitHub Enterprise Server simulated on 127.0.0.1.

import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { fileURLToPath } from "node:url";
import { memoryCache } from "../../src/core/eval/cache.js";
import { loadAppEnv, type AppEnv } from "../../src/app/env.js";
import { startServer } from "../../src/app/server.js";
import { FakeGitHub, serveGitHub } from "../fixtures/github/fake-github.js";
import { pullRequestEvent } from "../fixtures/github/payloads.js";
import { baseFiles, headFiles, OWNER, PR_NUMBER, REPO, SHA } from "../fixtures/github/repo.js";
import { privateKey, QuietOctokit } from "./helpers.js";

const REQUIRED = { APP_ID: "123", WEBHOOK_SECRET: "s3cret" };

function loaded(env: Record<string, string | undefined>, readFile?: (path: string) => string): AppEnv {
  const result = loadAppEnv(env, readFile ? { readFile } : undefined);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe("loadAppEnv", () => {
  it("names every missing variable in one line", () => {
    const result = loadAppEnv({ PORT: "3000" });
    expect(result).toEqual({
      ok: false,
      error: expect.stringMatching(/^missing environment variables APP_ID, WEBHOOK_SECRET, PRIVATE_KEY \(or PRIVATE_KEY_PATH\)[^\n]*$/),
    });
  });

  it("applies Probot's defaults", () => {
    expect(loaded({ ...REQUIRED, PRIVATE_KEY: privateKey() })).toEqual({
      appId: 123,
      privateKey: privateKey().trim(),
      webhookSecret: "s3cret",
      port: 3000,
      webhookPath: "/api/github/webhooks",
      logLevel: "info",
      baseUrl: "https://api.github.com",
    });
  });

  it("reads the key inline with \\n escapes, as base64, or from PRIVATE_KEY_PATH", () => {
    const pem = privateKey();
    expect(loaded({ ...REQUIRED, PRIVATE_KEY: pem.replace(/\n/g, "\\n") }).privateKey).toBe(pem);
    expect(loaded({ ...REQUIRED, PRIVATE_KEY: Buffer.from(pem).toString("base64") }).privateKey).toBe(pem);
    expect(loaded({ ...REQUIRED, PRIVATE_KEY_PATH: "/keys/app.pem" }, (p) => (p === "/keys/app.pem" ? pem : "")).privateKey).toBe(pem);
    const unreadable = loadAppEnv({ ...REQUIRED, PRIVATE_KEY_PATH: "/nope.pem" }, {
      readFile: () => {
        throw Object.assign(new Error("ENOENT: no such file"), { code: "ENOENT" });
      },
    });
    expect(unreadable).toEqual({ ok: false, error: "PRIVATE_KEY_PATH: cannot read /nope.pem (ENOENT)" });
    expect(loadAppEnv({ ...REQUIRED, PRIVATE_KEY: "not a key" })).toEqual({ ok: false, error: "PRIVATE_KEY is not a PEM private key (nor base64 of one)" });
  });

  it("builds a GitHub Enterprise Server base URL from GHE_HOST and GHE_PROTOCOL, as Probot does", () => {
    const env = { ...REQUIRED, PRIVATE_KEY: privateKey() };
    expect(loaded({ ...env, GHE_HOST: "github.acme.test" }).baseUrl).toBe("https://github.acme.test/api/v3");
    expect(loaded({ ...env, GHE_HOST: "127.0.0.1:8080", GHE_PROTOCOL: "http" }).baseUrl).toBe("http://127.0.0.1:8080/api/v3");
    expect(loadAppEnv({ ...env, GHE_HOST: "https://github.acme.test" })).toMatchObject({ ok: false, error: expect.stringContaining("GHE_HOST") });
  });

  it("takes PORT, HOST, WEBHOOK_PATH and LOG_LEVEL, and rejects nonsense in one line", () => {
    const env = { ...REQUIRED, PRIVATE_KEY: privateKey() };
    expect(loaded({ ...env, PORT: "8080", HOST: "0.0.0.0", WEBHOOK_PATH: "/hooks", LOG_LEVEL: "debug" })).toMatchObject({
      port: 8080,
      host: "0.0.0.0",
      webhookPath: "/hooks",
      logLevel: "debug",
    });
    expect(loadAppEnv({ ...env, PORT: "eighty" })).toEqual({ ok: false, error: 'PORT must be a port number (0-65535), not "eighty"' });
    expect(loadAppEnv({ ...env, APP_ID: "my-app" })).toEqual({ ok: false, error: 'APP_ID must be the GitHub App\'s numeric id, not "my-app"' });
    expect(loadAppEnv({ ...env, LOG_LEVEL: "loud" })).toMatchObject({ ok: false });
  });
});

describe("the server process", () => {
  it("exits 1 with one line on stderr, no stack, when a variable is missing", () => {
    const server = fileURLToPath(new URL("../../src/app/server.ts", import.meta.url));
    const result = spawnSync(process.execPath, ["--import", "tsx", server], {
      env: { PATH: process.env.PATH, APP_ID: "123" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^promptops: missing environment variables WEBHOOK_SECRET, PRIVATE_KEY \(or PRIVATE_KEY_PATH\)/),
    ]);
  });
});

describe("on GitHub Enterprise Server", () => {
  it("sends every call to GHE_HOST's /api/v3 and /api/graphql", async () => {
    const base = baseFiles(1);
    const fake = new FakeGitHub(OWNER, REPO, { [SHA.base]: base, [SHA.head]: headFiles(base, 1) });
    fake.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head });
    const ghes = await serveGitHub(fake);
    const settings = loaded({
      ...REQUIRED,
      PRIVATE_KEY: privateKey(),
      PORT: "0",
      HOST: "127.0.0.1",
      GHE_HOST: ghes.host,
      GHE_PROTOCOL: "http",
      LOG_LEVEL: "silent",
    });
    const running = await startServer(settings, { Octokit: QuietOctokit, env: {}, cache: memoryCache() });
    try {
      const body = JSON.stringify(pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));
      const response = await fetch(`${running.url}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "pull_request",
          "x-github-delivery": "ghes-1",
          "x-hub-signature-256": `sha256=${createHmac("sha256", "s3cret").update(body).digest("hex")}`,
        },
        body,
      });
      expect(response.status).toBe(200);

      expect(fake.calls).toEqual(expect.arrayContaining(["POST /app/installations/4242/access_tokens", `GET /repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}`, "POST /graphql"]));
      const evalRun = fake.checkRuns.find((r) => r.name === "promptops/eval");
      expect(evalRun?.conclusion).toBe("success");
      expect(fake.comments.filter((c) => c.body.includes("promptops:review"))).toHaveLength(1);

      const unsigned = await fetch(`${running.url}/api/github/webhooks`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": "ghes-2", "x-hub-signature-256": "sha256=00" },
        body,
      });
      expect(unsigned.status).toBe(400);
      expect(await (await fetch(`${running.url}/ping`)).text()).toBe("PONG");
    } finally {
      await running.close();
      await ghes.close();
    }
  });
});
