import { writeFileSync } from "node:fs";
import { join } from "node:path";
import "../../src/cli/commands/versions.js";
import { main } from "../../src/cli/main.js";
import { renderAuditRecord, type AuditRecord } from "../../src/core/versions/audit.js";
import { tempRepo, type TempRepo } from "./git-fixture.js";
import { recordingIO } from "./io-fixture.js";

const prompt = (id: string, version: string) =>
  ["model: openai/gpt-4o-mini", "promptops:", `  id: ${id}`, `  version: ${version}`, "messages:", "  - role: user", "    content: Hi {{name}}", ""].join("\n");

function record(promptId: string, version: string, commit: string, over: Partial<AuditRecord> = {}): AuditRecord {
  return {
    promptId,
    version,
    path: `prompts/${promptId}.prompt.yml`,
    contentSha256: "a".repeat(64),
    pr: { number: 12, url: "https://github.com/acme/prompts/pull/12" },
    author: "octocat",
    mergedBy: "hubot",
    approvers: ["alice", "bob"],
    scores: { base: 0.5, head: 0.75 },
    verdict: "success",
    mergeCommitSha: commit,
    createdAt: "2024-05-02T12:00:00.000Z",
    ...over,
  };
}

/** An annotated tag whose message is exactly `message`, as the App writes it. */
function annotatedTag(repo: TempRepo, name: string, commit: string, message: string): void {
  const file = join(repo.dir, ".git", "TAG_MESSAGE_TEST");
  writeFileSync(file, message);
  repo.git("tag", "-a", "--cleanup=verbatim", "-F", file, name, commit);
}

async function run(cwd: string, ...args: string[]) {
  const io = recordingIO(cwd);
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

describe("promptops versions", () => {
  let repo: TempRepo;
  let first: string;
  let second: string;
  beforeAll(() => {
    repo = tempRepo({ "prompts/support/summary.prompt.yml": prompt("support/summary", "1.0.0"), "prompts/faq.prompt.yml": prompt("faq", "1.0.0") });
    first = repo.commit("first");
    repo.write({ "prompts/support/summary.prompt.yml": prompt("support/summary", "1.10.0") });
    second = repo.commit("second");
    annotatedTag(repo, "prompts/support/summary/v1.0.0", first, renderAuditRecord(record("support/summary", "1.0.0", first, { scores: {}, approvers: [] })));
    annotatedTag(repo, "prompts/support/summary/v1.10.0", second, renderAuditRecord(record("support/summary", "1.10.0", second)));
    annotatedTag(repo, "prompts/support/summary/v1.2.0", first, "Tagged by hand, no record.\n");
    repo.git("tag", "prompts/faq/v1.0.0", first);
    // Not prompt versions: another naming scheme, and a version that is not semver.
    repo.git("tag", "v0.1.0", first);
    repo.git("tag", "prompts/faq/vlatest", first);
  });
  afterAll(() => repo.cleanup());

  it("lists each prompt's versions, highest semver first, with what the audit record says", async () => {
    const { code, out } = await run(repo.dir, "versions");
    expect(code).toBe(0);
    const lines = out.split("\n");
    expect(lines[0]).toBe("faq (1 version)");
    expect(lines[1]).toBe(`  1.0.0  prompts/faq/v1.0.0  ${first.slice(0, 12)}  lightweight tag, no audit record`);
    expect(lines[2]).toBe("");
    expect(lines[3]).toBe("support/summary (3 versions)");
    expect(lines[4]).toBe(`  1.10.0  prompts/support/summary/v1.10.0  ${second.slice(0, 12)}  2024-05-02  PR #12 by octocat, approved by alice, bob, eval success, score 0.50 -> 0.75`);
    expect(lines[5]).toMatch(new RegExp(`^  1\\.2\\.0  prompts/support/summary/v1\\.2\\.0  ${first.slice(0, 12)}  \\d{4}-\\d\\d-\\d\\d  no audit record in the tag message$`));
    expect(lines[6]).toBe(`  1.0.0  prompts/support/summary/v1.0.0  ${first.slice(0, 12)}  2024-05-02  PR #12 by octocat, no approvals, eval success`);
    expect(lines).toHaveLength(8);
  });

  it("--json gives the audit records back as they were written, and the peeled commits", async () => {
    const { code, out } = await run(repo.dir, "versions", "support/summary", "--json");
    expect(code).toBe(0);
    const { prompts } = JSON.parse(out);
    expect(prompts).toHaveLength(1);
    expect(prompts[0].id).toBe("support/summary");
    expect(prompts[0].versions.map((v: { version: string }) => v.version)).toEqual(["1.10.0", "1.2.0", "1.0.0"]);
    expect(prompts[0].versions[0]).toMatchObject({ tag: "prompts/support/summary/v1.10.0", commit: second, annotated: true, record: record("support/summary", "1.10.0", second) });
    expect(prompts[0].versions[1].record).toBeUndefined();
  });

  it("exits 1 for an id with no tagged versions", async () => {
    const { code, out, err } = await run(repo.dir, "versions", "nope");
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toBe('No tagged versions of prompt "nope".\n');
  });

  it("follows the config's tag template", async () => {
    const custom = tempRepo({ ".github/promptops.yml": "versioning:\n  tag: 'prompt-{id}@{version}'\n", "a.prompt.yml": prompt("greeting", "2.0.0") });
    try {
      const sha = custom.commit("c");
      annotatedTag(custom, "prompt-greeting@2.0.0", sha, renderAuditRecord(record("greeting", "2.0.0", sha)));
      custom.git("tag", "prompts/greeting/v1.0.0", sha);
      const { code, out } = await run(custom.dir, "versions", "--json");
      expect(code).toBe(0);
      expect(JSON.parse(out).prompts).toEqual([
        { id: "greeting", versions: [expect.objectContaining({ version: "2.0.0", tag: "prompt-greeting@2.0.0", commit: sha })] },
      ]);
    } finally {
      custom.cleanup();
    }
  });

  it("says so when nothing is tagged, and fails clearly outside a repository", async () => {
    const empty = tempRepo({ "a.prompt.yml": prompt("a", "1.0.0") });
    try {
      empty.commit("c");
      const { code, out, err } = await run(empty.dir, "versions");
      expect([code, out, err]).toEqual([0, "", "No prompt versions are tagged in this repository yet.\n"]);
    } finally {
      empty.cleanup();
    }
    const { code, err } = await run("/", "versions");
    expect(code).toBe(2);
    expect(err).toMatch(/^promptops: not a git repository/);
  });
});
