// syncOwnership called directly, over the real GitHub port and a nock-served GitHub: where the
// owners come from, and the cases where the owners check must fail rather than guess.

import { Octokit } from "@octokit/rest";
import nock from "nock";
import { createGitHubPort } from "../../src/github/octokit.js";
import { syncOwnership, type SyncOwnershipDeps } from "../../src/workflows/sync-ownership.js";
import { OwnershipGitHub, ownersCheck } from "../app/ownership-github.js";
import { API, nockGitHub, type FakePull } from "../fixtures/github/fake-github.js";
import { OWNER, PR_NUMBER, REPO, SHA, type Files } from "../fixtures/github/repo.js";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function deps(): SyncOwnershipDeps {
  const octokit = new Octokit({ baseUrl: API, request: { retries: 0 }, log: quiet });
  return { github: createGitHubPort(octokit), log: quiet };
}

const sync = (trigger = "pull_request.synchronize") => syncOwnership(deps(), { repo: { owner: OWNER, repo: REPO }, number: PR_NUMBER, trigger });

function promptFile(system: string, owners?: string[]): string {
  return [
    "model: openai/gpt-4o-mini",
    "promptops:",
    "  id: support/summary",
    ...(owners ? [`  owners: ${JSON.stringify(owners)}`] : []),
    "messages:",
    "  - role: system",
    `    content: ${JSON.stringify(system)}`,
    "",
  ].join("\n");
}

const PROMPT = "prompts/support/summary.prompt.yml";

function change(base: Files, head: Files, pull: Partial<FakePull> = {}): OwnershipGitHub {
  const gh = new OwnershipGitHub(OWNER, REPO, { [SHA.base]: base, [SHA.head]: head });
  gh.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head, author: "Codertocat", ...pull });
  nockGitHub(gh);
  return gh;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe("where the owners come from", () => {
  it("uses the base prompt file's promptops.owners without an owners file, and notes the head's new ones", async () => {
    const gh = change({ [PROMPT]: promptFile("Summarize.", ["alice"]) }, { [PROMPT]: promptFile("Summarize briefly.", ["Codertocat"]) });
    const result = await sync();
    expect(result.prompts).toEqual([expect.objectContaining({ promptId: "support/summary", owners: ["@alice"], source: "prompt-file", satisfied: false })]);
    expect(gh.reviewRequests).toEqual([{ reviewers: ["alice"] }]);
    expect(ownersCheck(gh)!.output.summary).toContain("`support/summary`: this pull request declares owners `@Codertocat`; they apply once merged.");
  });

  it("falls back to ownership.defaultOwners", async () => {
    const config = { ".github/promptops.yml": "ownership:\n  defaultOwners: [\"acme/prompt-team\"]\n" };
    const gh = change({ ...config, [PROMPT]: promptFile("a") }, { ...config, [PROMPT]: promptFile("b") });
    const result = await sync();
    expect(result.prompts[0]).toMatchObject({ owners: ["@acme/prompt-team"], source: "default" });
    expect(gh.reviewRequests).toEqual([{ team_reviewers: ["prompt-team"] }]);
  });

  it("reads CODEOWNERS only when ownership.useCodeowners is on", async () => {
    const codeowners = { ".github/CODEOWNERS": "*.prompt.yml @carol\n" };
    const off = change({ ...codeowners, [PROMPT]: promptFile("a") }, { ...codeowners, [PROMPT]: promptFile("b") });
    expect((await sync()).prompts[0]).toMatchObject({ owners: [], source: "none", satisfied: true });
    expect(off.reviewRequests).toEqual([]);
    nock.cleanAll();

    const config = { ".github/promptops.yml": "ownership:\n  useCodeowners: true\n" };
    const on = change({ ...config, ...codeowners, [PROMPT]: promptFile("a") }, { ...config, ...codeowners, [PROMPT]: promptFile("b") });
    expect((await sync()).prompts[0]).toMatchObject({ owners: ["@carol"], source: "rules" });
    expect(on.reviewRequests).toEqual([{ reviewers: ["carol"] }]);
  });

  it("finds a renamed prompt's owners by its path on the base", async () => {
    const owners = { ".github/PROMPTOWNERS": "/prompts/support/ @alice\n/prompts/public/ @bob\n" };
    const moved = "prompts/public/summary.prompt.yml";
    const gh = change(
      { ...owners, [PROMPT]: promptFile("a") },
      { ...owners, [moved]: promptFile("a") },
      { files: [{ filename: moved, status: "renamed", previous_filename: PROMPT }] },
    );
    const result = await sync();
    expect(result.prompts[0]).toMatchObject({ path: moved, owners: ["@alice"] });
    expect(gh.reviewRequests).toEqual([{ reviewers: ["alice"] }]);
  });

  it("lists owners-file problems in the check and still applies the valid lines", async () => {
    const owners = { ".github/PROMPTOWNERS": "prompts/[ab]/ @x\nprompts/ @alice\n" };
    const gh = change({ ...owners, [PROMPT]: promptFile("a") }, { ...owners, [PROMPT]: promptFile("b") });
    await sync();
    expect(gh.reviewRequests).toEqual([{ reviewers: ["alice"] }]);
    expect(ownersCheck(gh)!.output.summary).toMatch(/`\.github\/PROMPTOWNERS:1:1` error: .*character ranges/);
  });
});

describe("when the owners cannot be known, the check fails instead of passing", () => {
  it("fails on a broken base config, asking nobody", async () => {
    const config = { ".github/promptops.yml": "ownership:\n  useCodeowners: maybe\n" };
    const gh = change({ ...config, [PROMPT]: promptFile("a") }, { [PROMPT]: promptFile("b") });
    const result = await sync("pull_request.opened");
    const check = ownersCheck(gh)!;
    expect(check.conclusion).toBe("failure");
    expect(check.output.title).toBe("Ownership rules could not be read");
    expect(check.output.summary).toContain("`.github/promptops.yml:2:");
    expect(result.satisfied).toBe(false);
    expect(gh.reviewRequests).toEqual([]);
  });

  it("fails on an owners file GitHub applies but the API returns cut short", async () => {
    const big = `${"# padding line\n".repeat(40_000)}prompts/ @alice\n`;
    const gh = change({ ".github/PROMPTOWNERS": big, [PROMPT]: promptFile("a") }, { [PROMPT]: promptFile("b") });
    await sync();
    const check = ownersCheck(gh)!;
    expect(check.conclusion).toBe("failure");
    expect(check.output.summary).toContain("GitHub applies it, but PromptOps could not read it whole");
  });

  it("fails when GitHub lists only part of the changed files", async () => {
    const many = Array.from({ length: 3500 }, (_, i) => ({ filename: `docs/page-${i}.md`, status: "added" }));
    const gh = change({ [PROMPT]: promptFile("a", ["alice"]) }, { [PROMPT]: promptFile("b", ["alice"]) }, {
      files: [{ filename: PROMPT, status: "modified" }, ...many],
    });
    await sync();
    expect(ownersCheck(gh)!).toMatchObject({ conclusion: "failure", output: { title: "Too many changed files to check prompt owners" } });
    expect(gh.reviewRequests).toEqual([]);
  });
});

describe("requests", () => {
  it("asks nobody on a closed pull request or when ownership.requestReviews is off", async () => {
    const closed = change({ [PROMPT]: promptFile("a", ["alice"]) }, { [PROMPT]: promptFile("b", ["alice"]) }, { state: "closed" });
    await sync("pull_request.reopened");
    expect(closed.reviewRequests).toEqual([]);
    expect(ownersCheck(closed)!.status).toBe("in_progress");
    nock.cleanAll();

    const config = { ".github/promptops.yml": "ownership:\n  requestReviews: false\n" };
    const off = change({ ...config, [PROMPT]: promptFile("a", ["alice"]) }, { ...config, [PROMPT]: promptFile("b", ["alice"]) });
    await sync("pull_request.opened");
    expect(off.reviewRequests).toEqual([]);
    expect(ownersCheck(off)!.status).toBe("in_progress");
  });

  it("asks the fallback reviewers when the author is the only owner, and takes another's approval only from them", async () => {
    const config = { ".github/promptops.yml": "ownership:\n  fallbackReviewers: [\"acme/leads\"]\n" };
    const owners = { ".github/PROMPTOWNERS": "prompts/ @Codertocat\n" };
    const gh = change({ ...config, ...owners, [PROMPT]: promptFile("a") }, { ...config, ...owners, [PROMPT]: promptFile("b") });
    gh.teams["acme/leads"] = ["lead"];
    await sync("pull_request.opened");
    expect(gh.reviewRequests).toEqual([{ team_reviewers: ["leads"] }]);

    gh.reviews.push({ id: 1, user: { login: "random" }, state: "APPROVED", commit_id: SHA.head, submitted_at: "2024-05-01T10:00:00Z" });
    expect((await sync("pull_request_review.submitted")).satisfied).toBe(false);
    gh.reviews.push({ id: 2, user: { login: "lead" }, state: "APPROVED", commit_id: SHA.head, submitted_at: "2024-05-01T11:00:00Z" });
    expect((await sync("pull_request_review.submitted")).satisfied).toBe(true);
    expect(ownersCheck(gh)!.conclusion).toBe("success");
  });
});
