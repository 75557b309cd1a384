// The host layer on its own, as the Action and the Netlify worker use it: one event in, the
// routes that answer it run over one set of reads, against a simulated GitHub.

import { Octokit } from "@octokit/rest";
import nock from "nock";
import { memoryCache } from "../../src/core/eval/cache.js";
import { handleDelivery, DeliveryReadsByDelivery, type Host } from "../../src/host/delivery.js";
import { hostDeps } from "../../src/host/deps.js";
import { PayloadError, payloadReader } from "../../src/host/payload.js";
import { handledEvents, routesFor, ROUTES } from "../../src/host/routes.js";
import { API, FakeGitHub, nockGitHub } from "../fixtures/github/fake-github.js";
import { issueCommentCreated, pullRequestEvent } from "../fixtures/github/payloads.js";
import { baseFiles, headFiles, OWNER, PR_NUMBER, REPO, SHA } from "../fixtures/github/repo.js";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const R = `/repos/${OWNER}/${REPO}`;

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

function host(kind: Host["kind"] = "action"): Host {
  const octokit = new Octokit({ baseUrl: API, auth: "token", request: { retries: 0 }, log: quiet });
  return { kind, deps: (reads) => hostDeps(octokit, { env: {}, cache: memoryCache() }, { log: quiet, reads }) };
}

describe("the route table", () => {
  it("names the workflows of each event and action", () => {
    const names = (event: string, action?: string) => routesFor("app", event, action).map((r) => r.name);
    expect(names("pull_request", "opened")).toEqual(["review", "owners", "promotion"]);
    expect(names("pull_request", "closed")).toEqual(["tags", "promotion-record"]);
    expect(names("pull_request", "labeled")).toEqual([]);
    expect(names("pull_request_review", "submitted")).toEqual(["owners-on-review", "promotion-on-review"]);
    // A schedule exists only in a workflow and in the serverless App's scheduled function: the
    // Probot App gets no such event.
    expect(names("schedule")).toEqual([]);
    expect(routesFor("action", "schedule", undefined).map((r) => r.name)).toEqual(["drift"]);
    expect(routesFor("netlify", "schedule", undefined).map((r) => r.name)).toEqual(["drift"]);
    expect(names("check_run", "rerequested")).toEqual(["rerun-check"]);
    expect(names("check_suite", "rerequested")).toEqual(["rerun-suite"]);
    expect(names("issue_comment", "created")).toEqual(["rerun-command"]);
    expect(names("star", "created")).toEqual([]);
    expect(new Set(ROUTES.map((r) => r.name)).size).toBe(ROUTES.length);
    // Only what calls no model may run inside a webhook's deadline.
    expect(ROUTES.filter((r) => r.quick).map((r) => r.name)).toEqual(["owners-on-review", "promotion-on-review"]);
    expect([...handledEvents("app")].sort()).toEqual(["check_run", "check_suite", "issue_comment", "pull_request", "pull_request_review"]);
  });

  it("says which field a payload lacks instead of failing deep inside a workflow", () => {
    const event = payloadReader("pull_request", { action: "opened", repository: { name: "r", owner: { login: "o" } } });
    expect(event.repo()).toEqual({ owner: "o", repo: "r" });
    expect(event.trigger()).toBe("pull_request.opened");
    expect(() => event.number("pull_request.number")).toThrow(new PayloadError("pull_request", "pull_request.number", "number"));
  });
});

describe("handleDelivery", () => {
  it("runs the review and the ownership sync of one pull_request event over one set of reads", async () => {
    const base = baseFiles(2);
    const fake = new FakeGitHub(OWNER, REPO, { [SHA.base]: base, [SHA.head]: headFiles(base, 1) });
    fake.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head });
    nockGitHub(fake);

    const outcomes = await handleDelivery(host(), { name: "pull_request", payload: pullRequestEvent("opened", { base: SHA.base, head: SHA.head }) });

    expect(outcomes.map((o) => [o.route, o.status])).toEqual([
      ["review", "done"],
      ["owners", "done"],
      ["promotion", "done"],
    ]);
    expect(fake.checkRuns.map((r) => [r.name, r.conclusion]).sort()).toEqual([
      ["promptops/eval", "success"],
      ["promptops/owners", "success"],
    ]);
    const count = (call: string) => fake.calls.filter((c) => c === call).length;
    expect(count(`GET ${R}/pulls/${PR_NUMBER}`)).toBe(2); // first read, and the review's stale-head guard
    expect(count(`GET ${R}/pulls/${PR_NUMBER}/files`)).toBe(1);
    expect(count(`GET ${R}/git/trees/${SHA.base}`)).toBe(1);
    expect(count(`GET ${R}/git/trees/${SHA.head}`)).toBe(1);
    expect(fake.graphqlExpressions.length).toBe(new Set(fake.graphqlExpressions).size);
  });

  it("reports a route that failed and still runs the others", async () => {
    const fake = new FakeGitHub(OWNER, REPO, { [SHA.base]: baseFiles(1), [SHA.head]: baseFiles(1) });
    fake.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head });
    nockGitHub(fake);
    const payload = pullRequestEvent("opened", { base: SHA.base, head: SHA.head }) as { pull_request: { number: unknown } };
    payload.pull_request.number = "seven";

    const outcomes = await handleDelivery(host(), { name: "pull_request", payload });

    expect(outcomes.map((o) => o.status)).toEqual(["failed", "failed", "failed"]);
    expect(outcomes[0]).toMatchObject({ error: expect.objectContaining({ message: "the pull_request payload has no number at pull_request.number" }) });
    expect(fake.calls).toEqual([]);
  });

  it("answers nothing for an event no route of the host takes", async () => {
    expect(await handleDelivery(host(), { name: "star", payload: { action: "created" } })).toEqual([]);
    const comment = issueCommentCreated({ body: "nice", user: "octocat" });
    expect((await handleDelivery(host(), { name: "issue_comment", payload: comment })).map((o) => (o.status === "done" ? o.result : o.error))).toEqual([
      { status: "ignored", reason: "not a /promptops command" },
    ]);
  });
});

describe("DeliveryReadsByDelivery", () => {
  it("keeps a delivery's reads until every handler answering it has finished, in any order", () => {
    const open = new DeliveryReadsByDelivery();
    const first = open.acquire("d1", 2);
    open.release("d1"); // the first handler ended before the second started
    expect(open.acquire("d1", 2)).toBe(first);
    open.release("d1");
    expect(open.size).toBe(0);
    expect(open.acquire("d1", 2)).not.toBe(first);
  });
});
