import nock from "nock";
import { TreeTruncatedError } from "../../src/github/octokit.js";
import { API, examplePullRequest, pr, repo, testPort, useNock } from "./helpers.js";

useNock();

describe("getPullRequest", () => {
  it("maps GitHub's pull request", async () => {
    nock(API).get("/repos/Codertocat/Hello-World/pulls/2").reply(200, examplePullRequest());
    const info = await testPort().getPullRequest(pr);
    expect(info).toEqual({
      owner: "Codertocat",
      repo: "Hello-World",
      number: 2,
      title: "Update the README with new information.",
      author: "Codertocat",
      draft: false,
      state: "closed",
      merged: false,
      htmlUrl: "https://github.com/Codertocat/Hello-World/pull/2",
      labels: ["bug"],
      changedFiles: 1,
      base: { ref: "master", sha: expect.stringMatching(/^[0-9a-f]{40}$/), repo },
      head: { ref: "changes", sha: "ec26c3e57ca3a959ca5aad62de7213c562f8c821", repo },
    });
    // An unmerged pull request's merge_commit_sha is GitHub's test merge: not reported.
    expect(info.mergeCommitSha).toBeUndefined();
  });

  it("reports the merge commit and who merged; survives a deleted fork", async () => {
    const data = examplePullRequest();
    Object.assign(data, { merged: true, merged_by: { login: "octocat" }, head: { ...data.head, repo: null, user: { login: "forker" } } });
    nock(API).get("/repos/Codertocat/Hello-World/pulls/2").reply(200, data);
    const info = await testPort().getPullRequest(pr);
    expect(info.merged).toBe(true);
    expect(info.mergeCommitSha).toBe("c4295bd74fb0f4fda03689c3df3f2803b658fd85");
    expect(info.mergedBy).toBe("octocat");
    expect(info.head.repo).toEqual({ owner: "forker", repo: "Hello-World" });
  });
});

describe("listPullRequestFiles", () => {
  const filesPath = "/repos/Codertocat/Hello-World/pulls/2/files";
  const page = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => ({ filename: `prompts/p${from + i}.prompt.yml`, status: "modified" }));
  const link = (next: number, last: number) =>
    `<${API}${filesPath}?per_page=100&page=${next}>; rel="next", <${API}${filesPath}?per_page=100&page=${last}>; rel="last"`;

  it("follows pagination and keeps the base path of renames", async () => {
    nock(API)
      .get(filesPath)
      .query({ per_page: "100" })
      .reply(200, page(0, 100), { link: link(2, 2) })
      .get(filesPath)
      .query({ per_page: "100", page: "2" })
      .reply(200, [{ filename: "prompts/new.prompt.yml", status: "renamed", previous_filename: "prompts/old.prompt.yml" }]);
    const result = await testPort().listPullRequestFiles(pr);
    expect(result.truncated).toBe(false);
    expect(result.files).toHaveLength(101);
    expect(result.files[100]).toEqual({ path: "prompts/new.prompt.yml", status: "renamed", previousPath: "prompts/old.prompt.yml" });
    expect(result.files[0]).toEqual({ path: "prompts/p0.prompt.yml", status: "modified" });
  });

  it("says truncated when GitHub's 3,000-file limit is reached", async () => {
    const scope = nock(API).get(filesPath).query({ per_page: "100" }).reply(200, page(0, 100), { link: link(2, 30) });
    for (let p = 2; p <= 30; p++) {
      scope
        .get(filesPath)
        .query({ per_page: "100", page: String(p) })
        .reply(200, page((p - 1) * 100, 100), p < 30 ? { link: link(p + 1, 30) } : {});
    }
    const result = await testPort().listPullRequestFiles(pr);
    expect(result.files).toHaveLength(3000);
    expect(result.truncated).toBe(true);
  });

  it("says truncated when the pull request counts more files than were listed", async () => {
    const data = { ...examplePullRequest(), changed_files: 5 };
    nock(API)
      .get("/repos/Codertocat/Hello-World/pulls/2")
      .reply(200, data)
      .get(filesPath)
      .query({ per_page: "100" })
      .reply(200, page(0, 3));
    const port = testPort();
    await port.getPullRequest(pr);
    expect((await port.listPullRequestFiles(pr)).truncated).toBe(true);
  });
});

describe("listTree", () => {
  const sha = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
  const tree = [
    { path: "README.md", type: "blob" },
    { path: "prompts", type: "tree" },
    { path: "prompts/a.prompt.yml", type: "blob" },
    { path: "vendor/lib", type: "commit" },
  ];

  it("lists the blobs of one recursive tree read", async () => {
    nock(API).get(`/repos/Codertocat/Hello-World/git/trees/${sha}`).query({ recursive: "1" }).reply(200, { sha, truncated: false, tree });
    expect(await testPort().listTree(repo, sha)).toEqual(["README.md", "prompts/a.prompt.yml"]);
  });

  it("throws TreeTruncatedError with the partial list when GitHub truncates", async () => {
    nock(API).get(`/repos/Codertocat/Hello-World/git/trees/${sha}`).query({ recursive: "1" }).reply(200, { sha, truncated: true, tree });
    const error = await testPort().listTree(repo, sha).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TreeTruncatedError);
    expect((error as TreeTruncatedError).paths).toEqual(["README.md", "prompts/a.prompt.yml"]);
  });
});
