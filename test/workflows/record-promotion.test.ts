// A merged promotion's record: the pins it moved and who approved it on which commit, written
// on merge as an annotated tag on the merge commit (against a simulated GitHub), then read back
// from git by `promptops audit` onto the promotion's `env.promoted` events.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Octokit } from "@octokit/rest";
import nock from "nock";
import { main } from "../../src/cli/main.js";
import { parsePromotionRecord } from "../../src/core/environments/promotion-record.js";
import { createGitHubPort } from "../../src/github/octokit.js";
import { recordPromotion } from "../../src/workflows/record-promotion.js";
import { ActionGitHub } from "../action/action-github.js";
import { API, nockGitHub } from "../fixtures/github/fake-github.js";
import { identify } from "../cli/env-fixture.js";
import { tempDir, tempRepo, type TempRepo } from "../cli/git-fixture.js";
import { recordingIO } from "../cli/io-fixture.js";

const OWNER = "acme";
const REPO = "prompts";
const PINS = ".github/prompt-environments.yml";
const BEFORE = "environments:\n  staging:\n    pins: { support/summary: 1.0.0 }\n";
const AFTER = "environments:\n  staging:\n    pins: { support/summary: 1.0.0 }\n  production:\n    promoteFrom: staging\n    pins: { support/summary: 1.0.0 }\n";
const quiet = { info() {}, warn() {}, error() {}, debug() {} };

let repo: TempRepo;
let sha: { base: string; first: string; head: string; merge: string };
let github: ActionGitHub;

beforeAll(() => {
  nock.disableNetConnect();
  // A real history: the promotion branch (two commits) merged into main with a merge commit.
  repo = tempRepo({ [PINS]: BEFORE, "README.md": "prompts\n" });
  identify(repo);
  repo.git("remote", "add", "origin", `git@github.com:${OWNER}/${REPO}.git`);
  const base = repo.commit("pins");
  repo.git("checkout", "-q", "-b", "promote");
  repo.write({ "README.md": "prompts, soon in production\n" });
  const first = repo.commit("note");
  repo.write({ [PINS]: AFTER });
  const head = repo.commit("Promote support/summary to production");
  repo.git("checkout", "-q", "-");
  repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #6 from acme/promote", "promote");
  sha = { base, first, head, merge: repo.git("rev-parse", "HEAD").trim() };
});
afterAll(() => {
  nock.enableNetConnect();
  repo.cleanup();
});

beforeEach(() => {
  github = new ActionGitHub(OWNER, REPO, {
    [sha.base]: { [PINS]: BEFORE },
    [sha.first]: { [PINS]: BEFORE },
    [sha.head]: { [PINS]: AFTER },
    [sha.merge]: { [PINS]: AFTER },
  });
  github.addPull({ number: 6, base: sha.base, head: sha.head, mergeCommitSha: sha.merge, author: "Codertocat" });
  // alice approved the head; bob approved an earlier commit of the branch; carol only commented;
  // the author's own approval never counts.
  github.reviews.push(
    { id: 1, user: { login: "bob" }, state: "APPROVED", commit_id: sha.first, submitted_at: "2024-05-01T10:00:00Z" },
    { id: 2, user: { login: "alice" }, state: "APPROVED", commit_id: sha.head, submitted_at: "2024-05-01T11:00:00Z" },
    { id: 3, user: { login: "carol" }, state: "COMMENTED", commit_id: sha.head, submitted_at: "2024-05-01T11:30:00Z" },
    { id: 4, user: { login: "Codertocat" }, state: "APPROVED", commit_id: sha.head, submitted_at: "2024-05-01T11:40:00Z" },
  );
  nockGitHub(github);
});
afterEach(() => nock.cleanAll());

function deps() {
  const octokit = new Octokit({ baseUrl: API, request: { retries: 0 }, log: quiet });
  return { github: createGitHubPort(octokit), log: quiet, clock: () => new Date("2024-05-01T12:00:00Z"), source: "app" as const };
}

describe("recordPromotion", () => {
  it("tags the merge commit with who approved on which commit, once", async () => {
    const first = await recordPromotion(deps(), { owner: OWNER, repo: REPO, number: 6 });
    expect(first).toMatchObject({ status: "recorded", tag: "promptops/promotions/pr-6" });
    const ref = github.tags.refs.get("promptops/promotions/pr-6")!;
    const object = github.tags.tagObjects.get(ref.sha)!;
    expect(object.object.sha).toBe(sha.merge);
    expect(parsePromotionRecord(object.message)).toEqual({
      pr: { number: 6, url: `https://github.com/${OWNER}/${REPO}/pull/6` },
      file: PINS,
      changes: [{ environment: "production", promptId: "support/summary", to: "1.0.0" }],
      author: "Codertocat",
      mergedBy: "hubot",
      approvals: [
        { login: "alice", commitSha: sha.head },
        { login: "bob", commitSha: sha.first },
      ],
      source: "app",
      baseSha: sha.base,
      headSha: sha.head,
      mergeCommitSha: sha.merge,
      createdAt: "2024-05-01T12:00:00.000Z",
    });
    expect(object.message).toContain("Approved by:    alice at " + sha.head.slice(0, 12));

    // A redelivery of the merge finds the tag on the merge commit and leaves it.
    const again = await recordPromotion(deps(), { owner: OWNER, repo: REPO, number: 6 });
    expect(again).toEqual({ status: "already-recorded", tag: "promptops/promotions/pr-6" });
    expect(github.tags.tagObjects.size).toBe(1);
  });

  it("records nothing for a merge that moved no pin, or a pull request closed unmerged", async () => {
    github.addPull({ number: 7, base: sha.base, head: sha.first, mergeCommitSha: sha.merge });
    expect(await recordPromotion(deps(), { owner: OWNER, repo: REPO, number: 7 })).toEqual({ status: "skipped", skipped: `${PINS} is not changed` });
    github.addPull({ number: 8, base: sha.base, head: sha.head });
    expect(await recordPromotion(deps(), { owner: OWNER, repo: REPO, number: 8 })).toEqual({ status: "skipped", skipped: "#8 was closed without being merged" });
    expect(github.tags.refs.size).toBe(0);
  });

  it("promptops audit lists the approvals of the promotion from the tag, offline", async () => {
    const recorded = await recordPromotion(deps(), { owner: OWNER, repo: REPO, number: 6 });
    const before = await audit();
    expect(before.find((e) => e.environment?.to === "production")).toMatchObject({ approvals: [], actor: "Test", source: "github", pr: 6 });

    // The tag as `git fetch --tags` brings it: same name, message and commit.
    const message = join(tempDir("promptops-tag-"), "message");
    const object = github.tags.tagObjects.get(github.tags.refs.get(recorded.tag!)!.sha)!;
    writeFileSync(message, object.message);
    // The same record under another pull request's tag name is not that promotion's record.
    repo.git("tag", "-a", "promptops/promotions/pr-7", "-F", message, "--cleanup=verbatim", sha.merge);
    const misnamed = (await audit()).find((e) => e.environment?.to === "production");
    expect(misnamed).toMatchObject({ approvals: [], actor: "Test" });
    repo.git("tag", "-d", "promptops/promotions/pr-7");
    repo.git("tag", "-a", recorded.tag!, "-F", message, "--cleanup=verbatim", sha.merge);
    try {
      const events = await audit();
      const promoted = events.filter((e) => e.action === "env.promoted");
      const production = promoted.find((e) => e.environment?.to === "production");
      const staging = promoted.find((e) => e.environment?.to === "staging");
      expect(production).toMatchObject({
        actor: "hubot",
        source: "app",
        pr: 6,
        headSha: sha.merge,
        approvals: [
          { login: "alice", commit: sha.head },
          { login: "bob", commit: sha.first },
        ],
      });
      // The first pin came without a recorded promotion: no approvals claimed.
      expect(staging).toMatchObject({ headSha: sha.base, approvals: [] });
    } finally {
      repo.git("tag", "-d", recorded.tag!);
    }
  });
});

async function audit(): Promise<{ action: string; actor: string; source: string; pr: number | null; headSha: string; approvals: unknown[]; environment: { to: string } | null }[]> {
  const io = recordingIO(repo.dir);
  expect(await main(["audit", "--format", "json"], io)).toBe(0);
  return JSON.parse(io.out);
}
