// The serverless App's webhook function (netlify/functions/github-webhooks.mts), called the way
// Netlify calls it: a real Request carrying a real, signed GitHub payload; Netlify Blobs served
// locally by @netlify/blobs' own server; the background function behind a local router.

import { createRequire } from "node:module";
import { jest } from "@jest/globals";
import nock from "nock";
import webhook, { config } from "../../netlify/functions/github-webhooks.mjs";
import { handleWebhook } from "../../src/netlify/webhook.js";
import { deliveriesIn } from "../../src/netlify/stores.js";
import { nockGitHub } from "../fixtures/github/fake-github.js";
import { pullRequestEvent } from "../fixtures/github/payloads.js";
import { OWNER, PR_NUMBER, REPO, SHA } from "../fixtures/github/repo.js";
import { QuietOctokit } from "../app/helpers.js";
import { OwnershipGitHub, ownersCheck, reviewEvent } from "../app/ownership-github.js";
import { deployedEnvironment, githubRequest, newDeliveryId, startBlobs, startNetlifyRouter, type LocalBlobs, type NetlifyRouter } from "./harness.js";

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples") as { name: string; examples: Record<string, any>[] }[];
const example = (name: string, action?: string) => structuredClone(examples.find((g) => g.name === name)!.examples.find((e) => action === undefined || e.action === action)!);

let blobs: LocalBlobs;
let router: NetlifyRouter;
const saved = { ...process.env };
const opened = () => pullRequestEvent("opened", { base: SHA.base, head: SHA.head });

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost):/);
  blobs = await startBlobs();
  // Nothing runs behind the router here: these tests are about what the webhook answers and stores.
  router = await startNetlifyRouter(async () => new Response(null, { status: 202 }));
});
let logged: Record<"log" | "warn" | "error", jest.SpiedFunction<typeof console.log>>;
beforeEach(() => {
  // The function log (the console) is read by the tests that are about it.
  logged = {
    log: jest.spyOn(console, "log").mockImplementation(() => undefined),
    warn: jest.spyOn(console, "warn").mockImplementation(() => undefined),
    error: jest.spyOn(console, "error").mockImplementation(() => undefined),
  };
  Object.assign(process.env, deployedEnvironment(blobs));
});
afterEach(async () => {
  process.env = { ...saved };
  jest.restoreAllMocks();
  nock.cleanAll();
  await blobs.clear();
  router.invocations.length = 0;
});
afterAll(async () => {
  nock.enableNetConnect();
  await router.close();
  await blobs.close();
});

const receive = (delivery: Parameters<typeof githubRequest>[1]) => webhook(githubRequest(router.origin, delivery), {});

describe("the webhook function", () => {
  it("serves GitHub's webhook path", () => {
    expect(config).toEqual({ path: "/api/github/webhooks" });
  });

  it.each([
    ["a wrong signature", { "x-hub-signature-256": `sha256=${"0".repeat(64)}` }, "does not match the body"],
    ["a signature made with another secret", { "x-hub-signature-256": "sha256=6d1f7f5b3c6f5d8f0b1a8c7e2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f" }, "does not match"],
    ["no signature", { "x-hub-signature-256": undefined }, "no X-Hub-Signature-256 header"],
    ["only a SHA-1 signature", { "x-hub-signature-256": undefined, "x-hub-signature": "sha1=2fd4e1c67a2d28fced849ee1bb76e7391b93eb12" }, "SHA-1"],
    ["a malformed signature", { "x-hub-signature-256": "sha256=xyz" }, "not sha256=<64 hex digits>"],
  ])("answers 401 to %s and stores nothing", async (_, headers, reason) => {
    const response = await receive({ event: "pull_request", payload: opened(), headers });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain(reason);
    expect(await blobs.keys()).toEqual([]);
    expect(router.invocations).toEqual([]);
  });

  it("refuses a body changed after signing, byte for byte", async () => {
    const body = JSON.stringify(opened());
    const request = githubRequest(router.origin, { event: "pull_request", payload: undefined, body });
    const tampered = new Request(request.url, { method: "POST", headers: request.headers, body: body.replace('"opened"', '"closed"') });
    expect((await webhook(tampered, {})).status).toBe(401);
    expect(await blobs.keys()).toEqual([]);
  });

  it("answers 200 ignored to an event PromptOps does not handle, and pong to a ping", async () => {
    const star = await receive({ event: "star", payload: example("star", "created") });
    expect(star.status).toBe(200);
    expect(await star.text()).toBe("ignored: PromptOps does not handle star.created\n");
    const labeled = await receive({ event: "pull_request", payload: { ...opened(), action: "labeled" } });
    expect(await labeled.text()).toContain("ignored");
    const ping = await receive({ event: "ping", payload: example("ping") });
    expect([ping.status, await ping.text()]).toEqual([200, "pong\n"]);
    expect(await blobs.keys()).toEqual([]);
    expect(router.invocations).toEqual([]);
  });

  it("queues an opened pull request: 202, one envelope with the exact body, and the worker started with the id alone", async () => {
    const id = newDeliveryId();
    const body = JSON.stringify(opened(), null, 2); // GitHub's bytes, whatever their layout
    const response = await receive({ id, event: "pull_request", payload: undefined, body });

    expect(response.status).toBe(202);
    expect(await response.text()).toBe(`queued: delivery ${id}\n`);
    // One write on GitHub's clock: a stored envelope without a state is a queued delivery.
    expect(await blobs.keys()).toEqual([`${id}/envelope`]);
    const envelope = await deliveriesIn(blobs.connection).envelope(id);
    expect(envelope).toMatchObject({ id, event: "pull_request", signature: expect.stringMatching(/^sha256=[0-9a-f]{64}$/) });
    expect(Buffer.from(envelope!.body).toString("utf8")).toBe(body);
    expect(await deliveriesIn(blobs.connection).state(id)).toMatchObject({ status: "queued", attempts: 0 });
    expect(router.invocations).toEqual([JSON.stringify({ id })]);
  });

  it("acknowledges a redelivery of the same id without queueing it twice", async () => {
    const id = newDeliveryId();
    const first = await receive({ id, event: "pull_request", payload: opened() });
    const again = await receive({ id, event: "pull_request", payload: opened() });

    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(`already received: delivery ${id} is queued\n`);
    expect(await blobs.keys()).toEqual([`${id}/envelope`]);
    expect(router.invocations).toHaveLength(1);
  });

  it("keeps a delivery whose worker could not be started, says so, and starts it on GitHub's redelivery", async () => {
    const id = newDeliveryId();
    const down = githubRequest("http://127.0.0.1:9", { id, event: "pull_request", payload: opened() });
    const response = await handleWebhook(down, { env: process.env, deliveries: () => deliveriesIn(blobs.connection), log: quietLog() });
    expect(response.status).toBe(500);
    expect(await response.text()).toContain("could not start the background worker");
    expect(await deliveriesIn(blobs.connection).state(id)).toMatchObject({ status: "failed" });

    const redelivered = await receive({ id, event: "pull_request", payload: opened() });
    expect(redelivered.status).toBe(202);
    expect(router.invocations).toEqual([JSON.stringify({ id })]);
  });

  it.each(["WEBHOOK_SECRET", "APP_ID", "PRIVATE_KEY"])("answers 500 naming a missing %s, with one line in the function log", async (variable) => {
    delete process.env[variable];
    const response = await receive({ event: "pull_request", payload: opened() });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).toContain(variable);
    expect(text).not.toMatch(/\n\s+at /);
    expect(logged.error).toHaveBeenCalledTimes(1);
    expect(String(logged.error.mock.calls[0]![0])).toMatch(new RegExp(`^promptops: missing environment variable ${variable}`));
    expect(String(logged.error.mock.calls[0]![0])).not.toContain("\n");
    expect(await blobs.keys()).toEqual([]);
  });

  it("runs the owners check of a submitted review inline and queues nothing", async () => {
    const gh = new OwnershipGitHub(OWNER, REPO, {
      [SHA.base]: { ".github/PROMPTOWNERS": "prompts/ @alice\n", "prompts/a.prompt.yml": "name: A\nmodel: echo\nmessages:\n  - role: user\n    content: hi\n" },
      [SHA.head]: { ".github/PROMPTOWNERS": "prompts/ @alice\n", "prompts/a.prompt.yml": "name: A\nmodel: echo\nmessages:\n  - role: user\n    content: hello\n" },
    });
    gh.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head, author: "Codertocat" });
    gh.reviews.push({ id: 1, user: { login: "alice" }, state: "APPROVED", commit_id: SHA.head, submitted_at: new Date().toISOString() });
    nockGitHub(gh);

    const request = githubRequest(router.origin, { event: "pull_request_review", payload: reviewEvent("submitted", { state: "approved", user: "alice" }) });
    const response = await handleWebhook(request, { env: process.env, deliveries: () => deliveriesIn(blobs.connection), Octokit: QuietOctokit, log: quietLog() });

    // The promotion check answers review events too (it returns at once: no pins file changed).
    expect([response.status, await response.text()]).toEqual([200, "done: owners-on-review, promotion-on-review\n"]);
    expect(ownersCheck(gh)?.conclusion).toBe("success");
    expect(await blobs.keys()).toEqual([]);
    expect(router.invocations).toEqual([]);
  });
});

describe("a quick route that fails", () => {
  it("answers 500 with the route's name and no stack trace, so GitHub shows it and can redeliver", async () => {
    const gh = new OwnershipGitHub(OWNER, REPO, { [SHA.base]: {}, [SHA.head]: {} });
    gh.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head });
    // Twice: the pull request read ahead of the routes fails, and so does the routes' own read.
    for (let i = 0; i < 2; i++) gh.failNext({ call: "POST /app/installations/4242/access_tokens", status: 500, body: { message: "Server Error" } });
    nockGitHub(gh);
    const errors: string[] = [];
    const request = githubRequest(router.origin, { event: "pull_request_review", payload: reviewEvent("submitted", { state: "approved", user: "alice" }) });
    const response = await handleWebhook(request, {
      env: process.env,
      deliveries: () => deliveriesIn(blobs.connection),
      Octokit: QuietOctokit,
      log: { ...quietLog(), error: (m: string) => errors.push(m) },
    });

    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).toMatch(/^owners-on-review, promotion-on-review failed; see the function log for delivery /);
    expect(text).not.toMatch(/\n\s+at /);
    // Once per failed route, each with the cause.
    expect(errors).toHaveLength(2);
    expect(errors.every((e) => e.includes("Server Error"))).toBe(true);
  });
});

function quietLog() {
  return { info() {}, warn() {}, error() {} };
}
