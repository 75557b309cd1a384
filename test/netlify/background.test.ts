// The serverless App's background worker (netlify/functions/review-background.mts): a delivery
// queued by the webhook function is reviewed against a simulated GitHub, exactly once, with its
// state in Netlify Blobs (served locally by @netlify/blobs' own server).

import { jest } from "@jest/globals";
import nock from "nock";
import background, { config } from "../../netlify/functions/review-background.mjs";
import webhook from "../../netlify/functions/github-webhooks.mjs";
import { handleQueuedDelivery, netlifyBackgroundOptions, type BackgroundOptions } from "../../src/netlify/background.js";
import { deliveriesIn } from "../../src/netlify/stores.js";
import { FakeGitHub, nockGitHub, serveGitHub } from "../fixtures/github/fake-github.js";
import { pullRequestEvent } from "../fixtures/github/payloads.js";
import { baseFiles, headFiles, OWNER, PR_NUMBER, REPO, SHA, type Files } from "../fixtures/github/repo.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";
import { QuietOctokit } from "../app/helpers.js";
import { deployedEnvironment, backgroundRequest, githubRequest, newDeliveryId, startBlobs, startNetlifyRouter, type LocalBlobs } from "./harness.js";

const R = `/repos/${OWNER}/${REPO}`;
let blobs: LocalBlobs;
const saved = { ...process.env };

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost):/);
  blobs = await startBlobs();
});
beforeEach(() => {
  for (const method of ["log", "warn", "error"] as const) jest.spyOn(console, method).mockImplementation(() => undefined);
  Object.assign(process.env, deployedEnvironment(blobs));
});
afterEach(async () => {
  process.env = { ...saved };
  jest.restoreAllMocks();
  nock.cleanAll();
  await blobs.clear();
});
afterAll(async () => {
  nock.enableNetConnect();
  await blobs.close();
});

function pullRequest(commits: Record<string, Files>): FakeGitHub {
  const fake = new FakeGitHub(OWNER, REPO, commits);
  fake.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head });
  nockGitHub(fake);
  return fake;
}

const evalRuns = (fake: FakeGitHub) => fake.checkRuns.filter((r) => r.name === "promptops/eval");
const opened = () => pullRequestEvent("opened", { base: SHA.base, head: SHA.head });
const state = (id: string) => deliveriesIn(blobs.connection).state(id);

/** The worker as the function runs it, minus Probot's retry and throttling waits. */
function worker(extra: Partial<BackgroundOptions> = {}): (req: Request) => Promise<Response> {
  const options = { ...netlifyBackgroundOptions(process.env, undefined, blobs.connection), Octokit: QuietOctokit, retryAfterBaseMs: 1, log: { info() {}, warn() {}, error() {} }, ...extra };
  return (req) => handleQueuedDelivery(req, options);
}

/** Stores a delivery through the webhook function and returns its id (the worker is not run). */
async function queued(payload: unknown, event = "pull_request"): Promise<string> {
  const router = await startNetlifyRouter(async () => new Response(null, { status: 202 }));
  try {
    const id = newDeliveryId();
    expect((await webhook(githubRequest(router.origin, { id, event, payload }), {})).status).toBe(202);
    return id;
  } finally {
    await router.close();
  }
}

describe("the background function", () => {
  it("is a Netlify background function", () => {
    expect(config).toEqual({ background: true });
  });

  it("reviews a queued pull request: one check run, finished, and one sticky comment; the delivery is done", async () => {
    const base = baseFiles(2);
    const fake = pullRequest({ [SHA.base]: base, [SHA.head]: headFiles(base, 1, { regress: true }) });
    const router = await startNetlifyRouter((req) => background(req, {}));
    try {
      const id = newDeliveryId();
      const ack = await webhook(githubRequest(router.origin, { id, event: "pull_request", payload: opened() }), {});
      expect(ack.status).toBe(202);
      const [result] = await router.settled();

      if (result instanceof Error) throw result;
      expect(result).toBeInstanceOf(Response);
      expect((result as Response).status).toBe(200);
      expect(evalRuns(fake).map((r) => r.history.map((h) => `${h.status}/${h.conclusion}`))).toEqual([["in_progress/null", "completed/failure"]]);
      expect(fake.checkRuns.find((r) => r.name === "promptops/owners")?.status).toBe("completed");
      expect(fake.comments).toHaveLength(1);
      expect(fake.comments[0]!.body).toContain("support/summary-1");
      expect(await state(id)).toMatchObject({
        status: "done",
        event: "pull_request",
        target: `${OWNER}/${REPO}#${PR_NUMBER}`,
        attempts: 1,
        routes: [
          { route: "review", status: "done", outcome: "reviewed" },
          { route: "owners", status: "done" },
          { route: "promotion", status: "done" },
        ],
      });
    } finally {
      await router.close();
    }
  }, 60_000); // Probot's own throttling spaces the writes by a second

  it("does nothing for a delivery already done (a replayed invocation)", async () => {
    const base = baseFiles(1);
    const fake = pullRequest({ [SHA.base]: base, [SHA.head]: headFiles(base, 1) });
    const id = await queued(opened());
    expect((await worker()(backgroundRequest(id))).status).toBe(200);
    const calls = fake.calls.length;

    const again = await worker()(backgroundRequest(id));
    expect([again.status, await again.text()]).toEqual([200, `delivery ${id} is already done\n`]);
    expect(fake.calls.length).toBe(calls);
  });

  it("refuses a tampered envelope: nothing reaches GitHub and the delivery is failed with the reason", async () => {
    const fake = pullRequest({ [SHA.base]: baseFiles(1), [SHA.head]: headFiles(baseFiles(1), 1) });
    const id = await queued(opened());
    const stored = await blobs.deliveries.getWithMetadata(`${id}/envelope`, { type: "arrayBuffer" });
    const forged = Buffer.from(stored!.data).toString("utf8").replace('"number": 7', '"number": 8').replace('"number":7', '"number":8');
    await blobs.deliveries.set(`${id}/envelope`, forged, { metadata: stored!.metadata });

    const response = await worker()(backgroundRequest(id));

    expect(response.status).toBe(401);
    expect(fake.calls).toEqual([]);
    expect(await state(id)).toMatchObject({ status: "failed", reason: "signature refused: X-Hub-Signature-256 does not match the body" });
  });

  it("answers 404 for an id it never stored and 400 for a body without one", async () => {
    expect((await worker()(backgroundRequest(newDeliveryId()))).status).toBe(404);
    const bad = new Request("http://127.0.0.1/.netlify/functions/review-background", { method: "POST", body: '{"id":"../x"}' });
    expect((await worker()(bad)).status).toBe(400);
  });

  it("finishes the same check run and comment when retried after a crash mid-review", async () => {
    const base = baseFiles(2);
    const fake = pullRequest({ [SHA.base]: base, [SHA.head]: headFiles(base, 1, { regress: true }) });
    // GitHub becomes unreachable after the comment is posted: the run's last updates never land,
    // as when the function is stopped mid-review.
    fake.onCall = (call) => {
      if (call === `POST ${R}/issues/${PR_NUMBER}/comments`) {
        const run = evalRuns(fake)[0]!;
        for (let i = 0; i < 2; i++) fake.failNext({ call: `PATCH ${R}/check-runs/${run.id}`, status: 502, body: { message: "Bad Gateway" } });
        fake.onCall = undefined;
      }
    };
    const id = await queued(opened());

    const crashed = await worker()(backgroundRequest(id));
    expect(crashed.status).toBe(500);
    expect(await state(id)).toMatchObject({ status: "failed", attempts: 1, reason: expect.stringContaining("review:") });
    expect(evalRuns(fake).map((r) => r.status)).toEqual(["in_progress"]);
    expect(fake.comments).toHaveLength(1);

    // Netlify's retry of the failed invocation.
    const retried = await worker()(backgroundRequest(id));

    expect(retried.status).toBe(200);
    expect(evalRuns(fake)).toHaveLength(1);
    expect(evalRuns(fake)[0]!.status).toBe("completed");
    expect(evalRuns(fake)[0]!.conclusion).toBe("failure");
    expect(fake.comments).toHaveLength(1);
    expect(fake.calls.filter((c) => c === `POST ${R}/issues/${PR_NUMBER}/comments`)).toHaveLength(1);
    expect(await state(id)).toMatchObject({ status: "done", attempts: 2 });
  });

  it("reviews a head once when two deliveries of it run at once in two instances, holding the head in Blobs", async () => {
    const base = baseFiles(2);
    const fake = pullRequest({ [SHA.base]: base, [SHA.head]: headFiles(base, 1) });
    const first = await queued(opened());
    const second = await queued(opened());
    let lockKeys: Promise<string[]> | undefined;
    fake.onCall = (call) => {
      // While a review writes its check run, the head is held in the deliveries' store.
      if (call === `POST ${R}/check-runs` && !lockKeys) lockKeys = blobs.keys().then((keys) => keys.filter((k) => k.startsWith("head-locks/")));
    };

    // The second instance starts once the first holds the head. (Netlify's only-if-new writes are
    // atomic; the local Blobs server checks then writes, so two creates racing in the same
    // millisecond could both succeed there, which says nothing about Netlify.)
    const firstAnswer = worker()(backgroundRequest(first));
    const reviewLock = `head-locks/${encodeURIComponent(`${OWNER}/${REPO}#${PR_NUMBER}@${SHA.head}/review`)}`;
    for (let i = 0; i < 500 && !(await blobs.keys()).includes(reviewLock); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const answers = await Promise.all([firstAnswer, worker()(backgroundRequest(second))]);

    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(evalRuns(fake).map((r) => [r.status, r.conclusion])).toEqual([["completed", "success"]]);
    expect(fake.calls.filter((c) => c === `POST ${R}/issues/${PR_NUMBER}/comments`)).toHaveLength(1);
    expect(await lockKeys).toContain(`head-locks/${encodeURIComponent(`${OWNER}/${REPO}#${PR_NUMBER}@${SHA.head}/review`)}`);
    expect((await blobs.keys()).filter((k) => k.startsWith("head-locks/") && !k.includes("~"))).toEqual([]);
  });

  it("reviews on GitHub Enterprise Server when GHE_HOST is set", async () => {
    const base = baseFiles(1);
    const fake = new FakeGitHub(OWNER, REPO, { [SHA.base]: base, [SHA.head]: headFiles(base, 1) });
    fake.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head });
    const ghe = await serveGitHub(fake);
    try {
      Object.assign(process.env, { GHE_HOST: ghe.host, GHE_PROTOCOL: "http" });
      const id = await queued(opened());
      expect((await worker()(backgroundRequest(id))).status).toBe(200);
      expect(fake.calls).toContain("POST /app/installations/4242/access_tokens");
      expect(evalRuns(fake).map((r) => r.conclusion)).toEqual(["success"]);
    } finally {
      await ghe.close();
    }
  });

  it("throws from the function on a failure, so Netlify retries the invocation", async () => {
    process.env.APP_ID = "";
    await expect(background(backgroundRequest(newDeliveryId()), {})).rejects.toThrow("missing environment variable APP_ID");
  });
});

describe("the eval cache in Netlify Blobs", () => {
  let server: ModelServer;
  beforeEach(async () => {
    server = await startModelServer();
  });
  afterEach(async () => {
    await server.close();
  });

  /** A pull request whose prompts run on `openai/gpt-4o-mini`, served by the local model server. */
  function onOpenAI(): FakeGitHub {
    const swap = (files: Files): Files => Object.fromEntries(Object.entries(files).map(([p, t]) => [p, t.replace("model: echo", "model: openai/gpt-4o-mini")]));
    const base = swap(baseFiles(2));
    return pullRequest({ [SHA.base]: base, [SHA.head]: swap(headFiles(base, 2)) });
  }
  const models = () => ({ OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: `${server.url}/v1` });

  it("sends no model request twice when the same pull request is reviewed again", async () => {
    Object.assign(process.env, models());
    const fake = onOpenAI();
    const first = await queued(opened());
    expect((await worker()(backgroundRequest(first))).status).toBe(200);
    const sent = server.requests.length;
    expect(sent).toBeGreaterThan(0);

    const reopened = await queued(pullRequestEvent("reopened", { base: SHA.base, head: SHA.head }));
    expect((await worker()(backgroundRequest(reopened))).status).toBe(200);

    expect(server.requests.length).toBe(sent);
    expect(evalRuns(fake).map((r) => r.conclusion)).toEqual(["success", "success"]);
  });

  it("keeps a deploy preview's cache apart from production's", async () => {
    Object.assign(process.env, models());
    onOpenAI();
    const preview = worker(netlifyBackgroundOptions({ ...process.env, CONTEXT: "deploy-preview" }, { deploy: { id: "65f0c0ffee0000000000abcd", context: "deploy-preview" } }, blobs.connection));
    expect((await preview(backgroundRequest(await queued(opened())))).status).toBe(200);
    const sent = server.requests.length;

    // Production has not seen those answers: the same review asks the models again.
    expect((await worker()(backgroundRequest(await queued(pullRequestEvent("reopened", { base: SHA.base, head: SHA.head }))))).status).toBe(200);
    expect(server.requests.length).toBe(2 * sent);
  });
});
