// The Action as GitHub's runner runs it: the bundle (built from the sources, as dist/index.js
// is) started with `node` and the runner's environment, against a GitHub Enterprise Server
// double and a model server on 127.0.0.1. A pull request's life: review, re-run, approval,
// merge; then a fork without secrets and a spending cap.

import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseAuditRecord } from "../../src/core/versions/audit.js";
import { COMMENT_MARKER } from "../../src/core/report/index.js";
import { serveGitHub } from "../fixtures/github/fake-github.js";
import { pullRequestEvent, pushEvent } from "../fixtures/github/payloads.js";
import { baseFiles, headFiles, OWNER, PR_NUMBER, promptFile, REPO, SHA } from "../fixtures/github/repo.js";
import { reviewEvent } from "../app/ownership-github.js";
import { tempDir, tempRepo, type TempRepo } from "../cli/git-fixture.js";
import { startCacheService } from "../support/actions-cache-service.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";
import { ActionGitHub } from "./action-github.js";
import { bundleForRunner, enterpriseServer, runStep, type RunnerRun } from "./runner.js";

const MERGE = "a".repeat(40);
const FORK_HEAD = "9".repeat(40);
const CAPPED_HEAD = "8".repeat(40);
const CACHED_HEAD = "7".repeat(40);
const SECRET_KEY = "sk-test-4f9c2e7d1b";
const PAID = (files: Record<string, string>) =>
  Object.fromEntries(Object.entries(files).map(([path, text]) => [path, text.replace("model: echo", "model: openai/gpt-4o-mini")]));

const base = PAID({ ...baseFiles(1), ".github/PROMPTOWNERS": "/prompts/ @alice\n" });
const head = PAID(headFiles(base, 1));
// A fork's head that declares a variable it never uses (a lint warning on line 8).
const forkPrompt = PAID({ p: promptFile(1, "1.1.0", "Summarize briefly: {{ticket}}") })
  .p!.replace("  version: 1.1.0\n", "  version: 1.1.0\n  variables:\n    ticket: { type: string }\n    locale: { type: string, required: false }\n");
const forkHead = { ...base, "prompts/support/summary-1.prompt.yml": forkPrompt };
const cappedHead = PAID(headFiles(base, 1, { version: "1.2.0" }));

let github: ActionGitHub;
let server: { host: string; close(): Promise<void> };
let models: ModelServer;
let bundle: string;
let workspace: TempRepo;

beforeAll(async () => {
  github = new ActionGitHub(OWNER, REPO, { [SHA.base]: base, [SHA.head]: head, [MERGE]: head, [FORK_HEAD]: forkHead, [CAPPED_HEAD]: cappedHead, [CACHED_HEAD]: head });
  // What the job's token writes is credited to GitHub Actions' app.
  github.appId = 15368;
  github.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head, author: "Codertocat" });
  server = await serveGitHub(github);
  models = await startModelServer();
  bundle = await bundleForRunner();
  workspace = tempRepo(base);
  workspace.commit("base");
}, 60_000);

afterAll(async () => {
  await server?.close();
  await models?.close();
  workspace?.cleanup();
});

interface Run extends RunnerRun {
  modelRequests: number;
}

/** Runs the bundle as the runner does, on the pull request's merge ref, counting the model requests it sent. */
async function runAction(eventName: string, payload: unknown, inputs: Record<string, string>, extraEnv: Record<string, string> = {}): Promise<Run> {
  const before = models.requests.length;
  const run = await runStep(bundle, {
    eventName,
    payload,
    inputs,
    env: {
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_SHA: SHA.head,
      GITHUB_REF: `refs/pull/${PR_NUMBER}/merge`,
      GITHUB_WORKSPACE: workspace.dir,
      ...enterpriseServer(server.host),
      ...extraEnv,
    },
  });
  return { ...run, modelRequests: models.requests.length - before };
}

const keyed = () => ({ "github-token": "ghs_workflow_token", "openai-api-key": SECRET_KEY, "openai-base-url": `${models.url}/v1` });
const evalRuns = (sha: string) => github.checkRuns.filter((r) => r.name === "promptops/eval" && r.head_sha === sha);
const ownersRun = (sha: string) => github.checkRuns.filter((r) => r.name === "promptops/owners" && r.head_sha === sha).at(-1);

describe("the Action, run as the runner runs it", () => {
  it("reviews a pull request: check run, sticky comment, owners asked, job summary, outputs, JSON report", async () => {
    const run = await runAction("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }), keyed());

    expect(run.code).toBe(0);
    // The token and the key are masked before anything else is printed.
    expect(run.stdout.split("\n").slice(0, 2).sort()).toEqual(["::add-mask::ghs_workflow_token", `::add-mask::${SECRET_KEY}`]);
    expect(run.stdout.replace(`::add-mask::${SECRET_KEY}`, "")).not.toContain(SECRET_KEY);
    expect(run.modelRequests).toBeGreaterThan(0);
    const [check] = evalRuns(SHA.head);
    expect(check).toMatchObject({ status: "completed", conclusion: "success", external_id: SHA.head });
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toContain(COMMENT_MARKER);
    expect(github.comments[0]!.body).toContain("support/summary-1");
    expect(github.requested.users).toEqual(["alice"]);
    expect(ownersRun(SHA.head)?.status).toBe("in_progress");
    // GHES: every call went to the runner's API and GraphQL URLs.
    expect(github.rawPaths.every((p) => / \/api\/(v3\/|graphql$)/.test(p))).toBe(true);
    expect(github.rawPaths).toContain("POST /api/graphql");

    expect(run.summary).toContain("## PromptOps: `pull_request.opened`");
    expect(run.summary).toContain("support/summary-1");
    expect(run.summary).toContain("### Prompt owners: waiting for approval");
    expect(run.outputs).toMatchObject({
      verdict: "success",
      "changed-prompts": JSON.stringify(["support/summary-1"]),
      "score-delta": JSON.stringify({ "support/summary-1": 0 }),
      regressions: "[]",
      "comment-id": String(github.comments[0]!.id),
      "check-run-id": String(check!.id),
    });
    const report = JSON.parse(readFileSync(run.outputs["report-path"]!, "utf8"));
    expect(report).toMatchObject({ schema: "promptops.review/v1", verdict: { conclusion: "success" }, headRef: SHA.head });
    expect(run.stdout).toContain("The Actions cache service is not available here");
  }, 30_000);

  it("a re-run of the job evaluates again and edits the same comment", async () => {
    const commentId = github.comments[0]!.id;
    github.comments[0]!.body = `${COMMENT_MARKER}\nedited by hand`;
    const run = await runAction("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }), keyed(), { GITHUB_RUN_ATTEMPT: "2" });

    expect(run.code).toBe(0);
    expect(run.modelRequests).toBeGreaterThan(0);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.id).toBe(commentId);
    expect(github.comments[0]!.body).toContain("support/summary-1");
    expect(evalRuns(SHA.head)).toHaveLength(2);
    expect(run.outputs["comment-id"]).toBe(String(commentId));
    expect(run.outputs["check-run-id"]).toBe(String(evalRuns(SHA.head)[1]!.id));
  }, 30_000);

  it("an owner's approval completes promptops/owners, and nothing calls a model", async () => {
    github.reviews.push({ id: 1, user: { login: "alice" }, state: "APPROVED", commit_id: SHA.head, submitted_at: "2024-05-01T11:00:00Z" });
    const run = await runAction("pull_request_review", reviewEvent("submitted", { state: "approved", user: "alice" }), keyed());

    expect(run.code).toBe(0);
    expect(run.modelRequests).toBe(0);
    expect(ownersRun(SHA.head)).toMatchObject({ status: "completed", conclusion: "success" });
    expect(run.summary).toContain("### Prompt owners: success");
    expect(run.summary).toContain("approved by alice");
    expect(run.outputs.verdict).toBe("success");
    expect(run.outputs["report-path"]).toBe("");
  }, 30_000);

  it("a push of the merge to the default branch tags the approved version", async () => {
    github.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head, author: "Codertocat", mergeCommitSha: MERGE });
    const run = await runAction("push", pushEvent({ ref: "refs/heads/main", before: SHA.base, after: MERGE, defaultBranch: "main" }), keyed(), { GITHUB_REF: "refs/heads/main", GITHUB_SHA: MERGE });

    expect(run.code).toBe(0);
    expect([...github.tags.refs.keys()]).toEqual(["prompts/support/summary-1/v1.1.0"]);
    const tag = github.tags.tagObjects.get(github.tags.refs.get("prompts/support/summary-1/v1.1.0")!.sha)!;
    expect(parseAuditRecord(tag.message)).toMatchObject({ promptId: "support/summary-1", version: "1.1.0", approvers: ["alice"], mergeCommitSha: MERGE });
    expect(run.outputs.verdict).toBe("success");
    expect(run.summary).toContain("Merged pull request #7");
    // This checkout lacks the commit before the push: what landed is not evaluated, and the summary says why.
    expect(run.summary).toContain("**review-on-push**: nothing to do (the checkout does not have bbbbbbbbbbbb");
    expect(run.summary).toContain("prompts/support/summary-1/v1.1.0");
  }, 30_000);

  it("a fork without secrets and with a read-only token is linted and diffed, not evaluated, never passes, and reported in the summary", async () => {
    github.addPull({ number: 8, base: SHA.base, head: FORK_HEAD, headRepo: { owner: "octocat", repo: REPO } });
    const payload = pullRequestEvent("opened", { base: SHA.base, head: FORK_HEAD, number: 8 });
    payload.pull_request.head.repo.full_name = `octocat/${REPO}`;
    payload.pull_request.head.repo.owner.login = "octocat";
    const comments = github.comments.length;
    github.readOnly = true;
    const run = await runAction("pull_request", payload, { "github-token": "ghs_read_only" }).finally(() => (github.readOnly = false));

    expect(run.modelRequests).toBe(0);
    expect(run.code).toBe(0);
    // GitHub refused the writes; nothing was posted, nothing failed.
    expect(github.calls).toContain(`POST /repos/${OWNER}/${REPO}/check-runs`);
    expect(evalRuns(FORK_HEAD)).toEqual([]);
    expect(github.comments).toHaveLength(comments);
    expect(run.outputs).toMatchObject({ verdict: "neutral", "comment-id": "", "check-run-id": "" });
    expect(run.summary).toContain(`comes from the fork octocat/${REPO}`);
    expect(run.summary).toContain("evaluation was skipped");
    expect(run.summary).toContain("could not be posted: this summary is the report");
    expect(run.summary).toContain("no API key: set the environment variable OPENAI\\_API\\_KEY");
    expect(run.summary).toMatch(/```diff[\s\S]*-\s+version: 1\.0\.0[\s\S]*\+\s+version: 1\.1\.0/);
    expect(run.stdout).toContain("::warning title=promptops%3A unused-variable,file=prompts/support/summary-1.prompt.yml,line=8,col=1::variable \"locale\"");
  }, 30_000);

  it("a fork without secrets, when the token can write, gets a neutral check run", async () => {
    const payload = pullRequestEvent("synchronize", { base: SHA.base, head: FORK_HEAD, number: 8 });
    payload.pull_request.head.repo.full_name = `octocat/${REPO}`;
    const run = await runAction("pull_request", payload, { "github-token": "ghs_write" }, { GITHUB_RUN_ATTEMPT: "2" });

    expect(run.modelRequests).toBe(0);
    const [check] = evalRuns(FORK_HEAD);
    expect(check).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(`${check!.output.summary}\n${check!.output.text}`).toContain("no API key: set the environment variable OPENAI\\_API\\_KEY");
    expect(run.outputs["check-run-id"]).toBe(String(check!.id));
  }, 30_000);

  it("stops sending at the spending cap and reports neutral", async () => {
    github.addPull({ number: 9, base: SHA.base, head: CAPPED_HEAD });
    const payload = pullRequestEvent("opened", { base: SHA.base, head: CAPPED_HEAD, number: 9 });
    const comments = github.comments.length;
    const run = await runAction("pull_request", payload, { ...keyed(), "budget-usd": "0.0000001", concurrency: "1", comment: "false" });

    // One request in flight when the cap is reached, then nothing more.
    expect(run.modelRequests).toBe(1);
    expect(run.code).toBe(0);
    expect(evalRuns(CAPPED_HEAD)[0]).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(run.outputs.verdict).toBe("neutral");
    // comment: false
    expect(github.comments).toHaveLength(comments);
    expect(run.outputs["comment-id"]).toBe("");
    expect(run.summary).toMatch(/spending cap \(budget-usd: \$0\.0000001\) was reached: \d+ model request\(s\) were not sent/);
  }, 30_000);

  it("reads the rules from the `config` input's path on the base branch", async () => {
    const customBase = "6".repeat(40);
    const customHead = "5".repeat(40);
    const broken = { "ci/promptops.yml": "gates:\n  minScore: [0.9\n" };
    github.commits[customBase] = { ...base, ...broken };
    github.commits[customHead] = { ...head, ...broken };
    github.addPull({ number: 11, base: customBase, head: customHead });
    const payload = pullRequestEvent("opened", { base: customBase, head: customHead, number: 11 });

    const run = await runAction("pull_request", payload, { ...keyed(), config: "./ci/promptops.yml", comment: "false" });

    expect(run.code).toBe(1);
    expect(run.modelRequests).toBe(0);
    const [check] = evalRuns(customHead);
    expect(check).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "ci/promptops.yml has 1 error" } });
    expect(run.outputs.verdict).toBe("failure");
  }, 30_000);

  it("reviews between two refs on workflow_dispatch, with GitHub Models through the job's token", async () => {
    const config = `providers:\n  github:\n    baseUrl: ${models.url}/inference\n`;
    const githubModels = (files: Record<string, string>) =>
      Object.fromEntries(Object.entries(files).map(([p, t]) => [p, t.replace("model: openai/gpt-4o-mini", "model: github/openai/gpt-4o-mini")]));
    const repo = tempRepo({ ...githubModels(base), ".github/promptops.yml": config });
    try {
      repo.commit("base");
      repo.write(githubModels(head));
      const headSha = repo.commit("head");
      const dispatch = { inputs: { base: "HEAD~1", head: "HEAD" }, ref: "refs/heads/main", repository: { name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER }, default_branch: "main" } };
      const calls = github.calls.length;

      const run = await runAction("workflow_dispatch", dispatch, { "github-token": "ghs_workflow_token" }, { GITHUB_WORKSPACE: repo.dir, GITHUB_REF: "refs/heads/main", GITHUB_SHA: headSha });

      expect(run.code).toBe(0);
      expect(run.modelRequests).toBeGreaterThan(0);
      expect(models.requests.at(-1)).toMatchObject({ api: "github", headers: { authorization: "Bearer ghs_workflow_token" } });
      expect(github.calls.length).toBe(calls);
      expect(run.outputs).toMatchObject({ verdict: "success", "changed-prompts": JSON.stringify(["support/summary-1"]), "comment-id": "", "check-run-id": "" });
      expect(run.summary).toContain("## PromptOps: `workflow_dispatch`");
      expect(JSON.parse(readFileSync(run.outputs["report-path"]!, "utf8")).headRef).toBe(headSha);
    } finally {
      repo.cleanup();
    }
  }, 30_000);

  it("what the default branch evaluated is saved to the Actions cache, and a pull request's review of the same prompts sends nothing", async () => {
    const cacheService = await startCacheService();
    const repo = tempRepo(base);
    // Both runs on one runner path, as on GitHub's runners (the cache version includes the path).
    const runnerTemp = tempDir("promptops-runner-temp-");
    try {
      const before = repo.commit("base");
      repo.write(head);
      const after = repo.commit("merge");
      const cacheEnv = { ACTIONS_CACHE_URL: cacheService.url, ACTIONS_RUNTIME_TOKEN: "runtime-token", RUNNER_TEMP: runnerTemp };

      const push = pushEvent({ ref: "refs/heads/main", before, after, defaultBranch: "main" });
      const onMain = await runAction("push", push, keyed(), { ...cacheEnv, GITHUB_WORKSPACE: repo.dir, GITHUB_REF: "refs/heads/main", GITHUB_SHA: after });
      expect(onMain.code).toBe(0);
      expect(onMain.modelRequests).toBeGreaterThan(0);
      expect(cacheService.keys).toHaveLength(1);
      expect(cacheService.keys[0]).toMatch(/^promptops-eval-v1-[0-9a-f]{32}$/);
      expect(onMain.stdout).toContain(`Saved model responses to the Actions cache (${cacheService.keys[0]})`);

      rmSync(join(runnerTemp, "promptops-eval-cache"), { recursive: true, force: true });
      github.addPull({ number: 10, base: SHA.base, head: CACHED_HEAD });
      const pr = await runAction("pull_request", pullRequestEvent("opened", { base: SHA.base, head: CACHED_HEAD, number: 10 }), keyed(), cacheEnv);
      expect(pr.code).toBe(0);
      expect(pr.stdout).toContain(`Restored model responses from the Actions cache (${cacheService.keys[0]})`);
      expect(pr.modelRequests).toBe(0);
      expect(pr.outputs.verdict).toBe("success");
      expect(pr.summary).toMatch(/0 requests sent · [1-9]\d* cache hits/);
      // A pull request never writes what others read.
      expect(cacheService.keys).toHaveLength(1);
      expect(cacheService.calls.filter((c) => c.startsWith("POST"))).toHaveLength(2);
    } finally {
      repo.cleanup();
      rmSync(runnerTemp, { recursive: true, force: true });
      await cacheService.close();
    }
  }, 60_000);

  it("says so when the event has nothing to do", async () => {
    const run = await runAction("star", { action: "created", repository: { name: REPO, owner: { login: OWNER } } }, keyed());
    expect(run.code).toBe(0);
    expect(run.summary).toContain("Nothing to do: PromptOps has no work for `star.created`");
    expect(run.outputs.verdict).toBe("skipped");
  }, 30_000);
});
