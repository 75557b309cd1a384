// The routes only the Action takes: pull_request_target (reviewed at the head the event saw),
// push to the default branch (tags), workflow_dispatch (a review between refs of the checkout).

import { Octokit } from "@octokit/rest";
import nock from "nock";
import { memoryCache } from "../../src/core/eval/cache.js";
import { handleDelivery, type Host } from "../../src/host/delivery.js";
import { hostDeps } from "../../src/host/deps.js";
import { handledEvents, routesFor } from "../../src/host/routes.js";
import { API, FakeGitHub, nockGitHub } from "../fixtures/github/fake-github.js";
import { pullRequestEvent, pushEvent } from "../fixtures/github/payloads.js";
import { baseFiles, headFiles, OWNER, PR_NUMBER, REPO, SHA } from "../fixtures/github/repo.js";
import { tempRepo } from "../cli/git-fixture.js";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

function action(extra: Partial<Host> = {}): Host {
  const octokit = new Octokit({ baseUrl: API, auth: "token", request: { retries: 0 }, log: quiet });
  return { kind: "action", deps: (reads) => hostDeps(octokit, { env: {}, cache: memoryCache() }, { log: quiet, reads }), ...extra };
}

const done = (outcomes: Awaited<ReturnType<typeof handleDelivery>>) => outcomes.map((o) => (o.status === "done" ? o.result : o.error));

describe("the Action's routes", () => {
  it("are the Action's alone; schedule is left to a route of its own", () => {
    const names = (host: "app" | "action" | "netlify", event: string, act?: string) => routesFor(host, event, act).map((r) => r.name);
    expect(names("action", "pull_request", "opened")).toEqual(["review", "owners", "promotion"]);
    expect(names("action", "pull_request_target", "labeled")).toEqual(["review-target", "owners-target", "promotion-target"]);
    expect(names("action", "pull_request_target", "synchronize")).toEqual(["review-target", "owners-target", "promotion-target"]);
    expect(names("action", "push")).toEqual(["tags-on-push", "review-on-push"]);
    expect(names("action", "workflow_dispatch")).toEqual(["review-refs"]);
    expect(names("action", "pull_request_review", "submitted")).toEqual(["owners-on-review", "promotion-on-review"]);
    expect(names("action", "schedule")).toEqual(["drift"]);
    for (const host of ["app", "netlify"] as const) {
      expect(names(host, "pull_request_target", "opened")).toEqual([]);
      expect(names(host, "push")).toEqual([]);
      expect(names(host, "workflow_dispatch")).toEqual([]);
      expect(handledEvents(host).has("push")).toBe(false);
    }
  });

  it("reviews a pull_request_target event at the head it names, never at a head pushed since", async () => {
    const base = baseFiles(1);
    const fake = new FakeGitHub(OWNER, REPO, { [SHA.base]: base, [SHA.head]: headFiles(base, 1), [SHA.head2]: headFiles(base, 1, { version: "1.2.0" }) });
    fake.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head2 });
    nockGitHub(fake);
    const labelled = pullRequestEvent("opened", { base: SHA.base, head: SHA.head });
    labelled.action = "labeled";

    const outcomes = await handleDelivery(action(), { name: "pull_request_target", payload: labelled });

    expect(done(outcomes)[0]).toEqual({ status: "skipped", reason: "head-moved", headSha: SHA.head, newHeadSha: SHA.head2 });
    expect(fake.checkRuns.filter((r) => r.name === "promptops/eval")).toEqual([]);
  });

  it("reviews a pull_request_target event like a pull_request, reading the head as data", async () => {
    const base = baseFiles(1);
    const fake = new FakeGitHub(OWNER, REPO, { [SHA.base]: base, [SHA.head]: headFiles(base, 1) });
    fake.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head });
    nockGitHub(fake);

    const outcomes = await handleDelivery(action(), { name: "pull_request_target", payload: pullRequestEvent("opened", { base: SHA.base, head: SHA.head }) });

    expect(done(outcomes)[0]).toMatchObject({ status: "reviewed", conclusion: "success", headSha: SHA.head });
    expect(fake.checkRuns.map((r) => r.name).sort()).toEqual(["promptops/eval", "promptops/owners"]);
  });

  it("does nothing on a push to another branch", async () => {
    const fake = new FakeGitHub(OWNER, REPO, {});
    nockGitHub(fake);
    const push = pushEvent({ ref: "refs/heads/feature", before: SHA.base, after: SHA.head, defaultBranch: "main" });
    const notDefault = { skipped: "refs/heads/feature is not the default branch" };
    expect(done(await handleDelivery(action(), { name: "push", payload: push }))).toEqual([notDefault, notDefault]);
    const direct = pushEvent({ ref: "refs/heads/main", before: SHA.base, after: SHA.head, defaultBranch: "main" });
    expect(done(await handleDelivery(action(), { name: "push", payload: direct }))).toEqual([
      { skipped: "no merged pull request has commit ccccccc" },
      { skipped: expect.stringMatching(/^no checkout of the repository: to evaluate what lands on the default branch \(and fill the eval cache\), check it out/) },
    ]);
    expect(fake.calls).toEqual([`GET /repos/${OWNER}/${REPO}/commits/${SHA.head}/pulls`]);
  });

  it("evaluates what a push brings to the default branch in the checkout", async () => {
    const fake = new FakeGitHub(OWNER, REPO, {});
    nockGitHub(fake);
    const repo = tempRepo(baseFiles(1));
    try {
      const before = repo.commit("base");
      repo.write(headFiles(baseFiles(1), 1));
      const after = repo.commit("merge");
      const push = pushEvent({ ref: "refs/heads/main", before, after, defaultBranch: "main" });

      const [tags, review] = done(await handleDelivery(action({ workspace: repo.dir }), { name: "push", payload: push })) as any[];

      expect(tags).toEqual({ skipped: `no merged pull request has commit ${after.slice(0, 7)}` });
      expect(review).toMatchObject({ status: "reviewed", base: before, head: after });
      expect(review.review.verdict.conclusion).toBe("success");
      const shallow = pushEvent({ ref: "refs/heads/main", before: SHA.base, after, defaultBranch: "main" });
      expect(done(await handleDelivery(action({ workspace: repo.dir }), { name: "push", payload: shallow }))[1]).toEqual({
        skipped: expect.stringContaining(`the checkout does not have ${SHA.base.slice(0, 12)} (fetch more history)`),
      });
    } finally {
      repo.cleanup();
    }
  });

  it("reviews between two refs of the checked-out repository on workflow_dispatch", async () => {
    const repo = tempRepo(baseFiles(1));
    try {
      const baseSha = repo.commit("base");
      repo.write(headFiles(baseFiles(1), 1, { regress: true }));
      const headSha = repo.commit("head");
      const dispatch = { inputs: { base: "HEAD~1", head: "HEAD" }, ref: "refs/heads/main", repository: { name: REPO, owner: { login: OWNER } } };

      const [outcome] = done(await handleDelivery(action({ workspace: repo.dir }), { name: "workflow_dispatch", payload: dispatch })) as any[];

      expect(outcome).toMatchObject({ status: "reviewed", base: baseSha, head: headSha });
      expect(outcome.review.verdict.conclusion).toBe("failure");
      expect(outcome.review.comparisons.map((c: { promptId: string }) => c.promptId)).toEqual(["support/summary-1"]);
      const noBase = { ...dispatch, inputs: {} };
      expect(done(await handleDelivery(action({ workspace: repo.dir }), { name: "workflow_dispatch", payload: noBase }))[0]).toMatchObject({
        skipped: expect.stringContaining("no base input"),
      });
    } finally {
      repo.cleanup();
    }
  });
});
