// Environments through the Action, run as the runner runs it (the bundle, the runner's
// environment, a GitHub Enterprise Server double on 127.0.0.1): a promotion pull request gets
// `promptops/promotion` and the environment's owners are asked; a scheduled run keeps one drift
// issue for an environment whose service does not run its pin.

import { serveGitHub } from "../fixtures/github/fake-github.js";
import { pullRequestEvent } from "../fixtures/github/payloads.js";
import { OWNER, PR_NUMBER, REPO, SHA } from "../fixtures/github/repo.js";
import { deployedReport, PINS, PROMPT, SHA256, V1 as V1_TEXT, V11 as V11_TEXT } from "../fixtures/github/drifting-repo.js";
import { addRecordedTag } from "../fixtures/github/tagged.js";
import { tempRepo, type TempRepo } from "../cli/git-fixture.js";
import { ActionGitHub } from "./action-github.js";
import { bundleForRunner, enterpriseServer, runStep } from "./runner.js";

const V1 = "1".repeat(40);
const V11 = "2".repeat(40);
const MAIN = "a".repeat(40);

const files = { v1: V1_TEXT, v11: V11_TEXT };
const pins = (production: string) =>
  `environments:\n  staging:\n    pins: { support/summary: 1.1.0 }\n  production:\n    promoteFrom: staging\n    owners: ["@alice"]\n    deployed: { file: deployed/production.json }\n    pins: { support/summary: ${production} }\n`;

let github: ActionGitHub;
let server: { host: string; close(): Promise<void> };
let bundle: string;
let workspace: TempRepo;

beforeAll(async () => {
  const report = deployedReport("1.0.0", SHA256.v1);
  github = new ActionGitHub(OWNER, REPO, {
    [V1]: { [PROMPT]: files.v1 },
    [V11]: { [PROMPT]: files.v11 },
    [SHA.base]: { [PROMPT]: files.v11, [PINS]: pins("1.0.0") },
    [SHA.head]: { [PROMPT]: files.v11, [PINS]: pins("1.1.0") },
    // The default branch after the promotion merged; the service still runs 1.0.0.
    [MAIN]: { [PROMPT]: files.v11, [PINS]: pins("1.1.0"), "deployed/production.json": report },
  });
  github.appId = 15368;
  github.defaultBranch = { name: "main", sha: MAIN };
  addRecordedTag(github.tags, V1, { [PROMPT]: files.v1 }, PROMPT, { promptId: "support/summary", version: "1.0.0" });
  addRecordedTag(github.tags, V11, { [PROMPT]: files.v11 }, PROMPT, { promptId: "support/summary", version: "1.1.0" });
  github.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head, author: "Codertocat" });
  server = await serveGitHub(github);
  bundle = await bundleForRunner();
  workspace = tempRepo({ [PROMPT]: files.v11 });
  workspace.commit("base");
}, 60_000);

afterAll(async () => {
  await server?.close();
  workspace?.cleanup();
});

async function runAction(eventName: string, payload: unknown): Promise<{ code: number; stdout: string }> {
  return runStep(bundle, {
    eventName,
    payload,
    inputs: { "github-token": "ghs_workflow_token" },
    env: {
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      // `schedule` and `pull_request_target` run on the default branch; `pull_request` on the merge ref.
      GITHUB_SHA: eventName === "schedule" ? MAIN : eventName === "pull_request_target" ? SHA.base : SHA.head,
      GITHUB_REF: eventName === "pull_request" ? `refs/pull/${PR_NUMBER}/merge` : "refs/heads/main",
      GITHUB_WORKSPACE: workspace.dir,
      ...enterpriseServer(server.host),
    },
  });
}

describe("environments through the Action", () => {
  it("checks a promotion pull request and asks the environment's owners", async () => {
    await runAction("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));
    const check = github.checkRuns.filter((r) => r.name === "promptops/promotion" && r.head_sha === SHA.head).at(-1);
    expect(check).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "Waiting for approval by the owners of production" } });
    expect(github.reviewRequests).toEqual([{ reviewers: ["alice"] }]);
  });

  it("checks a promotion pull request from a fork on pull_request_target, held to the base's owners", async () => {
    const FORK_HEAD = "d".repeat(40);
    github.commits[FORK_HEAD] = { [PROMPT]: files.v11, [PINS]: pins("1.1.0") };
    github.addPull({ number: 8, base: SHA.base, head: FORK_HEAD, author: "forker", headRepo: { owner: "forker", repo: REPO } });
    const { code } = await runAction("pull_request_target", pullRequestEvent("opened", { base: SHA.base, head: FORK_HEAD, number: 8 }));
    expect(code).toBe(0);
    const check = github.checkRuns.filter((r) => r.name === "promptops/promotion" && r.head_sha === FORK_HEAD);
    expect(check).toHaveLength(1);
    expect(check[0]).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "Waiting for approval by the owners of production" } });
    expect(github.reviewRequests.at(-1)).toEqual({ reviewers: ["alice"] });
  });

  it("on schedule, opens one drift issue for an environment that does not run its pin", async () => {
    // GitHub's scheduled-run payload: the cron line, the repository and the sender.
    const payload = { schedule: "17 * * * *", repository: { name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER }, default_branch: "main" }, sender: { login: "github-actions[bot]" } };
    await runAction("schedule", payload);
    await runAction("schedule", payload);
    const open = github.issues.filter((i) => i.state === "open");
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ title: "Prompt drift in production", labels: ["promptops:drift"] });
    expect(open[0]!.body).toContain("| `support/summary` | pending-rollout | `1.1.0` | `1.0.0` |");
  });
});
