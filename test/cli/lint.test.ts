import { main } from "../../src/cli/main.js";
import { tempDir, tempRepo, writeFiles, type TempRepo } from "./git-fixture.js";
import { recordingIO } from "./io-fixture.js";
import { rmSync } from "node:fs";

const goodPrompt = [
  "promptops:",
  "  id: support/summary",
  "  version: 1.0.0",
  "  variables:",
  "    ticket: { type: string, required: true }",
  "messages:",
  "  - role: user",
  "    content: 'Summarize {{ticket}}'",
].join("\n");

describe("promptops lint", () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = tempRepo({
      "prompts/summary.prompt.yml": goodPrompt,
      "prompts/summary.golden.jsonl": '{"ticket": "hello"}\n',
    });
    repo.commit("init");
  });
  afterEach(() => repo.cleanup());

  it("a named file that is not a prompt is an error with the reason, not \"0 prompts checked\"", async () => {
    repo.write({ "prompts/sample_prompt.yml": goodPrompt });
    const io = recordingIO(repo.dir);
    expect(await main(["lint", "prompts/sample_prompt.yml"], io)).toBe(1);
    expect(io.out).toMatch(/^prompts\/sample_prompt\.yml:1:1: error: not a prompt file: PromptOps reads \.prompt\.yml.*\[not-a-prompt\]\n$/);
  });

  it("--base REF runs the version-bump check that review would fail on", async () => {
    repo.write({ "prompts/summary.prompt.yml": goodPrompt.replace("Summarize", "Briefly summarize") });
    const plain = recordingIO(repo.dir);
    expect(await main(["lint"], plain)).toBe(0);
    const io = recordingIO(repo.dir);
    expect(await main(["lint", "--base", "HEAD"], io)).toBe(1);
    expect(io.out).toMatch(/prompts\/summary\.prompt\.yml:\d+:\d+: error: .*version.*\n/);
  });

  it("--base REF warns about golden cases the head removed, at the golden set, naming where they were", async () => {
    repo.write({ "prompts/summary.golden.jsonl": '{"id": "kept", "ticket": "a"}\n{"id": "hard", "ticket": "b"}\n' });
    repo.commit("two cases");
    repo.write({ "prompts/summary.golden.jsonl": '{"id": "kept", "ticket": "a"}\n' });
    expect(await main(["lint"], recordingIO(repo.dir))).toBe(0);
    const io = recordingIO(repo.dir);
    expect(await main(["lint", "--base", "HEAD"], io)).toBe(0);
    expect(io.out).toBe(
      'prompts/summary.golden.jsonl:1:1: warning: 1 golden case of prompt "support/summary" removed since the base: "hard" (prompts/summary.golden.jsonl:2 on the base); the review lists removed cases, so a dropped failing case is seen [removed-case]\n',
    );
  });

  it("exits 0 and prints nothing on stdout for a clean project", async () => {
    const io = recordingIO(repo.dir);
    expect(await main(["lint"], io)).toBe(0);
    expect(io.out).toBe("");
    expect(io.err).toBe("1 prompt checked: 0 errors, 0 warnings\n");
  });

  it("prints sorted file:line:col diagnostics and exits 1 on errors; warnings alone exit 0", async () => {
    repo.write({
      "prompts/summary.prompt.yml": goodPrompt.replace("Summarize {{ticket}}", "Summarize {{ticket}} for {{customer}} {{> tone}}"),
      "prompts/other.prompt.yml": goodPrompt.replace("support/summary", "support/other").replace("version: 1.0.0", "version: one"),
      "prompts/other.golden.jsonl": '{"ticket": "x"}\n',
    });
    const io = recordingIO(repo.dir);
    expect(await main(["lint"], io)).toBe(1);
    expect(io.out.trimEnd().split("\n")).toEqual([
      'prompts/other.prompt.yml:3:1: error: version "one" is not valid semver; expected MAJOR.MINOR.PATCH, e.g. 1.0.0 [invalid-semver]',
      'prompts/summary.prompt.yml:8:28: error: variable "customer" is used but not declared [undeclared-variable]',
      'prompts/summary.prompt.yml:8:39: error: partial "tone" not found (partials are read from prompts/partials) [missing-partial]',
    ]);
    expect(io.err).toBe("2 prompts checked: 3 errors, 0 warnings\n");

    repo.write({ "prompts/other.prompt.yml": goodPrompt.replace("support/summary", "support/other"), "prompts/summary.prompt.yml": goodPrompt });
    repo.remove("prompts/other.golden.jsonl");
    const warn = recordingIO(repo.dir);
    expect(await main(["lint"], warn)).toBe(0);
    expect(warn.out).toMatch(/^prompts\/other\.prompt\.yml:1:1: warning: .*\[missing-golden\]\n$/);
  });

  it("prints JSON with --json", async () => {
    repo.write({ "prompts/summary.prompt.yml": goodPrompt.replace("{{ticket}}", "{{nope}}") });
    const io = recordingIO(repo.dir);
    expect(await main(["lint", "--json"], io)).toBe(1);
    const parsed = JSON.parse(io.out) as { file: string; rule: string; severity: string }[];
    expect(parsed.map((d) => [d.file, d.rule, d.severity])).toEqual([
      ["prompts/summary.prompt.yml", "unused-variable", "warning"],
      ["prompts/summary.prompt.yml", "undeclared-variable", "error"],
    ]);
  });

  it("lints only the given files and folders, with paths relative to where it runs", async () => {
    repo.write({ "other/bad.prompt.yml": "messages: [\n" });
    const io = recordingIO(repo.dir);
    expect(await main(["lint", "prompts/"], io)).toBe(0);
    const sub = recordingIO(`${repo.dir}/prompts`);
    expect(await main(["lint", "../other/bad.prompt.yml"], sub)).toBe(1);
    expect(sub.out).toMatch(/^\.\.\/other\/bad\.prompt\.yml:\d+:\d+: error: /);
  });

  it("treats a folder with its own .github/promptops.yml as the root for config, partials and golden sets", async () => {
    repo.write({
      "lib/.github/promptops.yml": "prompts:\n  partials: [shared]\ngates:\n  requireGolden: true\n",
      "lib/shared/tone.md": "Be kind.",
      "lib/p/a.prompt.yml": goodPrompt.replace("Summarize {{ticket}}", "Summarize {{ticket}} {{> tone}}"),
      "lib/p/a.golden.jsonl": '{"ticket": "t"}\n',
      "lib/p/b.prompt.yml": goodPrompt.replace("support/summary", "b"),
    });
    const io = recordingIO(repo.dir);
    expect(await main(["lint", "lib"], io)).toBe(1);
    expect(io.out.trimEnd().split("\n")).toEqual([expect.stringMatching(/^lib\/p\/b\.prompt\.yml:1:1: error: prompt "b" cannot be evaluated.*\[missing-golden\]$/)]);
  });

  it("exits 2 on a config error or a path that does not exist", async () => {
    const missing = recordingIO(repo.dir);
    expect(await main(["lint", "nope/"], missing)).toBe(2);
    expect(missing.err).toBe("promptops: no such file or directory: nope/\n");

    repo.write({ ".github/promptops.yml": "gates:\n  minScor: 0.8\n" });
    const io = recordingIO(repo.dir);
    expect(await main(["lint"], io)).toBe(2);
    expect(io.out).toBe('.github/promptops.yml:2:3: error: unknown key "minScor" in gates (did you mean minScore?) [config-unknown-key]\n');
  });

  it("works outside a git repository", async () => {
    const dir = tempDir();
    try {
      writeFiles(dir, { "x.prompt.yml": goodPrompt, "x.golden.jsonl": '{"ticket": "a"}\n' });
      const io = recordingIO(dir);
      expect(await main(["lint"], io)).toBe(0);
      expect(io.err).toMatch(/^1 prompt checked/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("promptops lint on the example library", () => {
  it("lints examples/ without errors, using the folder's own config; its sampled prompts on one sample are warnings", async () => {
    const io = recordingIO(process.cwd());
    expect(await main(["lint", "examples/"], io)).toBe(0);
    // The examples replay recorded answers of one sample each, at temperatures above 0.
    const lines = io.out.trim().split("\n");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/: warning: temperature 0\.\d+ with one sample per case and gates\.adaptive off: .*\[single-sample\]$/);
    expect(io.err).toMatch(new RegExp(`^\\d+ prompts checked: 0 errors, ${lines.length} warnings\n$`));
  });
});
