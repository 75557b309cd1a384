import nock from "nock";
import { API, examplePullRequest, pr, repo, testPort, useNock } from "./helpers.js";

useNock();

const reviewersPath = "/repos/Codertocat/Hello-World/pulls/2/requested_reviewers";
const docs = "https://docs.github.com/rest/pulls/review-requests#request-reviewers-for-a-pull-request";
const notCollaborator =
  "Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the Codertocat/Hello-World repository.";

describe("requestReviewers", () => {
  it("asks for users and team slugs in one call", async () => {
    nock(API)
      .post(reviewersPath, { reviewers: ["alice", "bob"], team_reviewers: ["support-ai"] })
      .reply(201, examplePullRequest());
    const result = await testPort().requestReviewers(pr, { users: ["@alice", "bob", "alice"], teams: ["@acme/support-ai"] });
    expect(result).toEqual({ requestedUsers: ["alice", "bob"], requestedTeams: ["support-ai"], failures: [] });
  });

  it("makes no call when there is nobody to ask", async () => {
    expect(await testPort().requestReviewers(pr, { users: [], teams: [] })).toEqual({ requestedUsers: [], requestedTeams: [], failures: [] });
  });

  it("reports every reviewer as failed when GitHub's 422 names none, without throwing", async () => {
    nock(API).post(reviewersPath).reply(422, { message: notCollaborator, documentation_url: docs });
    const warnings: string[] = [];
    const result = await testPort({ logger: { warn: (m) => warnings.push(m) } }).requestReviewers(pr, {
      users: ["alice"],
      teams: ["support-ai"],
    });
    expect(result).toEqual({
      requestedUsers: [],
      requestedTeams: [],
      failures: [
        { reviewer: "alice", message: notCollaborator },
        { reviewer: "Codertocat/support-ai", message: notCollaborator },
      ],
    });
    expect(warnings).toHaveLength(1);
  });

  it("retries once without the reviewers GitHub names", async () => {
    const message = "Could not resolve to a node with the login of 'mallory'.";
    nock(API)
      .post(reviewersPath, { reviewers: ["alice", "mallory"], team_reviewers: ["support-ai"] })
      .reply(422, { message, documentation_url: docs })
      .post(reviewersPath, { reviewers: ["alice"], team_reviewers: ["support-ai"] })
      .reply(201, examplePullRequest());
    const result = await testPort().requestReviewers(pr, { users: ["alice", "mallory"], teams: ["support-ai"] });
    expect(result).toEqual({ requestedUsers: ["alice"], requestedTeams: ["support-ai"], failures: [{ reviewer: "mallory", message }] });
  });

  it("drops the author when GitHub refuses to ask the author", async () => {
    const message = "Review cannot be requested from pull request author.";
    nock(API)
      .post(reviewersPath, { reviewers: ["alice", "Codertocat"] })
      .reply(422, { message, documentation_url: docs })
      .get("/repos/Codertocat/Hello-World/pulls/2")
      .reply(200, examplePullRequest())
      .post(reviewersPath, { reviewers: ["alice"] })
      .reply(201, examplePullRequest());
    const result = await testPort().requestReviewers(pr, { users: ["alice", "Codertocat"], teams: [] });
    expect(result).toEqual({ requestedUsers: ["alice"], requestedTeams: [], failures: [{ reviewer: "Codertocat", message }] });
  });

  it("gives up after the one retry, still without throwing", async () => {
    nock(API)
      .post(reviewersPath)
      .reply(422, { message: "Could not add 'mallory'." })
      .post(reviewersPath, { reviewers: ["alice"] })
      .reply(422, { message: notCollaborator });
    const result = await testPort().requestReviewers(pr, { users: ["alice", "mallory"], teams: [] });
    expect(result.requestedUsers).toEqual([]);
    expect(result.failures).toEqual([
      { reviewer: "mallory", message: "Could not add 'mallory'." },
      { reviewer: "alice", message: notCollaborator },
    ]);
  });

  it("does not mistake a login that is a word of GitHub's message for a named reviewer", async () => {
    nock(API).post(reviewersPath).reply(422, { message: notCollaborator });
    const result = await testPort().requestReviewers(pr, { users: ["users", "alice"], teams: [] });
    expect(result.failures.map((f) => f.reviewer)).toEqual(["users", "alice"]);
  });

  it("throws other errors", async () => {
    nock(API).post(reviewersPath).reply(403, { message: "Resource not accessible by integration" });
    await expect(testPort().requestReviewers(pr, { users: ["alice"], teams: [] })).rejects.toMatchObject({ status: 403 });
  });
});

describe("reviews and permissions", () => {
  it("lists requested reviewers", async () => {
    nock(API)
      .get(reviewersPath)
      .reply(200, { users: [{ login: "alice" }], teams: [{ slug: "support-ai", name: "Support AI" }] });
    expect(await testPort().listRequestedReviewers(pr)).toEqual({ users: ["alice"], teams: ["support-ai"] });
  });

  it("lists every review page by page", async () => {
    const path = "/repos/Codertocat/Hello-World/pulls/2/reviews";
    nock(API)
      .get(path)
      .query({ per_page: "100" })
      .reply(200, [{ id: 1, user: { login: "alice" }, state: "APPROVED", commit_id: "abc", submitted_at: "2026-01-01T00:00:00Z" }], {
        link: `<${API}${path}?per_page=100&page=2>; rel="next"`,
      })
      .get(path)
      .query({ per_page: "100", page: "2" })
      .reply(200, [{ id: 2, user: null, state: "CHANGES_REQUESTED", commit_id: "def", submitted_at: "2026-01-02T00:00:00Z" }]);
    expect(await testPort().listReviews(pr)).toEqual([
      { id: 1, user: "alice", state: "APPROVED", commitId: "abc", submittedAt: "2026-01-01T00:00:00Z" },
      { id: 2, user: "ghost", state: "CHANGES_REQUESTED", commitId: "def", submittedAt: "2026-01-02T00:00:00Z" },
    ]);
  });

  it("knows team membership: active yes, pending no, 404 no", async () => {
    const path = (user: string) => `/orgs/acme/teams/support-ai/memberships/${user}`;
    nock(API)
      .get(path("alice"))
      .reply(200, { state: "active", role: "member" })
      .get(path("bob"))
      .reply(200, { state: "pending", role: "member" })
      .get(path("carol"))
      .reply(404, { message: "Not Found" });
    const port = testPort();
    expect(await port.isTeamMember("acme", "support-ai", "alice")).toBe(true);
    expect(await port.isTeamMember("acme", "@acme/support-ai", "bob")).toBe(false);
    expect(await port.isTeamMember("acme", "support-ai", "carol")).toBe(false);
  });

  it("reads a collaborator's permission, keeping maintain and triage", async () => {
    const path = (user: string) => `/repos/Codertocat/Hello-World/collaborators/${user}/permission`;
    nock(API)
      .get(path("alice"))
      .reply(200, { permission: "write", role_name: "maintain", user: { login: "alice" } })
      .get(path("bob"))
      .reply(200, { permission: "read", role_name: "prompt-reviewer", user: { login: "bob" } })
      .get(path("nobody"))
      .reply(404, { message: "Not Found" });
    const port = testPort();
    expect(await port.getPermission(repo, "alice")).toBe("maintain");
    expect(await port.getPermission(repo, "bob")).toBe("read");
    expect(await port.getPermission(repo, "nobody")).toBe("none");
  });
});
