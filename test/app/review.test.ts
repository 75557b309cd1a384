// The review through the Probot app: GitHub's documented webhook payloads in (adapted to the
// fixture repository), a simulated GitHub behind nock, models answered offline by `echo`.
// Other handlers (ownership) answer the same events; `callsBy("review")` isolates the review's.

import nock from "nock";
import { FakeGitHub, nockGitHub } from "../fixtures/github/fake-github.js";
import { checkRunRerequested, checkSuiteRerequested, issueCommentCreated, pullRequestEvent } from "../fixtures/github/payloads.js";
import { baseFiles, headFiles, OWNER, PR_NUMBER, REPO, SHA, type Files } from "../fixtures/github/repo.js";
import { RetryingOctokit, testApp } from "./helpers.js";

const R = `/repos/${OWNER}/${REPO}`;
const TOKEN = "POST /app/installations/4242/access_tokens";

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

function setUp(commits: Record<string, Files>, pull: Partial<Parameters<FakeGitHub["addPull"]>[0]> = {}): FakeGitHub {
  const fake = new FakeGitHub(OWNER, REPO, commits);
  fake.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head, ...pull });
  nockGitHub(fake);
  return fake;
}

// Tree listings are shared with the ownership handler of the same delivery, so whichever handler
// lists first makes the call; they are counted per delivery in their own test.
const reviewCalls = (fake: FakeGitHub) => fake.callsBy("review").filter((c) => c !== TOKEN && !c.includes("/git/trees/"));
const evalRuns = (fake: FakeGitHub) => fake.checkRuns.filter((r) => r.name === "promptops/eval");

/**
 * The calls one full review makes beside the ownership sync (pull_request events), in order:
 * constant, whatever the number of prompts.
 */
const FULL_REVIEW = [
  `GET ${R}/pulls/${PR_NUMBER}`,
  "POST /graphql", // .github/promptops.yml at the base
  `GET ${R}/pulls/${PR_NUMBER}/files`,
  `GET ${R}/commits/${SHA.head}/check-runs`, // a run of ours for this head already?
  `POST ${R}/check-runs`, // in_progress
  // The prompts, partials and golden sets of both sides are read once for the delivery, by
  // whichever of the review and the ownership sync asks first (see "once per delivery" below).
  `GET ${R}/pulls/${PR_NUMBER}`, // stale guard
  `GET ${R}/issues/${PR_NUMBER}/comments`,
];

/** A review answering an event on its own (a re-run) reads both sides itself. */
const FULL_REVIEW_ALONE = [...FULL_REVIEW.slice(0, 5), "POST /graphql", ...FULL_REVIEW.slice(5)];

describe("pull_request events", () => {
  it("reviews an opened pull request: one content query, a check run created then completed, one comment", async () => {
    const base = baseFiles(2);
    const fake = setUp({ [SHA.base]: base, [SHA.head]: headFiles(base, 1, { regress: true }) });
    const app = await testApp();

    await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));

    expect(reviewCalls(fake)).toEqual([
      ...FULL_REVIEW,
      `POST ${R}/issues/${PR_NUMBER}/comments`,
      `GET ${R}/issues/${PR_NUMBER}/comments`, // the sticky comment's race check
      `PATCH ${R}/check-runs/${evalRuns(fake)[0]!.id}`,
    ]);
    const [run] = evalRuns(fake);
    expect(evalRuns(fake)).toHaveLength(1);
    expect(run!.head_sha).toBe(SHA.head);
    expect(run!.external_id).toBe(SHA.head);
    expect(run!.history.map((h) => `${h.status}/${h.conclusion}`)).toEqual(["in_progress/null", "completed/failure"]);
    expect(run!.annotations).toEqual([
      expect.objectContaining({ path: "prompts/support/summary-1.golden.jsonl", start_line: 1, annotation_level: "failure", title: "Case refund regressed and fails" }),
      expect.objectContaining({ path: "prompts/support/summary-1.golden.jsonl", start_line: 2, annotation_level: "failure", title: "Case late regressed and fails" }),
    ]);
    expect(fake.comments).toHaveLength(1);
    expect(fake.comments[0]!.body).toContain("<!-- promptops:review -->");
    expect(fake.comments[0]!.body).toContain("support/summary-1");
  });

  it("edits the same comment on the next push and reviews the new head", async () => {
    const base = baseFiles(2);
    const fake = setUp({
      [SHA.base]: base,
      [SHA.head]: headFiles(base, 1, { regress: true }),
      [SHA.head2]: headFiles(base, 1),
    });
    const app = await testApp();
    await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));
    const firstBody = fake.comments[0]!.body;
    fake.labelled.length = 0;

    fake.pulls.get(PR_NUMBER)!.head = SHA.head2;
    await app.receive("pull_request", pullRequestEvent("synchronize", { base: SHA.base, head: SHA.head2 }));

    const runs = evalRuns(fake);
    expect(runs.map((r) => [r.head_sha, r.conclusion])).toEqual([
      [SHA.head, "failure"],
      [SHA.head2, "success"],
    ]);
    expect(fake.comments).toHaveLength(1);
    expect(fake.comments[0]!.body).not.toBe(firstBody);
    expect(reviewCalls(fake)).toEqual([
      ...FULL_REVIEW.map((c) => c.replace(SHA.head, SHA.head2)),
      `PATCH ${R}/issues/comments/${fake.comments[0]!.id}`,
      `PATCH ${R}/check-runs/${runs[1]!.id}`,
    ]);
  });

  it("makes the same GitHub calls for 1 and for 50 changed prompts", async () => {
    const callsFor = async (changed: number) => {
      const base = baseFiles(50);
      const fake = setUp({ [SHA.base]: base, [SHA.head]: headFiles(base, changed) });
      const app = await testApp();
      await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));
      nock.cleanAll();
      expect(evalRuns(fake)[0]!.conclusion).toBe("success");
      expect(evalRuns(fake)[0]!.output.summary).toContain(`support/summary-${changed}`);
      return { review: reviewCalls(fake), all: fake.calls.length, contentQueries: fake.graphqlFileCounts.length };
    };
    const one = await callsFor(1);
    const fifty = await callsFor(50);
    expect(fifty.review).toEqual(one.review);
    expect(fifty.review.filter((c) => c === "POST /graphql")).toHaveLength(1);
    expect(fifty.all).toBe(one.all);
    expect(fifty.contentQueries).toBe(one.contentQueries);
  });

  it("lists each tree and reads each file once per delivery, though the review and the ownership sync both need them", async () => {
    const base = baseFiles(3);
    const fake = setUp({ [SHA.base]: base, [SHA.head]: headFiles(base, 2) });
    const app = await testApp();
    const trees = () => fake.calls.filter((c) => c.includes("/git/trees/")).sort();

    await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));
    // Both handlers did their whole job on the shared reads.
    expect(evalRuns(fake).map((r) => r.conclusion)).toEqual(["success"]);
    expect(fake.checkRuns.filter((r) => r.name === "promptops/owners").map((r) => r.conclusion)).toEqual(["success"]);
    expect(fake.callsBy("other")).toContain(`GET ${R}/pulls/${PR_NUMBER}/reviews`);
    expect(trees()).toEqual([`GET ${R}/git/trees/${SHA.base}`, `GET ${R}/git/trees/${SHA.head}`]);
    const prompt = `${SHA.head}:prompts/support/summary-1.prompt.yml`;
    expect(fake.graphqlExpressions.filter((e) => e === prompt)).toHaveLength(1);
    expect(fake.graphqlExpressions.length).toBe(new Set(fake.graphqlExpressions).size);
    // The pull request (plus the review's stale-head guard, which must see the head as it is
    // now), its file list and the base rules: once for the delivery, not once per handler.
    const count = (call: string) => fake.calls.filter((c) => c === call).length;
    expect(count(`GET ${R}/pulls/${PR_NUMBER}`)).toBe(2);
    expect(count(`GET ${R}/pulls/${PR_NUMBER}/files`)).toBe(1);
    expect(fake.graphqlExpressions.filter((e) => e === `${SHA.base}:.github/promptops.yml`)).toHaveLength(1);

    // The next delivery reads afresh: nothing outlives the delivery it was read for.
    await app.receive("pull_request", pullRequestEvent("reopened", { base: SHA.base, head: SHA.head }));
    expect(trees()).toEqual([`GET ${R}/git/trees/${SHA.base}`, `GET ${R}/git/trees/${SHA.base}`, `GET ${R}/git/trees/${SHA.head}`, `GET ${R}/git/trees/${SHA.head}`]);
    expect(fake.graphqlExpressions.filter((e) => e === prompt)).toHaveLength(2);
  });

  it("turns a malformed prompt into an annotation and still reviews the others", async () => {
    const base = baseFiles(3);
    const head = headFiles(base, 3);
    head["prompts/support/summary-2.prompt.yml"] = "name: Broken\nmessages:\n  - role: user\n    content: [unclosed\n";
    const fake = setUp({ [SHA.base]: base, [SHA.head]: head });
    const app = await testApp();

    await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));

    const [run] = evalRuns(fake);
    expect(run!.conclusion).toBe("failure");
    expect(run!.annotations).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: "prompts/support/summary-2.prompt.yml", annotation_level: "failure" })]),
    );
    expect(run!.output.summary).toContain("support/summary-1");
    expect(run!.output.summary).toContain("support/summary-3");
    expect(fake.comments[0]!.body).toContain("support/summary-3");
  });

  it("reports a pull request over GitHub's 3,000-file limit instead of crashing, and never as a pass", async () => {
    const base = baseFiles(1);
    const files = [{ filename: "prompts/support/summary-1.prompt.yml", status: "modified" }];
    for (let i = 0; i < 3_499; i++) files.push({ filename: `data/file-${String(i).padStart(4, "0")}.txt`, status: "added" });
    const fake = setUp({ [SHA.base]: base, [SHA.head]: headFiles(base, 1) }, { files });
    const app = await testApp();

    await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));

    expect(reviewCalls(fake).filter((c) => c.endsWith("/files"))).toHaveLength(30);
    const [run] = evalRuns(fake);
    expect(run!.conclusion).toBe("neutral");
    expect(run!.output.summary).toContain("at most 3,000 files");
    expect(fake.comments[0]!.body).toContain("at most 3,000 files");
  });

  it("skips a draft pull request without a trace, unless review.drafts is on", async () => {
    const base = baseFiles(1);
    const fake = setUp({ [SHA.base]: base, [SHA.head]: headFiles(base, 1) }, { draft: true });
    const app = await testApp();
    await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head, draft: true }));
    expect(reviewCalls(fake)).toEqual([`GET ${R}/pulls/${PR_NUMBER}`, "POST /graphql"]);
    expect(evalRuns(fake)).toEqual([]);

    nock.cleanAll();
    const withDrafts = { ...base, ".github/promptops.yml": "review:\n  drafts: true\n" };
    const fake2 = setUp({ [SHA.base]: withDrafts, [SHA.head]: headFiles(withDrafts, 1) }, { draft: true });
    await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head, draft: true }));
    expect(evalRuns(fake2).map((r) => r.conclusion)).toEqual(["success"]);
  });

  it("uses defaults when the base has no config, and says so in the check run", async () => {
    const base = baseFiles(1);
    const fake = setUp({ [SHA.base]: base, [SHA.head]: headFiles(base, 1) });
    const app = await testApp();
    await app.receive("pull_request", pullRequestEvent("reopened", { base: SHA.base, head: SHA.head }));
    const [run] = evalRuns(fake);
    expect(run!.conclusion).toBe("success");
    expect(run!.output.summary).toContain("No .github/promptops.yml on the base branch: default settings apply.");
  });

  it("takes the rules from the base, not from the pull request", async () => {
    // The head raises nothing but loosens the gate; the base's maxRegression still applies.
    const base = baseFiles(1, { ".github/promptops.yml": "gates:\n  maxRegression: 0.05\n" });
    const head = { ...headFiles(base, 1, { regress: true }), ".github/promptops.yml": "gates:\n  maxRegression: 1\n" };
    const fake = setUp({ [SHA.base]: base, [SHA.head]: head });
    const app = await testApp();
    await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));
    expect(evalRuns(fake)[0]!.conclusion).toBe("failure");
  });

  it("fails the check with the config's errors as annotations, evaluating nothing", async () => {
    const base = baseFiles(1, { ".github/promptops.yml": "gates:\n  minScore: high\n" });
    const fake = setUp({ [SHA.base]: base, [SHA.head]: headFiles(base, 1) });
    const app = await testApp();
    await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));

    expect(reviewCalls(fake)).toEqual([`GET ${R}/pulls/${PR_NUMBER}`, "POST /graphql", `GET ${R}/commits/${SHA.head}/check-runs`, `POST ${R}/check-runs`]);
    const [run] = evalRuns(fake);
    expect(run!.history.map((h) => `${h.status}/${h.conclusion}`)).toEqual(["completed/failure"]);
    expect(run!.annotations).toEqual([
      expect.objectContaining({ path: ".github/promptops.yml", start_line: 2, annotation_level: "failure", message: expect.stringContaining("minScore") }),
    ]);
    expect(fake.comments.filter((c) => c.body.includes("promptops:review"))).toEqual([]);
  });

  it("does nothing visible when no prompt changed, or posts a neutral check when configured", async () => {
    const base = baseFiles(1);
    const fake = setUp({ [SHA.base]: base, [SHA.head]: { ...base, "README.md": "# Changed\n" } });
    const app = await testApp();
    await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));
    expect(reviewCalls(fake)).toEqual([`GET ${R}/pulls/${PR_NUMBER}`, "POST /graphql", `GET ${R}/pulls/${PR_NUMBER}/files`]);
    expect(evalRuns(fake)).toEqual([]);

    nock.cleanAll();
    const configured = { ...base, ".github/promptops.yml": "review:\n  checkWhenNoChanges: true\n" };
    const fake2 = setUp({ [SHA.base]: configured, [SHA.head]: { ...configured, "README.md": "# Changed\n" } });
    await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));
    expect(evalRuns(fake2).map((r) => [r.conclusion, r.output.title])).toEqual([["neutral", "No prompt changes"]]);
    expect(fake2.comments.filter((c) => c.body.includes("promptops:review"))).toEqual([]);
  });

  it("does not overwrite with a stale result when the head moves during the review", async () => {
    const base = baseFiles(1);
    const fake = setUp({ [SHA.base]: base, [SHA.head]: headFiles(base, 1), [SHA.head2]: headFiles(base, 1, { regress: true }) });
    // The push lands while the contents are being read.
    let contentQueries = 0;
    fake.onCall = (call) => {
      if (call === "POST /graphql" && ++contentQueries === 2) fake.pulls.get(PR_NUMBER)!.head = SHA.head2;
    };
    const app = await testApp();
    await app.receive("pull_request", pullRequestEvent("synchronize", { base: SHA.base, head: SHA.head }));

    const [run] = evalRuns(fake);
    expect(run!.conclusion).toBe("neutral");
    expect(run!.output.title).toBe(`Superseded by ${SHA.head2.slice(0, 7)}`);
    expect(reviewCalls(fake).some((c) => c.includes("/comments"))).toBe(false);
    expect(fake.comments.filter((c) => c.body.includes("promptops:review"))).toEqual([]);
  });

  it("reviews a pull request from a fork through the base repository, by SHA", async () => {
    const base = baseFiles(1);
    const fake = setUp({ [SHA.base]: base, [SHA.head]: headFiles(base, 1) }, { headRepo: { owner: "outsider", repo: "support-bot-fork" } });
    const app = await testApp();
    await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));
    expect(evalRuns(fake)[0]!.conclusion).toBe("success");
    expect(fake.calls.filter((c) => c.includes("outsider"))).toEqual([]);
  });

  it("never leaves the check run in progress when something breaks mid-review", async () => {
    const base = baseFiles(1);
    const fake = setUp({ [SHA.base]: base, [SHA.head]: headFiles(base, 1) });
    // The listing is shared with the ownership handler, and a failed one is not kept: whether the
    // review joins the first failure or asks again, it meets a 500.
    fake.failNext({ call: `GET ${R}/git/trees/${SHA.head}`, status: 500, body: { message: "Server Error" } });
    fake.failNext({ call: `GET ${R}/git/trees/${SHA.head}`, status: 500, body: { message: "Server Error" } });
    const app = await testApp();
    // The ownership sync has no run to complete: its error fails the delivery, which GitHub may redeliver.
    await expect(app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }))).rejects.toThrow("Server Error");
    const [run] = evalRuns(fake);
    expect(run!.history.map((h) => `${h.status}/${h.conclusion}`)).toEqual(["in_progress/null", "completed/failure"]);
    expect(run!.output.title).toBe("PromptOps could not finish the review");
    expect(run!.output.summary).toContain("Server Error");
  });
});

describe("re-delivered webhooks", () => {
  const upToChecks = [`GET ${R}/pulls/${PR_NUMBER}`, "POST /graphql", `GET ${R}/pulls/${PR_NUMBER}/files`, `GET ${R}/commits/${SHA.head}/check-runs`];

  it("do not evaluate a head twice: the second delivery finds our completed run and stops", async () => {
    const base = baseFiles(1);
    const fake = setUp({ [SHA.base]: base, [SHA.head]: headFiles(base, 1) });
    const app = await testApp();
    const payload = pullRequestEvent("synchronize", { base: SHA.base, head: SHA.head });
    await app.receive("pull_request", payload);
    const comment = fake.comments[0]!.body;
    fake.labelled.length = 0;

    await app.receive("pull_request", structuredClone(payload));
    expect(reviewCalls(fake)).toEqual(upToChecks);
    expect(evalRuns(fake).map((r) => r.conclusion)).toEqual(["success"]);
    expect(fake.comments[0]!.body).toBe(comment);

    // Reopening evaluates again (the base may have moved), as a new run beside the old one.
    fake.labelled.length = 0;
    await app.receive("pull_request", pullRequestEvent("reopened", { base: SHA.base, head: SHA.head }));
    expect(reviewCalls(fake)).toContain(`POST ${R}/check-runs`);
    expect(evalRuns(fake).map((r) => r.conclusion)).toEqual(["success", "success"]);
  });

  it("take over the run a crashed delivery left in progress instead of adding a second one", async () => {
    const base = baseFiles(1);
    const fake = setUp({ [SHA.base]: base, [SHA.head]: headFiles(base, 1) });
    const left = fake.addCheckRun({ name: "promptops/eval", head_sha: SHA.head, status: "in_progress", external_id: SHA.head });
    const app = await testApp();
    await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));

    expect(reviewCalls(fake)).not.toContain(`POST ${R}/check-runs`);
    expect(reviewCalls(fake)).toContain(`PATCH ${R}/check-runs/${left}`);
    expect(evalRuns(fake).map((r) => [r.id, r.status, r.conclusion])).toEqual([[left, "completed", "success"]]);
  });

  it("leave alone a run of the same name made by another app", async () => {
    const base = baseFiles(1);
    const fake = setUp({ [SHA.base]: base, [SHA.head]: headFiles(base, 1) });
    const foreign = fake.addCheckRun({ name: "promptops/eval", head_sha: SHA.head, status: "completed", conclusion: "success", external_id: SHA.head, appId: 999 });
    const app = await testApp();
    await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));

    expect(reviewCalls(fake)).not.toContain(`PATCH ${R}/check-runs/${foreign}`);
    expect(evalRuns(fake).map((r) => [r.app.id, r.conclusion])).toEqual([
      [999, "success"],
      [123, "success"],
    ]);
  });
});

describe("GitHub faults", () => {
  // Probot's throttling queues requests in its own scheduler, so calls are not labelled by
  // handler here: the faulted run is compared with a clean one, call for call.
  async function run(faults: Parameters<FakeGitHub["failNext"]>[0][]) {
    const base = baseFiles(2);
    const fake = setUp({ [SHA.base]: base, [SHA.head]: headFiles(base, 2) });
    for (const fault of faults) fake.failNext(fault);
    const app = await testApp({ Octokit: RetryingOctokit });
    await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));
    nock.cleanAll();
    return fake;
  }
  const count = (fake: FakeGitHub, call: string) => fake.calls.filter((c) => c === call).length;

  it("retries GitHub's 502s and waits out secondary rate limits (Probot's retry and throttling)", async () => {
    const clean = await run([]);
    const faulted = await run([
      { call: "POST /graphql", status: 502, body: { message: "Bad Gateway" } },
      {
        call: `GET ${R}/pulls/${PR_NUMBER}/files`,
        status: 403,
        body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." },
        headers: { "retry-after": "1" },
      },
    ]);

    expect(count(faulted, "POST /graphql")).toBe(count(clean, "POST /graphql") + 1);
    expect(count(faulted, `GET ${R}/pulls/${PR_NUMBER}/files`)).toBe(count(clean, `GET ${R}/pulls/${PR_NUMBER}/files`) + 1);
    expect(faulted.calls.length).toBe(clean.calls.length + 2);
    expect(evalRuns(faulted).map((r) => [r.status, r.conclusion])).toEqual([["completed", "success"]]);
    expect(faulted.comments.filter((c) => c.body.includes("promptops:review"))).toHaveLength(1);
  });
});

describe("asking for a review again", () => {
  async function reviewed() {
    const base = baseFiles(1);
    const fake = setUp({ [SHA.base]: base, [SHA.head]: headFiles(base, 1) });
    const app = await testApp();
    await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));
    fake.labelled.length = 0;
    return { fake, app };
  }

  it("reviews again when our check run is re-requested, and ignores other checks", async () => {
    const { fake, app } = await reviewed();
    await app.receive("check_run", checkRunRerequested({ headSha: SHA.head, pullNumbers: [PR_NUMBER], name: "some-linter" }));
    expect(reviewCalls(fake)).toEqual([]);

    await app.receive("check_run", checkRunRerequested({ headSha: SHA.head, pullNumbers: [PR_NUMBER] }));
    // The comment's stats line changes (every model answer now comes from the cache).
    expect(reviewCalls(fake)).toEqual([
      ...FULL_REVIEW_ALONE,
      `PATCH ${R}/issues/comments/${fake.comments[0]!.id}`,
      `PATCH ${R}/check-runs/${evalRuns(fake)[1]!.id}`,
    ]);
    expect(fake.comments[0]!.body).toMatch(/0 requests sent · \d+ cache hits/);
    expect(evalRuns(fake).map((r) => r.conclusion)).toEqual(["success", "success"]);
    expect(fake.comments).toHaveLength(1);
  });

  it("redoes both checks on \"Re-run all checks\" (check_suite.rerequested), and the owners check on its own re-run", async () => {
    const { fake, app } = await reviewed();
    const reviewsListed = () => fake.calls.filter((c) => c === `GET ${R}/pulls/${PR_NUMBER}/reviews`).length;
    const owners = () => fake.checkRuns.filter((r) => r.name === "promptops/owners").map((r) => r.history.length);
    const ownersBefore = owners();
    expect(ownersBefore).toHaveLength(1);

    fake.calls.length = 0;
    await app.receive("check_suite", checkSuiteRerequested({ headSha: SHA.head, pullNumbers: [PR_NUMBER], appId: 999 }));
    expect(fake.calls.filter((c) => c !== TOKEN)).toEqual([]);

    await app.receive("check_suite", checkSuiteRerequested({ headSha: SHA.head, pullNumbers: [PR_NUMBER] }));
    expect(evalRuns(fake).map((r) => r.conclusion)).toEqual(["success", "success"]);
    // Ownership is recomputed; its run already says the same, so nothing is written to it.
    expect(reviewsListed()).toBe(1);
    expect(owners()).toEqual(ownersBefore);

    fake.calls.length = 0;
    await app.receive("check_run", checkRunRerequested({ headSha: SHA.head, pullNumbers: [PR_NUMBER], name: "promptops/owners" }));
    expect(reviewsListed()).toBe(1);
    expect(fake.calls).not.toContain(`POST ${R}/check-runs`);
    expect(evalRuns(fake)).toHaveLength(2);
  });

  it("reviews again on `/promptops rerun` from a user with write access only", async () => {
    const { fake, app } = await reviewed();
    fake.permissions.set("reader", "read");
    fake.permissions.set("maintainer", "maintain");

    await app.receive("issue_comment", issueCommentCreated({ body: "/promptops rerun", user: "reader" }));
    expect(reviewCalls(fake)).toEqual([`GET ${R}/collaborators/reader/permission`]);
    await app.receive("issue_comment", issueCommentCreated({ body: "/promptops rerun", user: "maintainer", onPullRequest: false }));
    await app.receive("issue_comment", issueCommentCreated({ body: "LGTM, /promptops rerun later", user: "maintainer" }));
    expect(reviewCalls(fake)).toHaveLength(1);
    expect(evalRuns(fake)).toHaveLength(1);

    await app.receive("issue_comment", issueCommentCreated({ body: "  /promptops rerun\n", user: "maintainer" }));
    expect(reviewCalls(fake).slice(0, 3)).toEqual([`GET ${R}/collaborators/reader/permission`, `GET ${R}/collaborators/maintainer/permission`, ...FULL_REVIEW.slice(0, 1)]);
    expect(evalRuns(fake)).toHaveLength(2);
  });
});
