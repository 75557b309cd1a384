import { execFileSync } from "node:child_process";
import { main } from "../../src/cli/main.js";
import { DEFAULT_CONFIG } from "../../src/core/config/model.js";
import { memoryTree } from "../../src/core/files.js";
import { lintWorkspace } from "../../src/core/workspace/lint.js";
import { checkRefFormat, DEFAULT_TAG_TEMPLATE, tagNameFor } from "../../src/core/versions/tags.js";
import { loadWorkspace } from "../../src/core/workspace/workspace.js";
import { tempRepo, type TempRepo } from "./git-fixture.js";
import { recordingIO } from "./io-fixture.js";

const prompt = (id: string, version: string, content: string, description = "A prompt") =>
  [
    "model: openai/gpt-4o-mini",
    `description: ${description}`,
    "promptops:",
    `  id: ${JSON.stringify(id)}`,
    `  version: ${version}`,
    "messages:",
    "  - role: user",
    `    content: ${JSON.stringify(content)}`,
    "",
  ].join("\n");

async function run(cwd: string, ...args: string[]) {
  const io = recordingIO(cwd);
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

describe("promptops tag", () => {
  let repo: TempRepo;
  let base: string;
  let head: string;
  beforeAll(() => {
    repo = tempRepo({
      "prompts/summary.prompt.yml": prompt("support/summary", "1.0.0", "Summarise {{ticket}}"),
      "prompts/pitch.prompt.yml": prompt("sales/pitch", "2.0.0", "Pitch {{product}}"),
      "prompts/old.prompt.yml": prompt("old", "1.0.0", "Old"),
    });
    base = repo.commit("base");
    repo.git("checkout", "-q", "-b", "feature");
    repo.write({
      "prompts/summary.prompt.yml": prompt("support/summary", "1.1.0", "Summarise {{ticket}} in one line"),
      "prompts/pitch.prompt.yml": prompt("sales/pitch", "2.0.0", "Pitch {{product}}", "A sales pitch"),
      "prompts/faq.prompt.yml": prompt("faq", "1.0.0", "Answer {{question}}"),
    });
    repo.remove("prompts/old.prompt.yml");
    head = repo.commit("head");
    repo.git("checkout", "-q", "main");
  });
  afterAll(() => repo.cleanup());

  it("--dry-run shows what a merge would tag and why the rest would not be, creating nothing", async () => {
    const { code, out } = await run(repo.dir, "tag", "--dry-run", "--base", "main", "--head", "feature");
    expect(code).toBe(0);
    expect(out).toBe(
      [
        "Dry run: tags for merging feature into main (nothing is created).",
        "Owner approval and a passing eval are assumed here; on merge the App checks both.",
        "",
        "Would tag:",
        "  prompts/faq/v1.0.0  (faq 1.0.0, prompts/faq.prompt.yml)",
        "  prompts/support/summary/v1.1.0  (support/summary 1.1.0, prompts/summary.prompt.yml)",
        "",
        "Would not tag:",
        "  sales/pitch (prompts/pitch.prompt.yml): no new version: content and version 2.0.0 are unchanged (prompt file modified)",
        "",
      ].join("\n"),
    );
    expect(repo.git("tag", "-l")).toBe("");
  });

  it("reports a local tag on another commit as not moved, and one on the head as done", async () => {
    repo.git("tag", "-a", "-m", "by hand", "prompts/support/summary/v1.1.0", base);
    repo.git("tag", "prompts/faq/v1.0.0", head);
    try {
      const { code, out } = await run(repo.dir, "tag", "--dry-run", "--base", "main", "--head", "feature", "--json");
      expect(code).toBe(0);
      const result = JSON.parse(out);
      expect(result).toMatchObject({ dryRun: true, assumed: { approved: true, evalConclusion: "success" }, base, head, mode: "manual", wouldTag: [] });
      expect(result.alreadyTagged).toEqual([{ promptId: "faq", path: "prompts/faq.prompt.yml", version: "1.0.0", tag: "prompts/faq/v1.0.0" }]);
      expect(result.notTagged).toContainEqual({ promptId: "support/summary", path: "prompts/summary.prompt.yml", reason: `tag exists on ${base}, not moved` });
      expect(repo.git("rev-parse", "prompts/support/summary/v1.1.0^{commit}").trim()).toBe(base);
    } finally {
      repo.git("tag", "-d", "prompts/support/summary/v1.1.0", "prompts/faq/v1.0.0");
    }
  });

  it("auto mode: versions from the local tags and --label", async () => {
    const auto = tempRepo({
      ".github/promptops.yml": "versioning:\n  mode: auto\n",
      "prompts/summary.prompt.yml": prompt("support/summary", "0.0.0", "Summarise {{ticket}}"),
    });
    try {
      const first = auto.commit("base");
      auto.git("tag", "-a", "-m", "release", "prompts/support/summary/v1.4.2", first);
      auto.write({ "prompts/summary.prompt.yml": prompt("support/summary", "0.0.0", "Summarise {{ticket}} briefly") });
      auto.commit("head");
      const patch = await run(auto.dir, "tag", "--dry-run", "--base", "HEAD~1", "--json");
      expect(JSON.parse(patch.out).wouldTag.map((t: { tag: string }) => t.tag)).toEqual(["prompts/support/summary/v1.4.3"]);
      const major = await run(auto.dir, "tag", "--dry-run", "--base", "HEAD~1", "--label", "prompt:minor", "--label", "prompt:major", "--json");
      expect(JSON.parse(major.out).wouldTag.map((t: { tag: string }) => t.tag)).toEqual(["prompts/support/summary/v2.0.0"]);
    } finally {
      auto.cleanup();
    }
  });

  it("needs --base and a known revision", async () => {
    const noBase = await run(repo.dir, "tag", "--dry-run");
    expect(noBase.code).toBe(2);
    expect(noBase.err).toMatch(/--base <ref> is required/);

    const unknown = await run(repo.dir, "tag", "--dry-run", "--base", "no-such-branch");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toBe('promptops: unknown git revision "no-such-branch"\n');
    expect(repo.git("tag", "-l")).toBe("");
  });

  it("says so when no prompt changed", async () => {
    const { code, out } = await run(repo.dir, "tag", "--dry-run", "--base", "main", "--head", "main");
    expect(code).toBe(0);
    expect(out).toContain("No changed prompt between main and main: nothing to tag.");
  });
});

describe("tag names", () => {
  // Ids a team might write, and ids that break one of git's ref rules.
  const ids = [
    "support/summary",
    "faq",
    "a.b/c-d_e",
    "v2/ünïcödé",
    "emoji-😀",
    "a@b",
    "x/y.lock.z",
    "bad..id",
    "dir/.hidden",
    "name.lock",
    "sp ace",
    "tilde~1",
    "caret^",
    "colon:x",
    "what?",
    "star*",
    "br[acket",
    "back\\slash",
    "a//b",
    "trailing/",
    "/leading",
    "ends.",
    "at@{brace",
    "tab\there",
  ];

  it("a name is valid for PromptOps exactly when `git check-ref-format` accepts it", () => {
    for (const id of ids) {
      const tag = tagNameFor(DEFAULT_TAG_TEMPLATE, id, "1.2.3-rc.1+build.5");
      let gitAccepts = true;
      try {
        execFileSync("git", ["check-ref-format", `refs/tags/${tag}`], { stdio: "ignore" });
      } catch {
        gitAccepts = false;
      }
      expect([id, checkRefFormat(tag) === undefined]).toEqual([id, gitAccepts]);
    }
  });

  it("lint rejects, at the id line, every id that could not form a tag", async () => {
    const files: Record<string, string> = {};
    ids.forEach((id, i) => (files[`p${i}.prompt.yml`] = prompt(id, "1.0.0", "Hi")));
    const ws = await loadWorkspace(memoryTree(files), DEFAULT_CONFIG);
    const flagged = new Set(lintWorkspace(ws, DEFAULT_CONFIG).filter((d) => d.rule === "invalid-tag-id" && d.line === 4).map((d) => d.file));
    for (const [i, id] of ids.entries()) {
      const tag = tagNameFor(DEFAULT_TAG_TEMPLATE, id, "1.0.0");
      let gitAccepts = true;
      try {
        execFileSync("git", ["check-ref-format", `refs/tags/${tag}`], { stdio: "ignore" });
      } catch {
        gitAccepts = false;
      }
      expect([id, flagged.has(`p${i}.prompt.yml`)]).toEqual([id, !gitAccepts]);
    }
  });
});
