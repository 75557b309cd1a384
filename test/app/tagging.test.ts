// `pull_request.closed` through Probot, end to end: GitHub's own closed-PR payload (made merged),
// the App's real Octokit, and a GitHub that keeps refs the way git does.

import nock from "nock";
import { createRequire } from "node:module";
import { parseAuditRecord } from "../../src/core/versions/audit.js";
import { TAGS_MARKER } from "../../src/workflows/tag-merged-prompts.js";
import { FakeGitHub, nockGitHub } from "../fixtures/github/fake-github.js";
import { GitTags } from "../fixtures/github/git-tags.js";
import { APP_ID, INSTALLATION_ID } from "../fixtures/github/payloads.js";
import { OWNER, PR_NUMBER, REPO, SHA, baseFiles, headFiles } from "../fixtures/github/repo.js";
import { ProbotOctokit } from "probot";
import { testApp } from "./helpers.js";
import { renderRecord } from "../../src/core/report/record.js";

const MERGE = "a".repeat(40);

// Probot merges its own throttle options over object defaults, which would space every write
// by a second; a function default is applied last, so this one really turns both plugins off.
const UnthrottledOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { enabled: false },
  retry: { enabled: false },
}));
const OTHER = "9".repeat(40);

/** The fixture GitHub plus what tagging needs: refs, tag objects, reviews, listed check runs, releases. */
class TaggingGitHub extends FakeGitHub {
  readonly tags = new GitTags();
  readonly refs = this.tags.refs;
  readonly tagObjects = this.tags.tagObjects;
  readonly releases = this.tags.releases;
  listedRuns: Record<string, unknown>[] = [];
  reviews: Record<string, unknown>[] = [];
  merged = true;

  /** Calls other than the installation token exchange. */
  apiCalls(): string[] {
    return this.calls.filter((c) => !c.includes("/access_tokens"));
  }

  override handle(method: string, url: string, rawBody: unknown) {
    const parsed = new URL(url, "http://fake.test");
    const prefix = `/repos/${OWNER}/${REPO}`;
    const path = decodeURIComponent(parsed.pathname);
    const body = (typeof rawBody === "string" && rawBody !== "" ? JSON.parse(rawBody) : rawBody) as Record<string, any>;
    const rest = path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
    const own = rest === undefined ? undefined : this.tagging(method, rest, parsed.searchParams, body ?? {});
    if (!own) {
      const reply = super.handle(method, url, rawBody);
      if (method === "GET" && rest === `/pulls/${PR_NUMBER}` && this.merged) {
        Object.assign(reply.body as object, { state: "closed", merged: true, merge_commit_sha: MERGE, merged_by: { login: "hubot" } });
      }
      return reply;
    }
    this.calls.push(`${method} ${path}`);
    return own;
  }

  private tagging(method: string, rest: string, query: URLSearchParams, body: Record<string, any>): { status: number; body: unknown } | undefined {
    const tag = this.tags.handle(method, rest, body, `https://github.com/${OWNER}/${REPO}`);
    if (tag) return tag;
    let m: RegExpMatchArray | null;
    if (method === "GET" && (m = rest.match(/^\/commits\/([0-9a-f]{40})\/check-runs$/))) {
      const runs = this.listedRuns.filter((r) => r.head_sha === m![1] && r.name === query.get("check_name"));
      return { status: 200, body: { total_count: runs.length, check_runs: runs } };
    }
    if (method === "GET" && rest === `/pulls/${PR_NUMBER}/reviews`) return { status: 200, body: this.reviews };
    return undefined;
  }
}

/** GitHub's documented `pull_request.closed` delivery, moved to the fixture repository. */
function closedEvent(merged: boolean): Record<string, any> {
  const require = createRequire(import.meta.url);
  const groups = require("@octokit/webhooks-examples") as { name: string; examples: Record<string, any>[] }[];
  const payload = structuredClone(groups.find((g) => g.name === "pull_request")!.examples.find((e) => e.action === "closed")!);
  payload.repository.name = REPO;
  payload.repository.full_name = `${OWNER}/${REPO}`;
  payload.repository.owner.login = OWNER;
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==" };
  payload.number = PR_NUMBER;
  const pr = payload.pull_request;
  pr.number = PR_NUMBER;
  pr.base.sha = SHA.base;
  pr.head.sha = SHA.head;
  pr.merged = merged;
  if (merged) {
    pr.merge_commit_sha = MERGE;
    pr.merged_by = structuredClone(pr.user);
  }
  return payload;
}

function checkRun(id: number, name: string, conclusion: string, summary = "", appId = APP_ID) {
  return {
    app: { id: appId, slug: appId === APP_ID ? "promptops" : "other-app" },
    id,
    name,
    head_sha: SHA.head,
    status: "completed",
    conclusion,
    html_url: `https://github.com/${OWNER}/${REPO}/runs/${id}`,
    external_id: SHA.head,
    started_at: "2024-05-01T10:00:00Z",
    output: { title: name, summary, text: null },
  };
}

/** As the review writes it: the table for people, and the record the audit reads. */
const EVAL_SUMMARY = [
  "## ✅ All prompts pass their gates",
  "",
  "| Prompt | Change | Base score | Head score | Δ score | Pass rate | Δ cost | Δ p50 latency |",
  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  "| `support/summary-1` | modified | 0.50 | 1.00 | ▲ +0.50 | 100% | +$0.00 | +0 ms |",
  "",
  renderRecord({
    version: 1,
    baseRef: SHA.base,
    headRef: SHA.head,
    conclusion: "success",
    prompts: [{ id: "support/summary-1", path: "prompts/support/summary-1.prompt.yml", base: 0.5, head: 1 }],
  }),
].join("\n");

function repository(): TaggingGitHub {
  const base = baseFiles(2);
  // The merge commit: prompt 1 edited and bumped to 1.1.0, prompt 2 untouched.
  const fake = new TaggingGitHub(OWNER, REPO, { [SHA.base]: base, [SHA.head]: headFiles(base, 1), [MERGE]: headFiles(base, 1) });
  fake.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head, state: "closed", author: "Codertocat" });
  fake.reviews = [{ id: 1, user: { login: "alice" }, state: "APPROVED", commit_id: SHA.head, submitted_at: "2024-05-01T11:00:00Z" }];
  fake.listedRuns = [checkRun(11, "promptops/owners", "success"), checkRun(12, "promptops/eval", "success", EVAL_SUMMARY)];
  return fake;
}

describe("App: pull_request.closed", () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it("tags the approved version on the merge commit, and a re-delivery changes nothing", async () => {
    const fake = repository();
    nockGitHub(fake);
    const app = await testApp({ Octokit: UnthrottledOctokit });

    await app.receive("pull_request", closedEvent(true));
    expect([...fake.refs.keys()]).toEqual(["prompts/support/summary-1/v1.1.0"]);
    const tag = fake.tagObjects.get(fake.refs.get("prompts/support/summary-1/v1.1.0")!.sha)!;
    expect(tag.object).toEqual({ sha: MERGE, type: "commit" });
    const record = parseAuditRecord(tag.message)!;
    expect(record).toMatchObject({
      promptId: "support/summary-1",
      version: "1.1.0",
      path: "prompts/support/summary-1.prompt.yml",
      pr: { number: PR_NUMBER, url: `https://github.com/${OWNER}/${REPO}/pull/${PR_NUMBER}` },
      author: "Codertocat",
      mergedBy: "hubot",
      approvers: ["alice"],
      scores: { base: 0.5, head: 1 },
      verdict: "success",
      checkRunUrl: `https://github.com/${OWNER}/${REPO}/runs/12`,
      mergeCommitSha: MERGE,
    });
    expect(record.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fake.comments).toHaveLength(1);
    const comment = fake.comments[0]!.body;
    expect(comment).toContain(TAGS_MARKER);
    expect(comment).toContain("PromptOps tagged 1 prompt version");
    expect(comment).toContain("prompts/support/summary-1/v1.1.0");

    const before = fake.apiCalls().length;
    await app.receive("pull_request", closedEvent(true));
    const second = fake.apiCalls().slice(before);
    expect(second.filter((c) => /^(POST|PATCH|DELETE) /.test(c) && c !== "POST /graphql")).toEqual([]);
    expect(fake.tagObjects.size).toBe(1);
    expect(fake.comments).toHaveLength(1);
    expect(fake.comments[0]!.body).toBe(comment);
  });

  it("leaves a tag that exists on another commit where it is, and says so in the comment", async () => {
    const fake = repository();
    fake.refs.set("prompts/support/summary-1/v1.1.0", { sha: OTHER, type: "commit" });
    nockGitHub(fake);
    const app = await testApp({ Octokit: UnthrottledOctokit });

    await app.receive("pull_request", closedEvent(true));
    expect(fake.refs.get("prompts/support/summary-1/v1.1.0")).toEqual({ sha: OTHER, type: "commit" });
    expect(fake.apiCalls().filter((c) => c.startsWith("POST /repos"))).toEqual([`POST /repos/${OWNER}/${REPO}/issues/${PR_NUMBER}/comments`]);
    expect(fake.comments[0]!.body).toContain(`tag exists on ${OTHER}, not moved`);
  });

  it("does not tag without the owners' approval", async () => {
    const fake = repository();
    fake.listedRuns = [checkRun(11, "promptops/owners", "action_required"), checkRun(12, "promptops/eval", "success", EVAL_SUMMARY)];
    nockGitHub(fake);
    const app = await testApp({ Octokit: UnthrottledOctokit });

    await app.receive("pull_request", closedEvent(true));
    expect(fake.refs.size).toBe(0);
    expect(fake.comments[0]!.body).toContain("not approved by its owners");
  });

  it("takes approval only from this app's own promptops/owners run, not a look-alike", async () => {
    const fake = repository();
    // A workflow or another app gave its run our name; ours is still waiting for owners.
    fake.listedRuns = [
      checkRun(13, "promptops/owners", "success", "", 15368),
      { ...checkRun(11, "promptops/owners", "success"), status: "in_progress", conclusion: null as unknown as string },
      checkRun(12, "promptops/eval", "success", EVAL_SUMMARY),
    ];
    nockGitHub(fake);
    const app = await testApp({ Octokit: UnthrottledOctokit });

    await app.receive("pull_request", closedEvent(true));
    expect(fake.refs.size).toBe(0);
    expect(fake.comments[0]!.body).toContain("not approved by its owners");
  });

  it("ignores a pull request closed without merging: not one API call", async () => {
    const fake = repository();
    fake.merged = false;
    nockGitHub(fake);
    const app = await testApp({ Octokit: UnthrottledOctokit });

    await app.receive("pull_request", closedEvent(false));
    expect(fake.apiCalls()).toEqual([]);
  });
});
