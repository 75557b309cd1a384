import { DEFAULT_CONFIG, type PromptOpsConfig } from "../../../src/core/config/model.js";
import { memoryTree, type TreeReader } from "../../../src/core/files.js";
import { caseIdFor } from "../../../src/core/golden/cases.js";
import { loadWorkspace } from "../../../src/core/workspace/workspace.js";

/** Wraps a tree and records every read batch, to pin the constant number of round trips. */
function counting(tree: TreeReader) {
  const batches: string[][] = [];
  let lists = 0;
  const reader: TreeReader = {
    ref: tree.ref,
    list: () => {
      lists++;
      return tree.list();
    },
    read: (paths) => {
      batches.push([...paths]);
      return tree.read(paths);
    },
  };
  return { reader, batches, lists: () => lists };
}

const githubPrompt = (id: string, golden?: string) =>
  [
    "name: Summary",
    "model: openai/gpt-4o-mini",
    "promptops:",
    `  id: ${id}`,
    "  version: 1.0.0",
    ...(golden ? [`  golden: ${golden}`] : []),
    "messages:",
    "  - role: user",
    "    content: 'Summarize {{ticket}} {{> tone}}'",
  ].join("\n");

function manyPrompts(n: number): Record<string, string> {
  const files: Record<string, string> = { "prompts/partials/tone.md": "Be kind." };
  for (let i = 0; i < n; i++) {
    files[`prompts/p${i}.prompt.yml`] = githubPrompt(`p${i}`);
    files[`prompts/p${i}.golden.jsonl`] = `{"ticket": "t${i}"}\n`;
  }
  return files;
}

describe("loadWorkspace", () => {
  it("reads prompts, partials and golden sets in one list and two read batches, whatever the prompt count", async () => {
    for (const n of [1, 40]) {
      const { reader, batches, lists } = counting(memoryTree(manyPrompts(n)));
      const ws = await loadWorkspace(reader, DEFAULT_CONFIG);
      expect(lists()).toBe(1);
      expect(batches).toHaveLength(2);
      expect(ws.prompts.size).toBe(n);
      expect(ws.golden.size).toBe(n);
      expect(ws.diagnostics).toEqual([]);
    }
  });

  it("finds partials, explicit and conventional golden sets, and inline testData", async () => {
    const files = {
      "prompts/partials/tone.md": "Be kind.",
      "prompts/partials/_footer.hbs": "Thanks",
      "prompts/a.prompt.yml": githubPrompt("a", "evals/a.jsonl"),
      "evals/a.jsonl": '{"id": "one", "ticket": "x"}\n',
      "prompts/b.prompt.yml": githubPrompt("b"),
      "prompts/b.golden.csv": "ticket,expected\nhello,hi\n",
      "prompts/c.prompt.yml": `${githubPrompt("c")}\ntestData:\n  - ticket: inline\n`,
      "prompts/none.prompt.yml": githubPrompt("none"),
      "node_modules/pkg/x.prompt.yml": githubPrompt("vendored"),
      "README.md": "# not a prompt",
    };
    const ws = await loadWorkspace(memoryTree(files), DEFAULT_CONFIG);
    expect([...ws.prompts.keys()].sort()).toEqual(["prompts/a.prompt.yml", "prompts/b.prompt.yml", "prompts/c.prompt.yml", "prompts/none.prompt.yml"]);
    expect([...ws.partials.entries()].sort()).toEqual([
      ["footer", { path: "prompts/partials/_footer.hbs", text: "Thanks" }],
      ["tone", { path: "prompts/partials/tone.md", text: "Be kind." }],
    ]);
    expect(ws.goldenPaths).toEqual(
      new Map([
        ["prompts/a.prompt.yml", "evals/a.jsonl"],
        ["prompts/b.prompt.yml", "prompts/b.golden.csv"],
      ]),
    );
    expect(ws.golden.get("prompts/a.prompt.yml")!.slice().map((c) => c.id)).toEqual(["one"]);
    expect(ws.golden.get("prompts/b.prompt.yml")!.slice()[0]).toMatchObject({ vars: { ticket: "hello" }, expected: "hi" });
    expect(ws.golden.get("prompts/c.prompt.yml")!.file).toBe("prompts/c.prompt.yml");
    expect(ws.golden.get("prompts/c.prompt.yml")!.slice()).toEqual([
      { id: caseIdFor({ ticket: "inline" }), vars: { ticket: "inline" }, source: { file: "prompts/c.prompt.yml", line: 9 } },
    ]);
    expect(ws.golden.has("prompts/none.prompt.yml")).toBe(false);
    // Golden sets are kept as cases, not also as text: a large one would be held twice.
    expect(ws.sources.has("evals/a.jsonl")).toBe(false);
  });

  it("keeps going past broken files and reports them", async () => {
    const files = {
      "prompts/ok.prompt.yml": githubPrompt("ok"),
      "prompts/ok.golden.jsonl": '{"ticket": 1}\nnot json\n',
      "prompts/bad.prompt.yml": "messages: [\n",
    };
    const ws = await loadWorkspace(memoryTree(files), DEFAULT_CONFIG);
    expect([...ws.prompts.keys()]).toEqual(["prompts/ok.prompt.yml"]);
    expect(ws.golden.get("prompts/ok.prompt.yml")!.slice()).toHaveLength(1);
    const where = ws.diagnostics.map((d) => `${d.file}:${d.line}`);
    expect(where).toContain("prompts/ok.golden.jsonl:2");
    expect(where.some((w) => w.startsWith("prompts/bad.prompt.yml:"))).toBe(true);
  });

  it("honours include/exclude globs (dot files too) and a list of paths", async () => {
    const files = {
      ".prompts/hidden.prompt.yml": githubPrompt("hidden"),
      "prompts/a/x.prompt.yml": githubPrompt("x"),
      "prompts/b/y.prompt.yml": githubPrompt("y"),
      "prompts/b/skip.prompt.yml": githubPrompt("skip"),
    };
    const config: PromptOpsConfig = {
      ...DEFAULT_CONFIG,
      prompts: { ...DEFAULT_CONFIG.prompts, exclude: ["**/skip.*"] },
    };
    const all = await loadWorkspace(memoryTree(files), config);
    expect([...all.prompts.keys()].sort()).toEqual([".prompts/hidden.prompt.yml", "prompts/a/x.prompt.yml", "prompts/b/y.prompt.yml"]);
    const some = await loadWorkspace(memoryTree(files), config, { paths: ["prompts/b/", "prompts/a/x.prompt.yml"] });
    expect([...some.prompts.keys()].sort()).toEqual(["prompts/a/x.prompt.yml", "prompts/b/y.prompt.yml"]);
  });
});
