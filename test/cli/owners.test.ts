// `promptops owners`: who owns each path, from the working tree's owners file, as text and JSON.

import { rmSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { tempDir, tempRepo, writeFiles, type TempRepo } from "./git-fixture.js";
import { recordingIO } from "./io-fixture.js";

async function run(cwd: string, ...args: string[]) {
  const io = recordingIO(cwd);
  const code = await main(["owners", ...args], io);
  return { code, stdout: io.out, stderr: io.err };
}

const PROMPTOWNERS = [
  "# Prompt owners",
  "*.prompt.yml          @acme/prompt-team",
  "/prompts/support/     @alice @acme/support-ai",
  "prompts/support/legacy.prompt.yml",
  "docs/*                carol@example.com",
  "prompts/[ab].prompt.yml @bob",
  "",
].join("\n");

describe("promptops owners", () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = tempRepo({ ".github/PROMPTOWNERS": PROMPTOWNERS, "prompts/support/summary.prompt.yml": "messages: []\n" });
    repo.commit("init");
  });
  afterEach(() => repo.cleanup());

  it("prints each path with its owners, the last matching rule winning", async () => {
    const r = await run(repo.dir, "prompts/support/summary.prompt.yml", "prompts/other.prompt.yml", "prompts/support/legacy.prompt.yml", "README.md");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        "prompts/support/summary.prompt.yml  @alice @acme/support-ai",
        "prompts/other.prompt.yml            @acme/prompt-team",
        "prompts/support/legacy.prompt.yml   (no owners)",
        "README.md                           (no owners)",
        "",
      ].join("\n"),
    );
  });

  it("prints JSON with an empty list for unowned paths", async () => {
    const r = await run(repo.dir, "--json", "prompts/support/summary.prompt.yml", "docs/guide.md", "docs/deep/guide.md");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      "prompts/support/summary.prompt.yml": ["@alice", "@acme/support-ai"],
      "docs/guide.md": ["carol@example.com"],
      "docs/deep/guide.md": [],
    });
  });

  it("warns about invalid lines at file:line:col and still applies the others", async () => {
    const r = await run(repo.dir, "prompts/a.prompt.yml");
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^\.github\/PROMPTOWNERS:6:1: warning: .*character ranges/m);
    // The `[ab]` line is ignored, so the earlier `*.prompt.yml` rule applies.
    expect(r.stdout).toBe("prompts/a.prompt.yml  @acme/prompt-team\n");
  });

  it("matches paths given relative to a subfolder", async () => {
    const r = await run(join(repo.dir, "prompts"), "support/summary.prompt.yml");
    expect(r.stdout).toBe("support/summary.prompt.yml  @alice @acme/support-ai\n");
  });

  it("reads the owners file given with --file", async () => {
    writeFiles(repo.dir, { "other/OWNERS": "prompts/**  @dave\n" });
    const r = await run(repo.dir, "--file", "other/OWNERS", "--json", "prompts/support/summary.prompt.yml");
    expect(JSON.parse(r.stdout)).toEqual({ "prompts/support/summary.prompt.yml": ["@dave"] });
  });

  it("exits 2 without paths, or with an --file that does not exist", async () => {
    const none = await run(repo.dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/at least one path/);
    const missing = await run(repo.dir, "--file", "nope", "a.prompt.yml");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such owners file: nope/);
  });
});

describe("promptops owners without PROMPTOWNERS", () => {
  const dirs: string[] = [];
  const folder = () => {
    const dir = tempDir();
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("falls back to CODEOWNERS and says the App would need ownership.useCodeowners", async () => {
    const dir = folder();
    writeFiles(dir, { ".github/CODEOWNERS": "*.prompt.yml @erin\n" });
    const r = await run(dir, "x.prompt.yml");
    expect(r.stdout).toBe("x.prompt.yml  @erin\n");
    expect(r.stderr).toMatch(/note: owners from \.github\/CODEOWNERS; the App reads CODEOWNERS only with `ownership\.useCodeowners: true`/);
  });

  it("respects ownership.useCodeowners: false from the config", async () => {
    const dir = folder();
    writeFiles(dir, {
      ".github/CODEOWNERS": "*.prompt.yml @erin\n",
      ".github/promptops.yml": "ownership:\n  useCodeowners: false\n",
    });
    const r = await run(dir, "--json", "x.prompt.yml");
    expect(JSON.parse(r.stdout)).toEqual({ "x.prompt.yml": [] });
    expect(r.stderr).toMatch(/no owners file found \(looked for \.github\/PROMPTOWNERS\)/);
  });

  it("prefers .github/PROMPTOWNERS over CODEOWNERS when both exist", async () => {
    const dir = folder();
    writeFiles(dir, {
      ".github/CODEOWNERS": "*.prompt.yml @erin\n",
      ".github/PROMPTOWNERS": "*.prompt.yml @frank\n",
      ".github/promptops.yml": "ownership:\n  useCodeowners: true\n",
    });
    const r = await run(dir, "x.prompt.yml");
    expect(r.stdout).toBe("x.prompt.yml  @frank\n");
    expect(r.stderr).toBe("");
  });
});
