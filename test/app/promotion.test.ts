// Promotion pull requests through the Probot app: GitHub's documented pull_request and
// pull_request_review payloads in; the `promptops/promotion` check and review requests out.
// Rules, gates and owners come from the base branch's pins file.

import nock from "nock";
import { nockGitHub } from "../fixtures/github/fake-github.js";
import { pullRequestEvent } from "../fixtures/github/payloads.js";
import { OWNER, PR_NUMBER, REPO, SHA } from "../fixtures/github/repo.js";
import { addRecordedTag } from "../fixtures/github/tagged.js";
import { testApp, type TestApp } from "./helpers.js";
import { ActionGitHub } from "../action/action-github.js";
import { reviewEvent, type RestReview } from "./ownership-github.js";

const PROMPT = "prompts/support/summary.prompt.yml";
const PINS = ".github/prompt-environments.yml";
const TAGGED = { v1: "1".repeat(40), v11: "2".repeat(40), v12: "3".repeat(40) };

function prompt(version: string, system: string): string {
  return ["name: Ticket summary", "model: echo", "promptops:", "  id: support/summary", `  version: ${version}`, "messages:", "  - role: system", `    content: ${JSON.stringify(system)}`, ""].join("\n");
}

function pins(production: string, staging = "support/summary: 1.1.0", rules = '    owners: ["@alice", "@acme/ml-leads"]\n    gates: { minScore: 0.9 }\n'): string {
  return `environments:\n  staging:\n    pins: { ${staging} }\n  production:\n    promoteFrom: staging\n${rules}    pins: { ${production} }\n`;
}

/** Three tagged versions of support/summary; 1.2.0's recorded score (0.85) is below production's bar. */
function promotion(base: string, head: string): ActionGitHub {
  const versions = { [TAGGED.v1]: prompt("1.0.0", "Summarize."), [TAGGED.v11]: prompt("1.1.0", "Summarize briefly."), [TAGGED.v12]: prompt("1.2.0", "Summarize in a line.") };
  const gh = new ActionGitHub(OWNER, REPO, {
    ...Object.fromEntries(Object.entries(versions).map(([sha, text]) => [sha, { [PROMPT]: text }])),
    [SHA.base]: { [PROMPT]: versions[TAGGED.v12]!, [PINS]: base },
    [SHA.head]: { [PROMPT]: versions[TAGGED.v12]!, [PINS]: head },
  });
  addRecordedTag(gh.tags, TAGGED.v1, { [PROMPT]: versions[TAGGED.v1]! }, PROMPT, { promptId: "support/summary", version: "1.0.0" });
  addRecordedTag(gh.tags, TAGGED.v11, { [PROMPT]: versions[TAGGED.v11]! }, PROMPT, { promptId: "support/summary", version: "1.1.0", approvers: ["dave"], scores: { base: 0.9, head: 0.96 } });
  addRecordedTag(gh.tags, TAGGED.v12, { [PROMPT]: versions[TAGGED.v12]! }, PROMPT, { promptId: "support/summary", version: "1.2.0", scores: { base: 0.96, head: 0.85 } });
  gh.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head, author: "Codertocat" });
  nockGitHub(gh);
  return gh;
}

const opened = () => pullRequestEvent("opened", { base: SHA.base, head: SHA.head });

function promotionCheck(gh: ActionGitHub) {
  return gh.checkRuns.filter((r) => r.name === "promptops/promotion" && r.head_sha === SHA.head).at(-1);
}

function plain(text: string | null | undefined): string {
  return (text ?? "").replace(/\u200D/g, "");
}

let clock = Date.UTC(2024, 5, 1);
function review(user: string, state: string): RestReview {
  clock += 60_000;
  return { id: clock, user: { login: user }, state, commit_id: SHA.head, submitted_at: new Date(clock).toISOString() };
}

let app: TestApp;
beforeAll(async () => {
  nock.disableNetConnect();
  app = await testApp();
});
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe("promotion pull requests", () => {
  it("checks the moved pin, asks the environment's owners, and fails until they approve", async () => {
    const gh = promotion(pins("support/summary: 1.0.0"), pins("support/summary: 1.1.0"));

    await app.receive("pull_request", opened());
    expect(gh.reviewRequests).toEqual([{ reviewers: ["alice"], team_reviewers: ["ml-leads"] }]);
    const waiting = promotionCheck(gh)!;
    expect(waiting).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(waiting.output.title).toBe("Waiting for approval by the owners of production");
    const summary = plain(waiting.output.summary);
    // The eval record stored with the version: verdict, scores, who approved it then.
    expect(summary).toContain("| production | `support/summary` | 1.0.0 | 1.1.0 | `prompts/support/summary/v1.1.0` | success, 0.90 → 0.96 | `dave` | ✅ ✅ minScore 0.90: recorded score 0.96 |");
    expect(summary).toContain("- production: `@alice`, `@acme/ml-leads` — waiting for approval");

    // alice approves: the check passes.
    gh.reviews.push(review("alice", "APPROVED"));
    await app.receive("pull_request_review", reviewEvent("submitted", { state: "approved", user: "alice" }));
    const approved = promotionCheck(gh)!;
    expect(approved).toMatchObject({ status: "completed", conclusion: "success" });
    expect(approved.output.title).toBe("Promotion checked: 1 pin(s) in production");
    expect(plain(approved.output.summary)).toContain("- production: `@alice`, `@acme/ml-leads` — approved by `alice`");
    // Review events never request reviewers.
    expect(gh.reviewRequests).toHaveLength(1);
  });

  it("holds a pull request to the base's owners and gates, even when it edits them", async () => {
    // The head lowers production's bar and makes its own author the owner, while moving
    // production to 1.2.0, whose recorded score (0.85) is under the base's minScore 0.9.
    const loosened = '    owners: ["@Codertocat"]\n    gates: { minScore: 0.5 }\n';
    const gh = promotion(pins("support/summary: 1.0.0", "support/summary: 1.2.0"), pins("support/summary: 1.2.0", "support/summary: 1.2.0", loosened));

    await app.receive("pull_request", opened());
    expect(gh.reviewRequests).toEqual([{ reviewers: ["alice"], team_reviewers: ["ml-leads"] }]);
    const check = promotionCheck(gh)!;
    expect(check.conclusion).toBe("failure");
    expect(check.output.title).toBe("1 promotion(s) break the environments' rules");
    expect(plain(check.output.summary)).toContain("❌ minScore 0.90: recorded score 0.85");
    // An annotation on the pin's line of the pins file.
    expect(check.annotations).toEqual([
      { path: PINS, start_line: 8, end_line: 8, annotation_level: "failure", title: "support/summary in production", message: "gate minScore 0.90: recorded score 0.85" },
    ]);

    // Even with the base's owners' approval, the gate still fails.
    gh.reviews.push(review("alice", "APPROVED"));
    await app.receive("pull_request_review", reviewEvent("submitted", { state: "approved", user: "alice" }));
    expect(promotionCheck(gh)!.conclusion).toBe("failure");
  });

  it("fails a pin whose tag does not exist and one not pinned in promoteFrom first", async () => {
    const gh = promotion(pins("support/summary: 1.0.0", "support/summary: 1.2.0"), pins("support/summary: 1.1.0, classify/intent: 2.0.1", "support/summary: 1.2.0"));
    await app.receive("pull_request", opened());
    const summary = plain(promotionCheck(gh)!.output.summary);
    expect(promotionCheck(gh)!.conclusion).toBe("failure");
    expect(summary).toContain("classify/intent 2.0.1 cannot be pinned in production: tag prompts/classify/intent/v2.0.1 does not exist");
    expect(summary).toContain("support/summary 1.1.0 cannot be pinned in production: it must be pinned in staging first (staging pins 1.2.0)");
  });

  it("fails a pins file with errors, annotated at file:line", async () => {
    const gh = promotion(pins("support/summary: 1.0.0"), pins("support/summary: v1.1.0"));
    await app.receive("pull_request", opened());
    const check = promotionCheck(gh)!;
    expect(check).toMatchObject({ conclusion: "failure", output: { title: "The environments file has errors" } });
    expect(check.annotations).toEqual([
      expect.objectContaining({ path: PINS, start_line: 8, end_line: 8, annotation_level: "failure", message: 'environments.production.pins["support/summary"]: version "v1.1.0" is not valid semver; write 1.1.0, without the "v"' }),
    ]);
    expect(gh.reviewRequests).toEqual([]);
  });

  it("adds no check to a pull request that does not change the pins file", async () => {
    const gh = promotion(pins("support/summary: 1.0.0"), pins("support/summary: 1.0.0"));
    await app.receive("pull_request", opened());
    expect(promotionCheck(gh)).toBeUndefined();
    expect(gh.reviewRequests).toEqual([]);
  });
});
