import {
  evaluateOwnerApprovals,
  renderOwnersSummary,
  teamsToCheck,
  type OwnerApprovalInput,
  type ReviewLike,
} from "../../../src/core/owners/approvals.js";

const HEAD = "h".repeat(40);
const OLD = "0".repeat(40);

let clock = 0;
const review = (user: string, state: ReviewLike["state"], commitId = HEAD): ReviewLike => ({
  user,
  state,
  commitId,
  submittedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, clock++)).toISOString(),
});

const teams: Record<string, string[]> = { "acme/support-ai": ["sam", "Sue"], "acme/empty": [] };

const input = (over: Partial<OwnerApprovalInput>): OwnerApprovalInput => ({
  prompts: [{ promptId: "support/summary", path: "prompts/summary.prompt.yml", owners: ["@alice"] }],
  reviews: [],
  headSha: HEAD,
  dismissStale: false,
  author: "author",
  teamMembers: (org, team) => teams[`${org}/${team}`] ?? [],
  ...over,
});

const first = (over: Partial<OwnerApprovalInput>) => evaluateOwnerApprovals(input(over)).prompts[0];

describe("evaluateOwnerApprovals", () => {
  it("is satisfied by one approving owner", () => {
    const result = evaluateOwnerApprovals(input({ reviews: [review("alice", "APPROVED")] }));
    expect(result.satisfied).toBe(true);
    expect(result.prompts[0]).toMatchObject({ approvedBy: ["alice"], satisfied: true });
  });

  it("is not satisfied by approvals from non-owners", () => {
    const p = first({ reviews: [review("mallory", "APPROVED")] });
    expect(p.satisfied).toBe(false);
    expect(p.approvedBy).toEqual([]);
    expect(p.reason).toContain("needs an approval from one of @alice");
  });

  it.each<[string, ReviewLike["state"][], boolean]>([
    ["APPROVED", ["APPROVED"], true],
    ["CHANGES_REQUESTED is not an approval", ["CHANGES_REQUESTED"], false],
    ["COMMENTED alone is not an approval", ["COMMENTED"], false],
    ["COMMENTED after APPROVED keeps the approval", ["APPROVED", "COMMENTED"], true],
    ["COMMENTED after CHANGES_REQUESTED keeps the request", ["CHANGES_REQUESTED", "COMMENTED"], false],
    ["CHANGES_REQUESTED after APPROVED withdraws it", ["APPROVED", "CHANGES_REQUESTED"], false],
    ["APPROVED after CHANGES_REQUESTED counts", ["CHANGES_REQUESTED", "APPROVED"], true],
    ["DISMISSED removes an approval", ["APPROVED", "DISMISSED"], false],
    ["APPROVED again after DISMISSED counts", ["APPROVED", "DISMISSED", "APPROVED"], true],
    ["PENDING is ignored", ["APPROVED", "PENDING"], true],
  ])("latest review per user: %s", (_name, states, satisfied) => {
    expect(first({ reviews: states.map((s) => review("alice", s)) }).satisfied).toBe(satisfied);
  });

  it("orders reviews by submission time, not by list order", () => {
    const approved = { user: "alice", state: "APPROVED", commitId: HEAD, submittedAt: "2025-01-02T00:00:00Z" };
    const changes = { user: "alice", state: "CHANGES_REQUESTED", commitId: HEAD, submittedAt: "2025-01-01T00:00:00Z" };
    expect(first({ reviews: [approved, changes] }).satisfied).toBe(true);
    expect(first({ reviews: [{ ...approved, submittedAt: "2024-12-31T00:00:00Z" }, changes] }).satisfied).toBe(false);
  });

  it("matches logins case-insensitively", () => {
    expect(first({ prompts: [{ promptId: "p", path: "p", owners: ["@Alice"] }], reviews: [review("ALICE", "APPROVED")] }).satisfied).toBe(true);
  });

  it("with dismissStale, an approval of an older commit does not count", () => {
    const reviews = [review("alice", "APPROVED", OLD)];
    expect(first({ reviews, dismissStale: false }).satisfied).toBe(true);
    const stale = first({ reviews, dismissStale: true });
    expect(stale.satisfied).toBe(false);
    expect(stale.reason).toContain("approval by @alice is for 0000000, not the head hhhhhhh");
  });

  it("never counts the author's own approval", () => {
    const p = first({ author: "Alice", reviews: [review("alice", "APPROVED")], prompts: [{ promptId: "p", path: "p", owners: ["@alice", "@bob"] }] });
    expect(p.satisfied).toBe(false);
    expect(p.approvedBy).toEqual([]);
  });

  it("a team owner is satisfied by an approving member", () => {
    const prompts = [{ promptId: "p", path: "p", owners: ["@acme/support-ai"] }];
    expect(first({ prompts, reviews: [review("sue", "APPROVED")] })).toMatchObject({ satisfied: true, approvedBy: ["sue"] });
    expect(first({ prompts, reviews: [review("mallory", "APPROVED")] }).satisfied).toBe(false);
  });

  it("accepts membership as a Set", () => {
    const p = first({
      prompts: [{ promptId: "p", path: "p", owners: ["@acme/x"] }],
      teamMembers: () => new Set(["zoe"]),
      reviews: [review("zoe", "APPROVED")],
    });
    expect(p.satisfied).toBe(true);
  });

  it("an email owner cannot be matched to a reviewer", () => {
    const p = first({ prompts: [{ promptId: "p", path: "p", owners: ["docs@example.com"] }], reviews: [review("docs", "APPROVED")] });
    expect(p.satisfied).toBe(false);
    expect(p.reason).toContain("name them as @login");
  });

  it("a prompt with no owners is satisfied, with a note", () => {
    const p = first({ prompts: [{ promptId: "p", path: "p", owners: [] }] });
    expect(p).toMatchObject({ satisfied: true, reason: "no owners, so no approval is required" });
  });

  it("is satisfied overall only when every prompt is", () => {
    const result = evaluateOwnerApprovals(
      input({
        prompts: [
          { promptId: "a", path: "a", owners: ["@alice"] },
          { promptId: "b", path: "b", owners: ["@bob"] },
        ],
        reviews: [review("alice", "APPROVED")],
      }),
    );
    expect(result.satisfied).toBe(false);
    expect(result.prompts.map((p) => p.satisfied)).toEqual([true, false]);
  });

  it("mentions outstanding change requests from owners", () => {
    const p = first({ prompts: [{ promptId: "p", path: "p", owners: ["@alice", "@bob"] }], reviews: [review("bob", "CHANGES_REQUESTED")] });
    expect(p.reason).toContain("changes requested by @bob");
  });

  describe("when the author is the only owner", () => {
    const prompts = [{ promptId: "p", path: "p", owners: ["@alice"] }];
    it("accepts a fallback reviewer's approval", () => {
      const p = first({ author: "alice", prompts, fallbackReviewers: ["lead"], reviews: [review("lead", "APPROVED")] });
      expect(p).toMatchObject({ satisfied: true, approvedBy: ["lead"] });
    });
    it("does not accept others when fallback reviewers are configured", () => {
      const p = first({ author: "alice", prompts, fallbackReviewers: ["lead"], reviews: [review("mallory", "APPROVED")] });
      expect(p.satisfied).toBe(false);
      expect(p.reason).toContain("needs an approval from one of lead");
    });
    it("accepts a member of a fallback team", () => {
      const p = first({ author: "alice", prompts, fallbackReviewers: ["@acme/support-ai"], reviews: [review("sam", "APPROVED")] });
      expect(p).toMatchObject({ satisfied: true, approvedBy: ["sam"] });
    });
    it("accepts any other reviewer when none are configured", () => {
      expect(first({ author: "alice", prompts, reviews: [review("bob", "APPROVED")] }).satisfied).toBe(true);
      expect(first({ author: "alice", prompts, reviews: [review("alice", "APPROVED")] }).satisfied).toBe(false);
    });
  });
});

describe("teamsToCheck", () => {
  it("lists each org/team pair once", () => {
    expect(
      teamsToCheck([{ owners: ["@alice", "@acme/ai", "a@b.co"] }, { owners: ["@Acme/AI", "@acme/web"] }]),
    ).toEqual([
      { org: "acme", team: "ai" },
      { org: "acme", team: "web" },
    ]);
  });

  it("includes teams among the fallback reviewers", () => {
    expect(teamsToCheck([{ owners: ["@acme/ai"] }], ["lead", "acme/reviewers", "@acme/ai"])).toEqual([
      { org: "acme", team: "ai" },
      { org: "acme", team: "reviewers" },
    ]);
  });
});

describe("renderOwnersSummary", () => {
  it("lists each prompt, its owners and approvers without pinging anyone", () => {
    const md = renderOwnersSummary(
      evaluateOwnerApprovals(
        input({
          prompts: [
            { promptId: "support/summary", path: "prompts/summary.prompt.yml", owners: ["@alice", "@acme/support-ai"] },
            { promptId: "sales|pitch", path: "prompts/pitch.prompt", owners: ["@bob"] },
          ],
          reviews: [review("sue", "APPROVED")],
        }),
      ),
    );
    expect(md).toContain("1 of 2 changed prompt(s) have their owners' approval.");
    expect(md).toContain("| Prompt | Owners | Approved by | Status |");
    expect(md).toContain("@\u200Dalice, @\u200Dacme/support-ai");
    expect(md).toContain("@\u200Dsue");
    expect(md).toContain("✅ approved");
    expect(md).toContain("⏳ waiting: needs an approval from one of @\u200Dbob");
    expect(md).toContain("sales\\|pitch");
    // No mention survives unescaped.
    expect(md).not.toMatch(/@[A-Za-z0-9]/);
  });

  it("says when everything is approved, and when nothing needs approval", () => {
    expect(renderOwnersSummary(evaluateOwnerApprovals(input({ reviews: [review("alice", "APPROVED")] })))).toContain(
      "All 1 changed prompt(s) have their owners' approval.",
    );
    expect(renderOwnersSummary({ satisfied: true, prompts: [] })).toContain("No changed prompts");
  });
});
