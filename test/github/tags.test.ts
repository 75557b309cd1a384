import nock from "nock";
import { TagExistsError } from "../../src/github/octokit.js";
import { API, repo, testPort, useNock } from "./helpers.js";

useNock();

const COMMIT = "c4295bd74fb0f4fda03689c3df3f2803b658fd85";
const TAG_OBJECT = "940bd336248efae0f9ee5bc7b2d5c985887b16ac";
const NAME = "prompts/support/ticket-summary/v1.3.0";
const git = "/repos/Codertocat/Hello-World/git";
// Octokit sends the ref as one encoded path segment.
const refPath = (ref: string) => `${git}/ref/${encodeURIComponent(ref)}`;

describe("getTag", () => {
  it("peels an annotated tag to its commit and reads its message", async () => {
    nock(API)
      .get(refPath(`tags/${NAME}`))
      .reply(200, { ref: `refs/tags/${NAME}`, object: { type: "tag", sha: TAG_OBJECT } })
      .get(`${git}/tags/${TAG_OBJECT}`)
      .reply(200, { sha: TAG_OBJECT, tag: NAME, message: "promptops: approved by @alice\n", object: { type: "commit", sha: COMMIT } });
    expect(await testPort().getTag(repo, NAME)).toEqual({
      name: NAME,
      commitSha: COMMIT,
      tagSha: TAG_OBJECT,
      message: "promptops: approved by @alice\n",
    });
  });

  it("reads a lightweight tag with one call", async () => {
    nock(API)
      .get(refPath("tags/v1"))
      .reply(200, { ref: "refs/tags/v1", object: { type: "commit", sha: COMMIT } });
    expect(await testPort().getTag(repo, "v1")).toEqual({ name: "v1", commitSha: COMMIT });
  });

  it("answers null for a missing tag", async () => {
    nock(API).get(refPath("tags/v9")).reply(404, { message: "Not Found" });
    expect(await testPort().getTag(repo, "v9")).toBeNull();
  });
});

describe("listTags", () => {
  it("lists matching refs in one call and peels the annotated ones", async () => {
    nock(API)
      .get(`${git}/matching-refs/${encodeURIComponent("tags/prompts/support/ticket-summary/v")}`)
      .reply(200, [
        { ref: "refs/tags/prompts/support/ticket-summary/v1.1.0", object: { type: "commit", sha: COMMIT } },
        { ref: "refs/tags/prompts/support/ticket-summary/v1.0.0", object: { type: "tag", sha: TAG_OBJECT } },
      ])
      .get(`${git}/tags/${TAG_OBJECT}`)
      .reply(200, { sha: TAG_OBJECT, tag: "x", message: "first", object: { type: "commit", sha: "abc" } });
    expect(await testPort().listTags(repo, "prompts/support/ticket-summary/v")).toEqual([
      { name: "prompts/support/ticket-summary/v1.0.0", commitSha: "abc", tagSha: TAG_OBJECT, message: "first" },
      { name: "prompts/support/ticket-summary/v1.1.0", commitSha: COMMIT },
    ]);
  });
});

describe("createAnnotatedTag", () => {
  it("creates the tag object, then its ref", async () => {
    nock(API)
      .post(`${git}/tags`, { tag: NAME, message: "approved", object: COMMIT, type: "commit" })
      .reply(201, { sha: TAG_OBJECT, tag: NAME, message: "approved", object: { type: "commit", sha: COMMIT } })
      .post(`${git}/refs`, { ref: `refs/tags/${NAME}`, sha: TAG_OBJECT })
      .reply(201, { ref: `refs/tags/${NAME}`, object: { type: "tag", sha: TAG_OBJECT } });
    expect(await testPort().createAnnotatedTag(repo, { name: NAME, message: "approved", commitSha: COMMIT })).toEqual({
      name: NAME,
      commitSha: COMMIT,
      tagSha: TAG_OBJECT,
      message: "approved",
    });
  });

  it("throws TagExistsError when the ref exists, and never moves it", async () => {
    nock(API)
      .post(`${git}/tags`)
      .reply(201, { sha: TAG_OBJECT, tag: NAME, message: "approved", object: { type: "commit", sha: COMMIT } })
      .post(`${git}/refs`)
      .reply(422, { message: "Reference already exists", documentation_url: "https://docs.github.com/rest/git/refs#create-a-reference" });
    // No PATCH route is declared: an attempt to update the ref would fail the test with a different error.
    const error = await testPort()
      .createAnnotatedTag(repo, { name: NAME, message: "approved", commitSha: COMMIT })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TagExistsError);
    expect((error as TagExistsError).tag).toBe(NAME);
  });

  it("passes other 422s through", async () => {
    nock(API)
      .post(`${git}/tags`)
      .reply(201, { sha: TAG_OBJECT, tag: "bad..name", message: "m", object: { type: "commit", sha: COMMIT } })
      .post(`${git}/refs`)
      .reply(422, { message: "Reference name is invalid" });
    await expect(testPort().createAnnotatedTag(repo, { name: "bad..name", message: "m", commitSha: COMMIT })).rejects.toMatchObject({
      status: 422,
    });
  });
});

describe("createRelease", () => {
  it("creates a release for a tag", async () => {
    nock(API)
      .post("/repos/Codertocat/Hello-World/releases", { tag_name: NAME, name: "ticket-summary 1.3.0", body: "notes" })
      .reply(201, { html_url: "https://github.com/Codertocat/Hello-World/releases/tag/x" });
    expect(await testPort().createRelease(repo, { tag: NAME, name: "ticket-summary 1.3.0", body: "notes" })).toEqual({
      htmlUrl: "https://github.com/Codertocat/Hello-World/releases/tag/x",
    });
  });
});
