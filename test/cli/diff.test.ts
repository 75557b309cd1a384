import { main } from "../../src/cli/main.js";
import { tempRepo, type TempRepo } from "./git-fixture.js";
import { recordingIO } from "./io-fixture.js";

const prompt = (version: string, content: string, temperature = 0.2) =>
  [
    "model: openai/gpt-4o-mini",
    `modelParameters: { temperature: ${temperature} }`,
    "promptops:",
    "  id: support/summary",
    `  version: ${version}`,
    "messages:",
    "  - role: system",
    "    content: You summarize tickets.",
    "  - role: user",
    `    content: '${content} {{> tone}}'`,
  ].join("\n");

describe("promptops diff", () => {
  let repo: TempRepo;
  let base: string;
  beforeAll(() => {
    repo = tempRepo({
      "prompts/summary.prompt.yml": prompt("1.0.0", "Summarize {{ticket}}"),
      "prompts/other.prompt.yml": prompt("1.0.0", "Other {{ticket}}").replace("support/summary", "other"),
      "prompts/partials/tone.md": "Be kind.",
      "README.md": "readme",
    });
    base = repo.commit("base");
    repo.write({
      "prompts/summary.prompt.yml": prompt("1.1.0", "Summarize briefly {{ticket}}", 0.5),
      "prompts/partials/tone.md": "Be very kind.",
      "README.md": "changed",
    });
    repo.commit("head");
  });
  afterAll(() => repo.cleanup());

  it("lists changed prompts with message diffs and a table of model and parameter changes", async () => {
    const io = recordingIO(repo.dir);
    expect(await main(["diff", "--base", base, "--head", "HEAD"], io)).toBe(0);
    expect(io.out).toContain("2 prompts changed between");
    expect(io.out).toContain("== other (dependency) prompts/other.prompt.yml\n   partial prompts/partials/tone.md modified\n");
    expect(io.out).toContain("== support/summary (modified) prompts/summary.prompt.yml\n");
    expect(io.out).toMatch(/parameters\.temperature\s+0\.2\s+0\.5/);
    expect(io.out).toMatch(/version\s+1\.0\.0\s+1\.1\.0/);
    expect(io.out).toContain("-- message 2 (user) modified\n");
    expect(io.out).toContain("-Summarize {{ticket}} {{> tone}}");
    expect(io.out).toContain("+Summarize briefly {{ticket}} {{> tone}}");
    expect(io.out).not.toContain("README");
  });

  it("prints JSON with --json", async () => {
    const io = recordingIO(repo.dir);
    expect(await main(["diff", "--base", base, "--json"], io)).toBe(0);
    const out = JSON.parse(io.out);
    expect(out.base).toBe(base);
    expect(out.prompts.map((p: { id: string; change: string }) => [p.id, p.change])).toEqual([
      ["other", "dependency"],
      ["support/summary", "modified"],
    ]);
  });

  it("says when nothing changed, and exits 2 for an unknown ref", async () => {
    const same = recordingIO(repo.dir);
    expect(await main(["diff", "--base", "HEAD", "--head", "HEAD"], same)).toBe(0);
    expect(same.out).toBe("No prompt changed between HEAD and HEAD.\n");
    const bad = recordingIO(repo.dir);
    expect(await main(["diff", "--base", "nope"], bad)).toBe(2);
    expect(bad.err).toBe('promptops: unknown git revision "nope"\n');
  });
});
