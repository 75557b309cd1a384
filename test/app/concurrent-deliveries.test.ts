// The same event delivered three times at once (GitHub retrying a webhook it thinks timed out,
// "Redeliver" pressed while the first is running): exactly one eval check run, one owners
// check run, one comment and one request per reviewer, as with sequential redeliveries.

import nock from "nock";
import { nockGitHub } from "../fixtures/github/fake-github.js";
import { pullRequestEvent } from "../fixtures/github/payloads.js";
import { baseFiles, headFiles, OWNER, PR_NUMBER, REPO, SHA } from "../fixtures/github/repo.js";
import { testApp } from "./helpers.js";
import { OwnershipGitHub } from "./ownership-github.js";

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const R = `/repos/${OWNER}/${REPO}`;

function setUp(): OwnershipGitHub {
  const base = baseFiles(2, { ".github/PROMPTOWNERS": "prompts/ @alice @bob @acme/support-ai\n" });
  const gh = new OwnershipGitHub(OWNER, REPO, { [SHA.base]: base, [SHA.head]: headFiles(base, 2) });
  gh.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head, author: "Codertocat" });
  nockGitHub(gh);
  return gh;
}

describe.each(["opened", "synchronize", "reopened"] as const)("three identical %s deliveries at once", (action) => {
  it("write one check run of each kind, one comment and one request per reviewer", async () => {
    const gh = setUp();
    const app = await testApp();

    await Promise.all([1, 2, 3].map(() => app.receive("pull_request", pullRequestEvent(action, { base: SHA.base, head: SHA.head }))));

    expect(gh.checkRuns.filter((r) => r.name === "promptops/eval")).toHaveLength(1);
    expect(gh.checkRuns.filter((r) => r.name === "promptops/owners")).toHaveLength(1);
    expect(gh.checkRuns.find((r) => r.name === "promptops/eval")!.status).toBe("completed");
    expect(gh.calls.filter((c) => c === `POST ${R}/check-runs`)).toHaveLength(2);
    expect(gh.calls.filter((c) => c === `POST ${R}/issues/${PR_NUMBER}/comments`)).toHaveLength(1);
    expect(gh.calls.filter((c) => c.startsWith("DELETE "))).toEqual([]);
    expect(gh.comments.filter((c) => c.body.includes("<!-- promptops:review -->"))).toHaveLength(1);
    expect(gh.reviewRequests).toEqual([{ reviewers: ["alice", "bob"], team_reviewers: ["support-ai"] }]);
  });
});

it("a later delivery for a new head still reviews it", async () => {
  const gh = setUp();
  const app = await testApp();
  await Promise.all([1, 2].map(() => app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }))));
  gh.commits[SHA.head2] = headFiles(gh.commits[SHA.base]!, 1, { version: "1.2.0" });
  gh.pulls.get(PR_NUMBER)!.head = SHA.head2;
  await Promise.all([1, 2].map(() => app.receive("pull_request", pullRequestEvent("synchronize", { base: SHA.base, head: SHA.head2 }))));
  const evalRuns = gh.checkRuns.filter((r) => r.name === "promptops/eval");
  expect(evalRuns.map((r) => r.head_sha)).toEqual([SHA.head, SHA.head2]);
  expect(gh.comments.filter((c) => c.body.includes("<!-- promptops:review -->"))).toHaveLength(1);
});
