// Configured secrets never reach a GitHub write, whatever a provider echoes back: the review
// through the Probot app against a key-echoing gateway, an error a handler fails with, and the
// port's own masking.

import nock from "nock";
import { createRedactor } from "../../src/core/redact.js";
import { createGitHubPort } from "../../src/github/octokit.js";
import { FakeGitHub, nockGitHub } from "../fixtures/github/fake-github.js";
import { pullRequestEvent } from "../fixtures/github/payloads.js";
import { baseFiles, headFiles, OWNER, PR_NUMBER, REPO, SHA, type Files } from "../fixtures/github/repo.js";
import { testOctokit } from "../github/helpers.js";
import { keyEchoingGateway } from "../support/model-server.js";
import { testApp } from "./helpers.js";

const KEY = "sk-proj-LIVE-0123456789abcdefXYZ";

describe("the App", () => {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
  });
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it("a key-echoing 401 leaves the key out of the check run, its annotations and the comment", async () => {
    const gateway = await keyEchoingGateway();
    try {
      const onOpenAI = (files: Files): Files =>
        Object.fromEntries(Object.entries(files).map(([path, text]) => [path, text.replace("model: echo", "model: openai/gpt-4o-mini")]));
      const base = onOpenAI(baseFiles(1, { ".github/promptops.yml": "providers:\n  retries: 0\n" }));
      const fake = new FakeGitHub(OWNER, REPO, { [SHA.base]: base, [SHA.head]: onOpenAI(headFiles(base, 1)) });
      fake.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head });
      nockGitHub(fake);
      const app = await testApp({ env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${gateway.url}/v1` } });
      await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));

      expect(gateway.requests.length).toBeGreaterThan(0);
      const run = fake.checkRuns.find((r) => r.name === "promptops/eval")!;
      expect(run.conclusion).toBe("neutral");
      const everything = JSON.stringify({ runs: fake.checkRuns, comments: fake.comments });
      expect(everything).toContain("Incorrect API key provided: ***");
      expect(everything).not.toContain(KEY);
    } finally {
      await gateway.close();
    }
  });

  it("an error a handler fails with (which Probot logs itself) carries no secret", async () => {
    const base = baseFiles(1);
    const fake = new FakeGitHub(OWNER, REPO, { [SHA.base]: base, [SHA.head]: headFiles(base, 1) });
    fake.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head });
    fake.failNext({ call: `GET /repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}`, status: 500, body: { message: `proxy rejected credentials ${KEY}` } });
    nockGitHub(fake);
    const app = await testApp({ env: { OPENAI_API_KEY: KEY } });
    const failure = await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head })).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeDefined();
    const text = JSON.stringify(failure, Object.getOwnPropertyNames(failure)) + String((failure as Error).stack) + JSON.stringify((failure as { errors?: unknown[] }).errors?.map((e) => [String(e), (e as Error).stack]));
    expect(text).toContain("proxy rejected credentials ***");
    expect(text).not.toContain(KEY);
  });

  it("the port masks secrets in whatever it writes, even text no provider produced", async () => {
    const API = "https://api.github.com";
    const sent: string[] = [];
    nock(API)
      .get("/repos/Codertocat/Hello-World/issues/2/comments")
      .query(true)
      .reply(200, [])
      .post("/repos/Codertocat/Hello-World/issues/2/comments")
      .reply(201, (_uri, body) => (sent.push((body as { body: string }).body), { id: 1, body: "", created_at: "2026-01-01T00:00:00Z" }))
      .get("/repos/Codertocat/Hello-World/issues/2/comments")
      .query(true)
      .reply(200, [])
      .patch("/repos/Codertocat/Hello-World/check-runs/9")
      .reply(200, (_uri, body) => (sent.push(JSON.stringify(body)), { id: 9, name: "x", head_sha: "a", status: "completed", conclusion: "neutral", html_url: null, external_id: null, output: { title: null, summary: null } }));
    const port = createGitHubPort(testOctokit(), { redactor: createRedactor([KEY]) });
    await port.upsertComment({ owner: "Codertocat", repo: "Hello-World", number: 2 }, "<!-- m -->", `<!-- m -->\nkey ${KEY}`);
    await port.updateCheckRun({ owner: "Codertocat", repo: "Hello-World" }, 9, {
      conclusion: "neutral",
      output: { title: `t ${KEY}`, summary: `s ${KEY}`, text: `x ${KEY}`, annotations: [{ path: "a", start_line: 1, end_line: 1, annotation_level: "warning", message: KEY, raw_details: KEY }] },
    });
    expect(sent.join("\n")).not.toContain(KEY);
    expect(sent.join("\n")).toContain("***");
  });
});
