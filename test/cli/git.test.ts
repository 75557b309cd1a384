import { changedPaths, gitTree, resolveRef, workingTree } from "../../src/cli/git.js";
import { tempDir, tempRepo, writeFiles, type TempRepo } from "./git-fixture.js";
import { rmSync } from "node:fs";

describe("git trees", () => {
  let repo: TempRepo;
  let first: string;
  let second: string;
  beforeAll(() => {
    repo = tempRepo({
      "prompts/a.prompt.yml": "name: a\n",
      "prompts/b.prompt.yml": "name: b\nline two\n",
      "prompts/gone.prompt": "---\n---\nbye\n",
      "data/blob.bin": new Uint8Array([1, 0, 2]),
      "notes/sp ace\tand\nnewline.md": "odd name\n",
    });
    first = repo.commit("first");
    repo.write({ "prompts/a.prompt.yml": "name: a2\n", "prompts/new.prompty": "---\n---\nuser:\nhi\n" });
    repo.remove("prompts/gone.prompt");
    repo.git("mv", "prompts/b.prompt.yml", "prompts/renamed.prompt.yml");
    second = repo.commit("second");
  });
  afterAll(() => repo.cleanup());

  it("lists and reads files at a revision in one batch, with missing and binary files", async () => {
    const tree = gitTree(repo.dir, first);
    expect(await tree.list()).toEqual([
      "data/blob.bin",
      "notes/sp ace\tand\nnewline.md",
      "prompts/a.prompt.yml",
      "prompts/b.prompt.yml",
      "prompts/gone.prompt",
    ]);
    const blobs = await tree.read(["prompts/a.prompt.yml", "nope.txt", "data/blob.bin", "prompts/b.prompt.yml", "notes/sp ace\tand\nnewline.md"]);
    expect(blobs.get("prompts/a.prompt.yml")).toEqual({ kind: "text", text: "name: a\n", size: 8 });
    expect(blobs.get("nope.txt")).toEqual({ kind: "missing" });
    expect(blobs.get("data/blob.bin")).toEqual({ kind: "binary", size: 3 });
    expect(blobs.get("prompts/b.prompt.yml")).toMatchObject({ kind: "text", text: "name: b\nline two\n" });
    // A path with a newline cannot go through `cat-file --batch`; it reads as missing, never crashes.
    expect(blobs.get("notes/sp ace\tand\nnewline.md")).toEqual({ kind: "missing" });
    expect((await gitTree(repo.dir, second).read(["prompts/a.prompt.yml"])).get("prompts/a.prompt.yml")).toMatchObject({ text: "name: a2\n" });
  });

  it("lists the paths changed between two revisions, following renames", async () => {
    const changes = await changedPaths(repo.dir, first, second);
    expect(changes.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: "prompts/a.prompt.yml", status: "modified" },
      { path: "prompts/gone.prompt", status: "removed" },
      { path: "prompts/new.prompty", status: "added" },
      { path: "prompts/renamed.prompt.yml", status: "renamed", previousPath: "prompts/b.prompt.yml" },
    ]);
  });

  it("resolves refs and names an unknown one clearly", async () => {
    expect(await resolveRef(repo.dir, "main")).toBe(second);
    expect(await resolveRef(repo.dir, "HEAD~1")).toBe(first);
    await expect(resolveRef(repo.dir, "no-such-branch")).rejects.toThrow('unknown git revision "no-such-branch"');
    await expect(gitTree(repo.dir, "no-such-branch").list()).rejects.toThrow('unknown git revision "no-such-branch"');
    await expect(changedPaths(repo.dir, "main", "--output=/tmp/x")).rejects.toThrow(/invalid git revision/);
  });

  it("reads the working tree: tracked and untracked files, not ignored or deleted ones", async () => {
    repo.write({ ".gitignore": "ignored/\n", "ignored/x.prompt": "x", "draft.prompt.md": "draft\n" });
    repo.remove("prompts/new.prompty");
    const tree = workingTree(repo.dir);
    const files = await tree.list();
    expect(files).toContain("draft.prompt.md");
    expect(files).toContain("prompts/a.prompt.yml");
    expect(files).not.toContain("ignored/x.prompt");
    expect(files).not.toContain("prompts/new.prompty");
    const blobs = await tree.read(["draft.prompt.md", "missing.md"]);
    expect(blobs.get("draft.prompt.md")).toMatchObject({ kind: "text", text: "draft\n" });
    expect(blobs.get("missing.md")).toEqual({ kind: "missing" });
  });

  it("walks a plain folder when it is not a repository", async () => {
    const dir = tempDir();
    try {
      writeFiles(dir, { "a/b.prompt": "x", "node_modules/m/x.prompt": "y", ".github/promptops.yml": "" });
      expect(await workingTree(dir).list()).toEqual([".github/promptops.yml", "a/b.prompt"]);
      await expect(gitTree(dir, "HEAD").list()).rejects.toThrow(/not a git repository/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
