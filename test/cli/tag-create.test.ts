// `promptops tag --base REF` without --dry-run: real annotated tags with the App's audit record,
// after a real base-vs-head eval (echo model), on a real git repository.

import { main } from "../../src/cli/main.js";
import { parseAuditRecord } from "../../src/core/versions/audit.js";
import { localTags } from "../../src/cli/commands/versions.js";
import { tempRepo, type TempRepo } from "./git-fixture.js";
import { recordingIO } from "./io-fixture.js";
import { echoPrompt, GOLDEN, identify } from "./env-fixture.js";

async function run(cwd: string, ...args: string[]) {
  const io = recordingIO(cwd);
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

describe("promptops tag (creating tags)", () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = tempRepo({
      ".github/promptops.yml": "providers:\n  retries: 0\n",
      "prompts/summary.prompt.yml": echoPrompt("support/summary", "1.0.0", "Summarise {{word}}"),
      "prompts/summary.golden.jsonl": GOLDEN,
    });
    identify(repo);
    repo.commit("base");
    repo.write({ "prompts/summary.prompt.yml": echoPrompt("support/summary", "1.1.0", "Summarise {{word}} briefly") });
    repo.commit("head");
  });
  afterEach(() => repo.cleanup());

  it("tags each approved, evaluated new version on the head with the audit record the App writes", async () => {
    const head = repo.git("rev-parse", "HEAD").trim();
    const base = repo.git("rev-parse", "HEAD~1").trim();
    const { code, out } = await run(repo.dir, "tag", "--base", "HEAD~1", "--approved-by", "@carol", "--no-cache");
    expect(code).toBe(0);
    expect(out).toContain("Tagged:\n  prompts/support/summary/v1.1.0  (support/summary 1.1.0, prompts/summary.prompt.yml)");
    const [tag] = await localTags(repo.dir);
    expect(tag).toMatchObject({ name: "prompts/support/summary/v1.1.0", commitSha: head, annotated: true });
    const record = parseAuditRecord(tag!.message!);
    expect(record).toMatchObject({
      promptId: "support/summary",
      version: "1.1.0",
      path: "prompts/summary.prompt.yml",
      author: "Test",
      approvers: ["carol"],
      approvals: [{ login: "carol", commitSha: head }],
      source: "cli",
      baseSha: base,
      model: "echo",
      scores: { base: 1, head: 1 },
      verdict: "success",
      mergeCommitSha: head,
    });
    expect(record).not.toHaveProperty("pr");

    // Run again: the tag exists on the head, nothing is moved or duplicated.
    const again = await run(repo.dir, "tag", "--base", "HEAD~1", "--approved-by", "carol", "--no-cache");
    expect(again.code).toBe(0);
    expect(again.out).toContain("Already tagged:\n  prompts/support/summary/v1.1.0");
    expect(repo.git("tag", "-l")).toBe("prompts/support/summary/v1.1.0\n");
  });

  it("does not tag without an approval when the base's rules require one, and says how to give it", async () => {
    const { code, out } = await run(repo.dir, "tag", "--base", "HEAD~1", "--no-cache");
    expect(code).toBe(1);
    expect(out).toContain("support/summary (prompts/summary.prompt.yml): not approved by its owners (name the approving owners with --approved-by)");
    expect(repo.git("tag", "-l")).toBe("");
  });

  it("does not tag a version whose eval fails the base's gates", async () => {
    // The gate is the base's: every case must score 1, and no output contains "never".
    const rebuilt = tempRepo({
      ".github/promptops.yml": "providers:\n  retries: 0\ngates:\n  minScore: 1\n",
      "prompts/summary.prompt.yml": echoPrompt("support/summary", "1.0.0", "Summarise {{word}}"),
      "prompts/summary.golden.jsonl": GOLDEN.replace(/"expected": "[^"]*"/g, '"expected": "never"'),
    });
    try {
      identify(rebuilt);
      rebuilt.commit("base");
      rebuilt.write({ "prompts/summary.prompt.yml": echoPrompt("support/summary", "1.1.0", "Summarise {{word}} briefly") });
      rebuilt.commit("head");
      const { code, out } = await run(rebuilt.dir, "tag", "--base", "HEAD~1", "--approved-by", "carol", "--no-cache");
      expect(code).toBe(1);
      expect(out).toMatch(/support\/summary \(prompts\/summary.prompt.yml\): eval did not pass \(failure\)/);
      expect(rebuilt.git("tag", "-l")).toBe("");
    } finally {
      rebuilt.cleanup();
    }
  });
});
