// Prompt ownership through the Probot app: GitHub's documented pull_request and
// pull_request_review payloads in, review requests and the `promptops/owners` check out.

import nock from "nock";
import { nockGitHub } from "../fixtures/github/fake-github.js";
import { pullRequestEvent } from "../fixtures/github/payloads.js";
import { OWNER, PR_NUMBER, REPO, SHA, type Files } from "../fixtures/github/repo.js";
import { testApp, type TestApp } from "./helpers.js";
import { OwnershipGitHub, ownersCheck, ownersHistory, reviewEvent, type RestReview } from "./ownership-github.js";

const PROMPT = "prompts/support/summary.prompt.yml";

function promptFile(version: string, system: string): string {
  return [
    "name: Ticket summary",
    "model: openai/gpt-4o-mini",
    "promptops:",
    "  id: support/summary",
    `  version: ${version}`,
    "messages:",
    "  - role: system",
    `    content: ${JSON.stringify(system)}`,
    "  - role: user",
    "    content: 'Ticket: {{ticket}}'",
    "",
  ].join("\n");
}

/** A pull request that edits one prompt; `owners` is the base's PROMPTOWNERS. */
function promptChange(owners: string, extra: { base?: Files; head?: Files } = {}, pull: { draft?: boolean } = {}): OwnershipGitHub {
  const gh = new OwnershipGitHub(OWNER, REPO, {
    [SHA.base]: { ".github/PROMPTOWNERS": owners, [PROMPT]: promptFile("1.0.0", "Summarize the ticket."), ...extra.base },
    [SHA.head]: { ".github/PROMPTOWNERS": owners, [PROMPT]: promptFile("1.1.0", "Summarize the ticket in two lines."), ...extra.head },
  });
  gh.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head, author: "Codertocat", ...pull });
  nockGitHub(gh);
  return gh;
}

const event = (action: "opened" | "synchronize" | "reopened" | "ready_for_review", draft = false) =>
  pullRequestEvent(action, { base: SHA.base, head: SHA.head, draft });

let clock = Date.UTC(2024, 4, 1);
function review(user: string, state: string, commitId: string = SHA.head): RestReview {
  clock += 60_000;
  return { id: clock, user: { login: user }, state, commit_id: commitId, submitted_at: new Date(clock).toISOString() };
}

/** Mentions in the summary are defused with a zero-width joiner; tests read them plainly. */
function plain(text: string | null | undefined): string {
  return (text ?? "").replace(/\u200D/g, "");
}

let app: TestApp;
beforeAll(async () => {
  nock.disableNetConnect();
  app = await testApp();
});
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe("review requests", () => {
  it("asks each owner once, users and team slugs, never the author or someone already asked", async () => {
    const gh = promptChange("prompts/support/  @alice @bob @Codertocat @acme/support-ai\n");
    gh.requested.users.push("bob");

    await app.receive("pull_request", event("opened"));
    expect(gh.reviewRequests).toEqual([{ reviewers: ["alice"], team_reviewers: ["support-ai"] }]);
    const check = ownersCheck(gh)!;
    expect(check.status).toBe("in_progress");
    expect(check.conclusion).toBeNull();
    expect(check.output.title).toBe("Waiting for owner approval: 1 of 1 prompt(s)");
    expect(plain(check.output.summary)).toContain("needs an approval from one of @alice, @bob, @Codertocat, @acme/support-ai");

    // A second delivery for the same head asks nobody again and leaves the check as it is.
    await app.receive("pull_request", event("synchronize"));
    expect(gh.reviewRequests).toHaveLength(1);
    expect(ownersHistory(gh)).toEqual([["in_progress/null"]]);
  });

  it("keeps its own promptops/owners run beside another app's run of that name", async () => {
    const gh = promptChange("prompts/support/  @alice\n");
    const foreign = gh.addCheckRun({ name: "promptops/owners", head_sha: SHA.head, status: "completed", conclusion: "success", appId: 999 });

    await app.receive("pull_request", event("opened"));
    const runs = gh.checkRuns.filter((r) => r.name === "promptops/owners");
    expect(runs.map((r) => [r.id === foreign, r.app.id, r.status])).toEqual([
      [true, 999, "completed"],
      [false, 123, "in_progress"],
    ]);
    expect(gh.calls).not.toContain(`PATCH /repos/${OWNER}/${REPO}/check-runs/${foreign}`);
  });

  it("does not ask an owner who already approves, only the owners still needed", async () => {
    const owners = "prompts/support/  @alice\nprompts/billing/  @dave\n";
    const billing = "prompts/billing/invoice.prompt.yml";
    const gh = promptChange(owners, {
      base: { [billing]: promptFile("1.0.0", "Explain the invoice.") },
      head: { [billing]: promptFile("1.1.0", "Explain the invoice briefly.") },
    });
    gh.reviews.push(review("alice", "APPROVED"));

    await app.receive("pull_request", event("synchronize"));
    expect(gh.reviewRequests).toEqual([{ reviewers: ["dave"] }]);
    expect(ownersCheck(gh)!.output.title).toBe("Waiting for owner approval: 1 of 2 prompt(s)");
  });

  it("turns a 422 and an email owner into notices instead of failing", async () => {
    const gh = promptChange("prompts/support/  @alice @outsider carol@example.com\n");
    gh.refuse = () =>
      "Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the acme/support-bot repository.";

    await app.receive("pull_request", event("opened"));
    expect(gh.reviewRequests[0]).toEqual({ reviewers: ["alice", "outsider"] });
    const notice = gh.comments.find((c) => c.body.includes("<!-- promptops:owners -->"));
    expect(notice).toBeDefined();
    expect(notice!.body).toContain("GitHub did not accept `outsider` as a reviewer");
    expect(notice!.body).toContain("`carol@example.com` owns `support/summary` but is an email address");
    expect(ownersCheck(gh)!.status).toBe("in_progress");
    expect(plain(ownersCheck(gh)!.output.summary)).toContain("GitHub did not accept `outsider`");
  });

  it("asks nobody on a draft, and does on ready_for_review", async () => {
    const gh = promptChange("prompts/support/  @alice\n", {}, { draft: true });
    await app.receive("pull_request", event("opened", true));
    expect(gh.reviewRequests).toEqual([]);
    expect(ownersCheck(gh)!.status).toBe("in_progress");

    gh.pulls.get(PR_NUMBER)!.draft = false;
    await app.receive("pull_request", event("ready_for_review"));
    expect(gh.reviewRequests).toEqual([{ reviewers: ["alice"] }]);
  });
});

describe("the promptops/owners check", () => {
  it("is pending until an owner approves, then succeeds on the same run", async () => {
    const gh = promptChange("prompts/support/  @alice @acme/support-ai\n");
    await app.receive("pull_request", event("opened"));
    const pending = ownersCheck(gh)!;
    expect(pending.status).toBe("in_progress");

    gh.reviews.push(review("alice", "APPROVED"));
    await app.receive("pull_request_review", reviewEvent("submitted", { state: "approved", user: "alice" }));
    const done = ownersCheck(gh)!;
    expect(done.id).toBe(pending.id);
    expect(done.status).toBe("completed");
    expect(done.conclusion).toBe("success");
    expect(done.output.title).toBe("Prompt owners approved");
    expect(plain(done.output.summary)).toMatch(/\| @alice \| ✅ approved/);
    // A review only recomputes: nobody is asked again.
    expect(gh.reviewRequests).toHaveLength(1);
  });

  it("counts a team owner's approval only from a member of the team", async () => {
    const gh = promptChange("prompts/support/  @acme/support-ai\n");
    gh.teams["acme/support-ai"] = ["erin"];

    gh.reviews.push(review("mallory", "APPROVED"));
    await app.receive("pull_request_review", reviewEvent("submitted", { state: "approved", user: "mallory" }));
    expect(ownersCheck(gh)!.status).toBe("in_progress");

    gh.reviews.push(review("erin", "APPROVED"));
    await app.receive("pull_request_review", reviewEvent("submitted", { state: "approved", user: "erin" }));
    expect(ownersCheck(gh)!.conclusion).toBe("success");
    expect(gh.membershipLookups).toEqual(expect.arrayContaining(["acme/support-ai:mallory", "acme/support-ai:erin"]));
  });

  it("stays pending after changes are requested, even following an earlier approval", async () => {
    const gh = promptChange("prompts/support/  @alice\n");
    gh.reviews.push(review("alice", "APPROVED"), review("alice", "CHANGES_REQUESTED"));
    await app.receive("pull_request_review", reviewEvent("submitted", { state: "changes_requested", user: "alice" }));
    const check = ownersCheck(gh)!;
    expect(check.status).toBe("in_progress");
    expect(plain(check.output.summary)).toContain("changes requested by @alice");
  });

  it("no longer counts a dismissed approval, and goes back to pending on a new run", async () => {
    const gh = promptChange("prompts/support/  @alice\n");
    const approval = review("alice", "APPROVED");
    gh.reviews.push(approval);
    await app.receive("pull_request_review", reviewEvent("submitted", { state: "approved", user: "alice" }));
    expect(ownersCheck(gh)!.conclusion).toBe("success");

    // GitHub keeps the review and changes its state.
    approval.state = "DISMISSED";
    await app.receive("pull_request_review", reviewEvent("dismissed", { state: "dismissed", user: "alice" }));
    const check = ownersCheck(gh)!;
    expect(check.status).toBe("in_progress");
    expect(check.conclusion).toBeNull();
    // The completed run is left as it was; GitHub shows the newest run of the name.
    expect(ownersHistory(gh)).toEqual([["completed/success"], ["in_progress/null"]]);
  });

  it("ignores an approval of an older commit when dismissStaleApprovals is on, and asks that owner again", async () => {
    const config = { ".github/promptops.yml": "ownership:\n  dismissStaleApprovals: true\n" };
    const gh = promptChange("prompts/support/  @alice\n", { base: config, head: config });
    gh.reviews.push(review("alice", "APPROVED", SHA.head2));

    await app.receive("pull_request", event("synchronize"));
    const check = ownersCheck(gh)!;
    expect(check.status).toBe("in_progress");
    expect(plain(check.output.summary)).toContain("approval by @alice is for ddddddd, not the head ccccccc");
    expect(gh.reviewRequests).toEqual([{ reviewers: ["alice"] }]);
  });

  it("counts the same old approval when dismissStaleApprovals is off", async () => {
    const gh = promptChange("prompts/support/  @alice\n");
    gh.reviews.push(review("alice", "APPROVED", SHA.head2));
    await app.receive("pull_request_review", reviewEvent("submitted", { state: "approved", user: "alice", commitId: SHA.head2 }));
    expect(ownersCheck(gh)!.conclusion).toBe("success");
  });

  it("succeeds at once when no prompt changed", async () => {
    const gh = new OwnershipGitHub(OWNER, REPO, { [SHA.base]: { "README.md": "a\n" }, [SHA.head]: { "README.md": "b\n" } });
    gh.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head });
    nockGitHub(gh);
    await app.receive("pull_request", event("opened"));
    const check = ownersCheck(gh)!;
    expect(check.conclusion).toBe("success");
    expect(check.output.title).toBe("No prompt changed");
    expect(gh.reviewRequests).toEqual([]);
  });
});

describe("owners come from the base", () => {
  it("ignores a PROMPTOWNERS edit that makes the author the owner of their own change", async () => {
    const gh = promptChange("prompts/support/  @alice\n", {
      head: { ".github/PROMPTOWNERS": "prompts/support/  @Codertocat\n" },
    });

    await app.receive("pull_request", event("opened"));
    expect(gh.reviewRequests).toEqual([{ reviewers: ["alice"] }]);

    // Under the head's file the author would be the only owner and any other approval would do.
    gh.reviews.push(review("bob", "APPROVED"));
    await app.receive("pull_request_review", reviewEvent("submitted", { state: "approved", user: "bob" }));
    const check = ownersCheck(gh)!;
    expect(check.status).toBe("in_progress");
    const summary = plain(check.output.summary);
    expect(summary).toContain("| @alice | — | ⏳ waiting");
    expect(summary).toContain("This pull request changes `.github/PROMPTOWNERS`; as on GitHub, the new rules apply once merged");

    gh.reviews.push(review("alice", "APPROVED"));
    await app.receive("pull_request_review", reviewEvent("submitted", { state: "approved", user: "alice" }));
    expect(ownersCheck(gh)!.conclusion).toBe("success");
  });
});
