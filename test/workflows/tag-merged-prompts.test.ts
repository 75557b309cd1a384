import { renderCheckRun } from "../../src/core/report/check-run.js";
import { parsePromptBlob } from "../../src/core/prompts/parse.js";
import { blobFromBytes } from "../../src/core/files.js";
import { parseAuditRecord } from "../../src/core/versions/audit.js";
import { contentFingerprint } from "../../src/core/versions/fingerprint.js";
import { tagMergedPrompts, TAGS_MARKER } from "../../src/workflows/tag-merged-prompts.js";
import { comparedCase, comparison, review } from "../core/report/fixtures.js";
import {
  approval,
  BASE_SHA,
  checkRun,
  fakeGitHub,
  HEAD_SHA,
  MERGE_SHA,
  mergedPullRequest,
  OTHER_SHA,
  promptFile,
  quietLog,
  target,
  type FakeGitHubState,
} from "./tag-merged-prompts-fixture.js";

const SUMMARY = "prompts/support/summary.prompt.yml";
const PITCH = "prompts/sales/pitch.prompt.yml";
const FAQ = "prompts/faq.prompt.yml";
const NOW = new Date("2024-05-02T12:00:00.000Z");

/** The eval check run's summary as the review renders it: summary 0.50 -> 0.75, faq new. */
function evalSummary(): string {
  const result = review([
    comparison("support/summary", [comparedCase("a", 0.5, 0.75), comparedCase("b", 0.5, 0.75)], { path: SUMMARY }),
    comparison("faq", [comparedCase("c", 0, 1)], { path: FAQ, change: "added", base: undefined }),
  ]);
  return renderCheckRun(result).summary;
}

function scenario(over: { config?: string; mergeFiles?: Record<string, string>; state?: Partial<FakeGitHubState> } = {}) {
  const config: Record<string, string> = over.config !== undefined ? { ".github/promptops.yml": over.config } : {};
  const base: Record<string, string> = {
    ...config,
    [SUMMARY]: promptFile("support/summary", "1.0.0", "Summarise the ticket."),
    [PITCH]: promptFile("sales/pitch", "2.0.0", "Write a pitch."),
  };
  const merge: Record<string, string> = over.mergeFiles ?? {
    ...config,
    [SUMMARY]: promptFile("support/summary", "1.1.0", "Summarise the ticket in one line."),
    [PITCH]: promptFile("sales/pitch", "2.0.0", "Write a pitch.", " for sales"),
    [FAQ]: promptFile("faq", "1.0.0", "Answer the question."),
    "README.md": "# prompts\n",
  };
  return fakeGitHub({
    commits: new Map([
      [BASE_SHA, base],
      [MERGE_SHA, merge],
    ]),
    files: [
      { path: SUMMARY, status: "modified" },
      { path: PITCH, status: "modified" },
      { path: FAQ, status: "added" },
      { path: "README.md", status: "added" },
    ],
    checkRuns: [checkRun("promptops/owners", "success"), checkRun("promptops/eval", "success", evalSummary())],
    reviews: [approval("alice"), approval("octocat"), approval("bob", "2024-05-01T09:00:00Z"), approval("bob", "2024-05-01T11:00:00Z", "DISMISSED")],
    ...over.state,
  });
}

const run = (port: Parameters<typeof tagMergedPrompts>[0]["github"]) => tagMergedPrompts({ github: port, log: quietLog, clock: () => NOW }, target);

describe("tagMergedPrompts", () => {
  it("tags each approved, evaluated new version on the merge commit with an audit record", async () => {
    const { port, state } = scenario();
    const result = await run(port);

    expect(result.created.map((t) => t.tag)).toEqual(["prompts/faq/v1.0.0", "prompts/support/summary/v1.1.0"]);
    expect(state.tags.map((t) => [t.name, t.commitSha])).toEqual([
      ["prompts/faq/v1.0.0", MERGE_SHA],
      ["prompts/support/summary/v1.1.0", MERGE_SHA],
    ]);

    const record = parseAuditRecord(state.tags[1]!.message!);
    const merged = parsePromptBlob(SUMMARY, blobFromBytes(new TextEncoder().encode(state.commits.get(MERGE_SHA)![SUMMARY]!))).prompt!;
    expect(record).toEqual({
      promptId: "support/summary",
      version: "1.1.0",
      path: SUMMARY,
      contentSha256: contentFingerprint(merged),
      pr: { number: 7, url: "https://github.com/acme/prompts/pull/7" },
      author: "octocat",
      mergedBy: "hubot",
      // The author's own approval does not count; bob's was dismissed.
      approvers: ["alice"],
      // Each approval with the commit it was given on, for the audit log.
      approvals: [{ login: "alice", commitSha: "h".repeat(40) }],
      baseSha: "b".repeat(40),
      scores: { base: 0.5, head: 0.75 },
      verdict: "success",
      checkRunUrl: "https://github.com/acme/prompts/runs/101",
      mergeCommitSha: MERGE_SHA,
      createdAt: "2024-05-02T12:00:00.000Z",
    });
    expect(state.tags[1]!.message).toContain("Scores:         base 0.500, head 0.750 (+0.250)");
    expect(parseAuditRecord(state.tags[0]!.message!)?.scores).toEqual({ head: 1 });

    // The metadata-only change has no new version, and says why.
    expect(result.notTagged).toEqual([
      { promptId: "sales/pitch", path: PITCH, reason: "no new version: content and version 2.0.0 are unchanged (prompt file modified)" },
    ]);
    expect(state.comments).toHaveLength(1);
    const body = state.comments[0]!.body;
    expect(body.startsWith(TAGS_MARKER)).toBe(true);
    expect(body).toContain("1 of 3 changed prompts not tagged");
    expect(body).toContain("[`prompts/support/summary/v1.1.0`](https://github.com/acme/prompts/tree/prompts/support/summary/v1.1.0)");
    expect(body).toContain("`sales/pitch` (`prompts/sales/pitch.prompt.yml`): no new version");
    expect(state.releases).toEqual([]);
  });

  it("reads the rules, the tags and the evidence in a constant number of calls", async () => {
    const { port, state } = scenario();
    await run(port);
    expect(state.calls.filter((c) => c === "readFiles")).toHaveLength(2);
    expect(state.calls.filter((c) => c.startsWith("listTags"))).toEqual(["listTags prompts/"]);
    expect(state.calls.filter((c) => c.startsWith("listCheckRuns")).sort()).toEqual(["listCheckRuns promptops/eval", "listCheckRuns promptops/owners"]);
  });

  it("tags nothing without the owners' approval, and lists every prompt with the reason", async () => {
    for (const owners of [[checkRun("promptops/owners", "failure")], [checkRun("promptops/owners", null, "", "in_progress")], []]) {
      const { port, state } = scenario({ state: { checkRuns: [owners, checkRun("promptops/eval", "success", evalSummary())].flat() } });
      const result = await run(port);
      expect(result.created).toEqual([]);
      expect(state.tags).toEqual([]);
      expect(result.notTagged.filter((p) => p.reason === "not approved by its owners").map((p) => p.promptId)).toEqual(["faq", "support/summary"]);
      expect(state.comments[0]!.body).toContain("3 of 3 changed prompts not tagged");
      expect(state.comments[0]!.body).toContain("`support/summary` (`prompts/support/summary.prompt.yml`): not approved by its owners");
    }
  });

  it("tags nothing when the eval gate failed, is still running, or never ran", async () => {
    const cases: [FakeGitHubState["checkRuns"], string][] = [
      [[checkRun("promptops/eval", "failure", evalSummary())], "eval did not pass (failure)"],
      [[checkRun("promptops/eval", null, "", "in_progress"), checkRun("promptops/eval", "success", evalSummary())], "eval did not pass (in_progress)"],
      [[], "no eval result on the merged head"],
    ];
    for (const [evalRuns, reason] of cases) {
      const { port, state } = scenario({ state: { checkRuns: [checkRun("promptops/owners", "success"), ...evalRuns] } });
      const result = await run(port);
      expect(state.tags).toEqual([]);
      expect(result.notTagged.find((p) => p.promptId === "support/summary")?.reason).toBe(reason);
    }
  });

  it("follows the base branch's config: no approval or eval required, releases on", async () => {
    const config = "versioning:\n  requireApproval: false\n  requirePassingEval: false\n  release: true\n";
    const { port, state } = scenario({ config, state: { checkRuns: [], reviews: [] } });
    const result = await run(port);
    expect(result.created.map((t) => t.tag)).toEqual(["prompts/faq/v1.0.0", "prompts/support/summary/v1.1.0"]);
    expect(state.calls).not.toContain("listCheckRuns promptops/owners");
    const record = parseAuditRecord(state.tags[0]!.message!)!;
    expect(record.verdict).toBe("not evaluated");
    expect(record.approvers).toEqual([]);
    expect(record.scores).toEqual({});
    expect(state.releases.map((r) => [r.tag, r.name])).toEqual([
      ["prompts/faq/v1.0.0", "faq v1.0.0"],
      ["prompts/support/summary/v1.1.0", "support/summary v1.1.0"],
    ]);
    expect(state.releases[1]!.body).toBe(state.tags[1]!.message);
    expect(result.created[1]!.releaseUrl).toBe("https://github.com/acme/prompts/releases/tag/prompts/support/summary/v1.1.0");
  });

  it("a PR cannot loosen its own rules: the merge commit's config is not used", async () => {
    const { port, state } = scenario();
    state.commits.get(MERGE_SHA)![".github/promptops.yml"] = "versioning:\n  requireApproval: false\n";
    state.checkRuns = [checkRun("promptops/eval", "success", evalSummary())];
    const result = await run(port);
    expect(result.created).toEqual([]);
    expect(result.notTagged.map((p) => p.reason)).toContain("not approved by its owners");
  });

  it("a re-delivered webhook creates nothing and leaves the one comment as it was", async () => {
    const { port, state } = scenario({ config: "versioning:\n  release: true\n" });
    const first = await run(port);
    const firstBody = state.comments[0]!.body;
    const tagsBefore = structuredClone(state.tags);
    state.calls.length = 0;

    const second = await run(port);
    expect(second.created).toEqual([]);
    expect(second.alreadyTagged.map((t) => t.tag).sort()).toEqual(first.created.map((t) => t.tag).sort());
    expect(state.calls.filter((c) => c.startsWith("create"))).toEqual([]);
    expect(state.tags).toEqual(tagsBefore);
    expect(state.releases).toHaveLength(2);
    expect(state.comments).toHaveLength(1);
    expect(second.comment).toEqual({ id: first.comment!.id, created: false });
    expect(state.comments[0]!.body).toBe(firstBody);
  });

  it("never moves a tag that exists on another commit, and says so", async () => {
    const { port, state } = scenario({ state: { tags: [{ name: "prompts/support/summary/v1.1.0", commitSha: OTHER_SHA }] } });
    const result = await run(port);
    expect(state.tags.find((t) => t.name === "prompts/support/summary/v1.1.0")?.commitSha).toBe(OTHER_SHA);
    expect(result.created.map((t) => t.tag)).toEqual(["prompts/faq/v1.0.0"]);
    expect(result.notTagged).toContainEqual({
      promptId: "support/summary",
      path: SUMMARY,
      reason: `tag exists on ${OTHER_SHA}, not moved`,
    });
    expect(state.comments[0]!.body).toContain(`tag exists on ${OTHER_SHA}, not moved`);
  });

  it("a tag created between listing and creating is reported, not moved; a racing delivery's tag counts", async () => {
    const { port, state } = scenario();
    state.beforeCreateRef = (name) => {
      if (name === "prompts/support/summary/v1.1.0") state.tags.push({ name, commitSha: OTHER_SHA });
      if (name === "prompts/faq/v1.0.0") state.tags.push({ name, commitSha: MERGE_SHA });
    };
    const result = await run(port);
    expect(result.created).toEqual([]);
    expect(result.alreadyTagged.map((t) => t.tag)).toEqual(["prompts/faq/v1.0.0"]);
    expect(result.notTagged).toContainEqual({
      promptId: "support/summary",
      path: SUMMARY,
      reason: `tag prompts/support/summary/v1.1.0 exists on ${OTHER_SHA}, not moved`,
    });
    expect(state.tags.filter((t) => t.name === "prompts/support/summary/v1.1.0")).toEqual([{ name: "prompts/support/summary/v1.1.0", commitSha: OTHER_SHA }]);
  });

  it("a release GitHub refuses leaves the tag, and the comment says so", async () => {
    const { port, state } = scenario({ config: "versioning:\n  release: true\n" });
    port.createRelease = async () => {
      throw Object.assign(new Error("x"), { status: 403, response: { data: { message: "Resource not accessible by integration" } } });
    };
    const result = await run(port);
    expect(state.tags).toHaveLength(2);
    expect(result.releaseFailures).toEqual([
      { tag: "prompts/faq/v1.0.0", message: "Resource not accessible by integration" },
      { tag: "prompts/support/summary/v1.1.0", message: "Resource not accessible by integration" },
    ]);
    expect(state.comments[0]!.body).toContain("The release for tag prompts/faq/v1.0.0 could not be created: Resource not accessible by integration");
  });

  it("a tag GitHub refuses is reported and the others are still created", async () => {
    const { port, state } = scenario();
    state.refuse.set("prompts/faq/v1.0.0", "Resource not accessible by integration");
    const result = await run(port);
    expect(result.created.map((t) => t.tag)).toEqual(["prompts/support/summary/v1.1.0"]);
    expect(result.notTagged).toContainEqual({
      promptId: "faq",
      path: FAQ,
      reason: "GitHub refused to create tag prompts/faq/v1.0.0: Resource not accessible by integration",
    });
  });

  it("reports an unbumped content change and a missing version instead of guessing", async () => {
    const config = "versioning:\n  requireBump: false\n";
    const { port, state } = scenario({
      config,
      mergeFiles: {
        ".github/promptops.yml": config,
        [SUMMARY]: promptFile("support/summary", "1.0.0", "Summarise the ticket in one line."),
        [PITCH]: promptFile("sales/pitch", undefined, "Write a short pitch."),
      },
      state: { tags: [{ name: "prompts/support/summary/v1.0.0", commitSha: BASE_SHA }] },
    });
    state.files = state.files.filter((f) => f.path !== FAQ);
    const result = await run(port);
    expect(result.created).toEqual([]);
    expect(result.notTagged).toEqual([
      { promptId: "sales/pitch", path: PITCH, reason: "no version" },
      { promptId: "support/summary", path: SUMMARY, reason: `tag exists on ${BASE_SHA}, not moved` },
    ]);
  });

  it("whitespace at line ends is not a new version; other whitespace is", async () => {
    const base = promptFile("support/summary", "1.0.0", "Summarise the ticket.\nBe brief.");
    const cases: [string, string, boolean][] = [
      ["trailing spaces", "Summarise the ticket.   \nBe brief.\t", false],
      ["CRLF line ends", "Summarise the ticket.\r\nBe brief.", false],
      ["indentation", "Summarise the ticket.\n  Be brief.", true],
      ["a blank line", "Summarise the ticket.\n\nBe brief.", true],
    ];
    for (const [name, content, isNew] of cases) {
      const { port, state } = scenario({ mergeFiles: { [SUMMARY]: promptFile("support/summary", "1.0.0", content) } });
      state.commits.set(BASE_SHA, { [SUMMARY]: base });
      state.files = [{ path: SUMMARY, status: "modified" }];
      state.tags = [{ name: "prompts/support/summary/v1.0.0", commitSha: BASE_SHA }];
      const result = await run(port);
      const reason = result.notTagged[0]?.reason ?? "";
      expect([name, reason.startsWith("no new version")]).toEqual([name, !isNew]);
      // A real content change under the same version meets the existing tag, which stays put.
      if (isNew) expect(reason).toBe(`tag exists on ${BASE_SHA}, not moved`);
    }
  });

  it("auto mode: the next version from the latest tag and the PR's labels, stable on re-delivery", async () => {
    const config = "versioning:\n  mode: auto\n";
    const { port, state } = scenario({
      config,
      state: {
        pr: mergedPullRequest({ labels: ["prompt:minor", "documentation"] }),
        tags: [
          { name: "prompts/support/summary/v1.2.3", commitSha: BASE_SHA },
          { name: "prompts/support/summary/v1.10.0", commitSha: BASE_SHA },
          { name: "prompts/support/summary/v1.9.0-rc.1", commitSha: BASE_SHA },
          { name: "prompts/support/summary/extra/v9.0.0", commitSha: BASE_SHA },
        ],
      },
    });
    const first = await run(port);
    expect(first.created.map((t) => t.tag)).toEqual(["prompts/faq/v1.0.0", "prompts/support/summary/v1.11.0"]);
    expect(first.notTagged.map((p) => p.reason)).toEqual(["no new version: the prompt's content is unchanged (prompt file modified)"]);

    const body = state.comments[0]!.body;
    const second = await run(port);
    expect(second.created).toEqual([]);
    expect(second.alreadyTagged.map((t) => t.tag).sort()).toEqual(["prompts/faq/v1.0.0", "prompts/support/summary/v1.11.0"]);
    expect(state.comments[0]!.body).toBe(body);
  });

  it("tags a version that was never tagged even when the file did not change it", async () => {
    // Adopting PromptOps: 1.0.0 was never tagged; a bump-free content change (requireBump off) tags it now.
    const config = "versioning:\n  requireBump: false\n";
    const { port } = scenario({
      config,
      mergeFiles: { ".github/promptops.yml": config, [SUMMARY]: promptFile("support/summary", "1.0.0", "Summarise the ticket, politely.") },
    });
    const result = await run(port);
    expect(result.created.map((t) => t.tag)).toEqual(["prompts/support/summary/v1.0.0"]);
  });

  it("does nothing for a PR closed without merging, or one that changed no prompt", async () => {
    const closed = scenario({ state: { pr: mergedPullRequest({ merged: false, mergeCommitSha: undefined }) } });
    expect((await run(closed.port)).skipped).toBe("#7 was closed without being merged");
    expect(closed.state.comments).toEqual([]);

    const docs = scenario();
    docs.state.files = [{ path: "README.md", status: "added" }];
    expect((await run(docs.port)).skipped).toBe("no changed prompt");
    expect(docs.state.comments).toEqual([]);
    expect(docs.state.calls.filter((c) => c.startsWith("create"))).toEqual([]);
  });

  it("tags nothing under a broken base config, and says where it is broken", async () => {
    const { port, state } = scenario({ config: "versioning:\n  mode: sometimes\n" });
    const result = await run(port);
    expect(result.created).toEqual([]);
    expect(state.tags).toEqual([]);
    expect(result.notTagged).toHaveLength(3);
    expect(result.notTagged[0]!.reason).toMatch(/^the base branch's config is invalid \(\.github\/promptops\.yml:2:\d+: /);
    expect(state.comments[0]!.body).toContain("3 of 3 changed prompts not tagged");
  });

  it("when everything is tagged, the comment only lists the tags", async () => {
    const { port, state } = scenario();
    state.files = state.files.filter((f) => f.path !== PITCH);
    await run(port);
    const body = state.comments[0]!.body;
    expect(body).toContain("PromptOps tagged 2 prompt versions");
    expect(body).not.toContain("Not tagged");
    expect(body).toContain("`faq` v1.0.0");
  });

  it("uses the merge commit's content, not the PR head's", async () => {
    const { port, state } = scenario();
    state.commits.set(HEAD_SHA, {});
    await run(port);
    expect(state.calls.filter((c) => c.startsWith("listTree")).sort()).toEqual(["listTree b", "listTree m"]);
  });
});
