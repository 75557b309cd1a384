import { planReviewRequests, type ReviewRequestInput } from "../../../src/core/owners/requests.js";

const input = (over: Partial<ReviewRequestInput>): ReviewRequestInput => ({
  prompts: [],
  author: "author",
  alreadyRequested: { users: [], teams: [] },
  approvedBy: [],
  fallbackReviewers: [],
  ...over,
});

describe("planReviewRequests", () => {
  it("requests users without @ and teams as slugs, each once across prompts", () => {
    const plan = planReviewRequests(
      input({
        prompts: [
          { promptId: "a", owners: ["@alice", "@acme/support-ai"] },
          { promptId: "b", owners: ["@Alice", "@bob", "@acme/support-ai"] },
        ],
      }),
    );
    expect(plan).toEqual({ users: ["alice", "bob"], teams: ["support-ai"], emails: [], notices: [] });
  });

  it("requests only teams of the repository's organization, and says why not for others", () => {
    const plan = planReviewRequests(
      input({ repoOwner: "Acme", prompts: [{ promptId: "a", owners: ["@acme/support-ai", "@partner/reviewers"] }] }),
    );
    expect(plan.teams).toEqual(["support-ai"]);
    expect(plan.notices).toEqual([expect.stringContaining("`@partner/reviewers` owns `a` but is a team of another organization")]);
  });

  it("never requests the author, whatever the case of the login", () => {
    const plan = planReviewRequests(input({ author: "Alice", prompts: [{ promptId: "a", owners: ["@alice", "@bob"] }] }));
    expect(plan.users).toEqual(["bob"]);
  });

  it("skips reviewers already requested or already approving", () => {
    const plan = planReviewRequests(
      input({
        prompts: [{ promptId: "a", owners: ["@alice", "@bob", "@carol", "@acme/ai", "@acme/web"] }],
        alreadyRequested: { users: ["ALICE"], teams: ["ai"] },
        approvedBy: ["bob"],
      }),
    );
    expect(plan.users).toEqual(["carol"]);
    expect(plan.teams).toEqual(["web"]);
  });

  it("cannot request email owners: lists them with a notice, once", () => {
    const plan = planReviewRequests(
      input({
        prompts: [
          { promptId: "a", owners: ["docs@example.com", "@bob"] },
          { promptId: "b", owners: ["DOCS@example.com"] },
        ],
      }),
    );
    expect(plan.users).toEqual(["bob"]);
    expect(plan.emails).toEqual(["docs@example.com"]);
    expect(plan.notices).toHaveLength(1);
    expect(plan.notices[0]).toContain("cannot request a review");
  });

  it("asks the fallback reviewers when the author is a prompt's only owner", () => {
    const plan = planReviewRequests(
      input({
        author: "alice",
        prompts: [{ promptId: "mine", owners: ["@alice"] }],
        fallbackReviewers: ["lead", "@acme/reviewers", "@alice"],
      }),
    );
    expect(plan.users).toEqual(["lead"]);
    expect(plan.teams).toEqual(["reviewers"]);
    expect(plan.notices).toEqual([]);
  });

  it("says so clearly when the author is the only owner and there is no fallback", () => {
    const plan = planReviewRequests(input({ author: "alice", prompts: [{ promptId: "mine", owners: ["@alice"] }] }));
    expect(plan.users).toEqual([]);
    expect(plan.notices).toEqual([expect.stringContaining("only owner of `mine`")]);
    expect(plan.notices[0]).toContain("ownership.fallbackReviewers");
    // No bare @mention: names are in code spans so the notice pings nobody.
    expect(plan.notices[0]).not.toMatch(/(^|[^`])@alice/);
  });

  it("does not use the fallback when another owner exists besides the author", () => {
    const plan = planReviewRequests(
      input({ author: "alice", prompts: [{ promptId: "a", owners: ["@alice", "@acme/ai"] }], fallbackReviewers: ["lead"] }),
    );
    expect(plan.users).toEqual([]);
    expect(plan.teams).toEqual(["ai"]);
  });

  it("notes prompts without owners and owners it cannot read", () => {
    const plan = planReviewRequests(
      input({ prompts: [{ promptId: "orphan", owners: [] }, { promptId: "odd", owners: ["not an owner"] }] }),
    );
    expect(plan.users).toEqual([]);
    expect(plan.notices).toEqual([expect.stringContaining("`orphan` has no owners"), expect.stringContaining("`not an owner`")]);
  });
});
