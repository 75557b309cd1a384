import nock from "nock";
import { createOctokit } from "../../src/github/client.js";
import { createGitHubPort } from "../../src/github/octokit.js";
import { API, pr, quietLog, repo, useNock } from "./helpers.js";

useNock();

const pullPath = "/repos/Codertocat/Hello-World/pulls/2/requested_reviewers";
const fast = () => createOctokit({ baseUrl: API, retryAfterBaseMs: 1, retries: 2 });

describe("createOctokit", () => {
  it("retries a 502 and then succeeds", async () => {
    nock(API)
      .get(pullPath)
      .reply(502, "Bad Gateway")
      .get(pullPath)
      .reply(200, { users: [{ login: "alice" }], teams: [] });
    const port = createGitHubPort(fast());
    expect(await port.listRequestedReviewers(pr)).toEqual({ users: ["alice"], teams: [] });
  });

  it("gives up after the configured retries", async () => {
    nock(API).get(pullPath).times(3).reply(503, { message: "Service Unavailable" });
    await expect(createGitHubPort(fast()).listRequestedReviewers(pr)).rejects.toMatchObject({ status: 503 });
  });

  it("waits out a secondary rate limit and retries", async () => {
    const warnings: string[] = [];
    nock(API)
      .get(pullPath)
      .reply(
        403,
        { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." },
        { "retry-after": "2" },
      )
      .get(pullPath)
      .reply(200, { users: [], teams: [{ slug: "support-ai" }] });
    const octokit = createOctokit({ baseUrl: API, retryAfterBaseMs: 1, logger: { warn: (m) => warnings.push(m) } });
    expect(await createGitHubPort(octokit).listRequestedReviewers(pr)).toEqual({ users: [], teams: ["support-ai"] });
    expect(warnings).toEqual([expect.stringMatching(/secondary rate limit .* retrying in 2 s/)]);
  });

  it("does not sit out a primary rate limit that resets in an hour", async () => {
    const reset = String(Math.floor(Date.now() / 1000) + 3600);
    nock(API)
      .get(pullPath)
      .reply(403, { message: "API rate limit exceeded" }, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset });
    await expect(createGitHubPort(fast()).listRequestedReviewers(pr)).rejects.toMatchObject({ status: 403 });
  });

  it("sends REST and GraphQL to a GitHub Enterprise Server", async () => {
    const ghes = "https://ghe.example.test";
    nock(ghes)
      .get("/api/v3/repos/Codertocat/Hello-World/pulls/2/requested_reviewers")
      .reply(200, { users: [], teams: [] })
      .post("/api/graphql")
      .reply(200, { data: { repository: { f0: null } } });
    const port = createGitHubPort(createOctokit({ baseUrl: `${ghes}/api/v3/`, auth: "token", retryAfterBaseMs: 1 }));
    await port.listRequestedReviewers(pr);
    expect(await port.readFiles(repo, [{ sha: "abc", path: "a.yml" }])).toEqual(new Map([["abc:a.yml", { kind: "missing" }]]));
  });
});

describe("the port over each host's Octokit", () => {
  const files = [{ filename: "prompts/a.prompt.yml", status: "modified" }];

  // Probot's throttling spaces writes by seconds; it is not what these tests look at.
  // @actions/github routes through undici's own fetch (for proxies), which nock cannot see.
  const hosts = [
    [
      "Probot's context.octokit",
      async () => new (await import("probot")).ProbotOctokit({ baseUrl: API, log: quietLog, throttle: { enabled: false }, retry: { enabled: false } }),
    ],
    [
      "@actions/github's getOctokit",
      async () => (await import("@actions/github")).getOctokit("token", { baseUrl: API, log: quietLog, request: { fetch: globalThis.fetch } }),
    ],
  ] as const;

  it.each(hosts)("%s lists files, reads them in one query and requests reviewers", async (_name, make) => {
    const port = createGitHubPort(await make());
    nock(API)
      .get("/repos/Codertocat/Hello-World/pulls/2/files")
      .query({ per_page: "100" })
      .reply(200, files)
      .post("/graphql")
      .reply(200, { data: { repository: { f0: { __typename: "Blob", text: "x", isBinary: false, isTruncated: false, byteSize: 1 } } } })
      .post(pullPath, { reviewers: ["alice"] })
      .reply(201, {});
    expect((await port.listPullRequestFiles(pr)).files).toEqual([{ path: "prompts/a.prompt.yml", status: "modified" }]);
    expect((await port.readFiles(repo, [{ sha: "abc", path: "prompts/a.prompt.yml" }])).get("abc:prompts/a.prompt.yml")).toEqual({
      kind: "text",
      text: "x",
      size: 1,
    });
    expect((await port.requestReviewers(pr, { users: ["alice"], teams: [] })).requestedUsers).toEqual(["alice"]);
  });
});
