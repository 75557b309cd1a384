import { DEFAULT_CONFIG } from "../../../src/core/config/model.js";
import { memoryTree, type ChangedPath } from "../../../src/core/files.js";
import { detectChanges, relevantPaths } from "../../../src/core/workspace/detect.js";
import { loadWorkspace } from "../../../src/core/workspace/workspace.js";

const prompt = (id: string, content: string) =>
  ["promptops:", `  id: ${id}`, "  version: 1.0.0", "messages:", "  - role: user", `    content: '${content}'`].join("\n");

async function detect(baseFiles: Record<string, string>, headFiles: Record<string, string>, changes: ChangedPath[]) {
  const [base, head] = await Promise.all([
    loadWorkspace(memoryTree(baseFiles, "base"), DEFAULT_CONFIG),
    loadWorkspace(memoryTree(headFiles, "head"), DEFAULT_CONFIG),
  ]);
  const set = detectChanges({ changes, base, head, config: DEFAULT_CONFIG });
  return set.prompts.map((p) => ({
    id: p.id,
    path: p.path,
    previousPath: p.previousPath,
    change: p.change,
    base: p.base?.path,
    head: p.head?.path,
    reasons: p.reasons,
  }));
}

describe("detectChanges", () => {
  const base = {
    "prompts/a.prompt.yml": prompt("a", "A {{> tone}}"),
    "prompts/b.prompt.yml": prompt("b", "B {{> intro}}"),
    "prompts/c.prompt.yml": prompt("c", "C"),
    "prompts/c.golden.jsonl": "{}\n",
    "prompts/d.prompt.yml": prompt("d", "D"),
    "prompts/old.prompt.yml": prompt("old", "old"),
    "prompts/gone.prompt.yml": prompt("gone", "gone"),
    "prompts/partials/tone.md": "Be kind.",
    "prompts/partials/intro.md": "Hi. {{> tone}}",
    "README.md": "x",
  };

  it("finds added, modified, renamed and removed prompts, and prompts whose partials or golden set changed", async () => {
    const head: Record<string, string> = {
      ...base,
      "prompts/partials/tone.md": "Be very kind.",
      "prompts/c.golden.jsonl": '{"id": "new"}\n',
      "prompts/d.prompt.yml": prompt("d", "D2"),
      "prompts/new.prompt.yml": prompt("new", "N"),
      "prompts/renamed.prompt.yml": prompt("old", "old"),
      "README.md": "y",
    };
    delete head["prompts/old.prompt.yml"];
    delete head["prompts/gone.prompt.yml"];
    const changes: ChangedPath[] = [
      { path: "prompts/partials/tone.md", status: "modified" },
      { path: "prompts/c.golden.jsonl", status: "modified" },
      { path: "prompts/d.prompt.yml", status: "modified" },
      { path: "prompts/new.prompt.yml", status: "added" },
      { path: "prompts/renamed.prompt.yml", status: "renamed", previousPath: "prompts/old.prompt.yml" },
      { path: "prompts/gone.prompt.yml", status: "removed" },
      { path: "README.md", status: "modified" },
    ];
    expect(await detect(base, head, changes)).toEqual([
      { id: "a", path: "prompts/a.prompt.yml", change: "dependency", base: "prompts/a.prompt.yml", head: "prompts/a.prompt.yml", reasons: ["partial prompts/partials/tone.md modified"] },
      // b uses tone only through the intro partial.
      { id: "b", path: "prompts/b.prompt.yml", change: "dependency", base: "prompts/b.prompt.yml", head: "prompts/b.prompt.yml", reasons: ["partial prompts/partials/tone.md modified"] },
      { id: "c", path: "prompts/c.prompt.yml", change: "dependency", base: "prompts/c.prompt.yml", head: "prompts/c.prompt.yml", reasons: ["golden set prompts/c.golden.jsonl modified"] },
      { id: "d", path: "prompts/d.prompt.yml", change: "modified", base: "prompts/d.prompt.yml", head: "prompts/d.prompt.yml", reasons: ["prompt file modified"] },
      { id: "gone", path: "prompts/gone.prompt.yml", change: "removed", base: "prompts/gone.prompt.yml", reasons: ["prompt file removed"] },
      { id: "new", path: "prompts/new.prompt.yml", change: "added", head: "prompts/new.prompt.yml", reasons: ["prompt file added"] },
      { id: "old", path: "prompts/renamed.prompt.yml", previousPath: "prompts/old.prompt.yml", change: "renamed", base: "prompts/old.prompt.yml", head: "prompts/renamed.prompt.yml", reasons: ["renamed from prompts/old.prompt.yml"] },
    ]);
  });

  it("pairs a delete and an add of the same id as a rename", async () => {
    const head = { ...base, "prompts/moved/c.prompt.yml": prompt("c", "C") } as Record<string, string>;
    delete head["prompts/c.prompt.yml"];
    const out = await detect(base, head, [
      { path: "prompts/c.prompt.yml", status: "removed" },
      { path: "prompts/moved/c.prompt.yml", status: "added" },
    ]);
    expect(out).toEqual([
      { id: "c", path: "prompts/moved/c.prompt.yml", previousPath: "prompts/c.prompt.yml", change: "renamed", base: "prompts/c.prompt.yml", head: "prompts/moved/c.prompt.yml", reasons: ["moved from prompts/c.prompt.yml"] },
    ]);
  });

  it("keeps a modified prompt that no longer parses, and notes a removed partial", async () => {
    const head: Record<string, string> = { ...base, "prompts/d.prompt.yml": "messages: [\n" };
    delete head["prompts/partials/intro.md"];
    const out = await detect(base, head, [
      { path: "prompts/d.prompt.yml", status: "modified" },
      { path: "prompts/partials/intro.md", status: "removed" },
    ]);
    expect(out).toEqual([
      { id: "b", path: "prompts/b.prompt.yml", change: "dependency", base: "prompts/b.prompt.yml", head: "prompts/b.prompt.yml", reasons: ["partial prompts/partials/intro.md removed"] },
      { id: "d", path: "prompts/d.prompt.yml", change: "modified", base: "prompts/d.prompt.yml", reasons: ["prompt file modified"] },
    ]);
  });

  it("selects the changed paths that can affect prompts", () => {
    expect(
      relevantPaths(
        [
          { path: "prompts/a.prompt.yml", status: "modified" },
          { path: "prompts/partials/tone.md", status: "added" },
          { path: "evals/a.csv", status: "renamed", previousPath: "evals/old.csv" },
          { path: "src/index.ts", status: "modified" },
        ],
        DEFAULT_CONFIG,
      ).sort(),
    ).toEqual(["evals/a.csv", "evals/old.csv", "prompts/a.prompt.yml", "prompts/partials/tone.md"]);
  });
});
