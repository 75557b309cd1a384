// The batched base/head readers: reads issued together by both sides leave as one readFiles
// call, listings are made once per commit, and a workspace load costs the same for 1 or 40 prompts.

import { DEFAULT_CONFIG } from "../../src/core/config/model.js";
import { goldenCandidates } from "../../src/core/golden/locate.js";
import { loadWorkspace } from "../../src/core/workspace/workspace.js";
import { TreeTruncatedError } from "../../src/github/errors.js";
import type { FileAt, GitHubPort } from "../../src/github/port.js";
import { createGitHubSnapshots } from "../../src/workflows/github-tree.js";
import { baseFiles, headFiles, SHA, type Files } from "../fixtures/github/repo.js";

const repo = { owner: "acme", repo: "support-bot" };

/** Just the two reads a snapshot uses, over in-memory commits, counting every call. */
function recordingPort(commits: Record<string, Files>, options: { truncated?: string; failReads?: number } = {}) {
  const calls = { listTree: [] as string[], readFiles: [] as FileAt[][] };
  let failures = options.failReads ?? 0;
  const port = {
    async listTree(_repo: unknown, sha: string) {
      calls.listTree.push(sha);
      await new Promise((resolve) => setTimeout(resolve, sha === SHA.head ? 5 : 1));
      const paths = Object.keys(commits[sha] ?? {}).sort();
      if (sha === options.truncated) throw new TreeTruncatedError(sha, paths.slice(0, 1));
      return paths;
    },
    async readFiles(_repo: unknown, files: readonly FileAt[]) {
      calls.readFiles.push([...files]);
      if (failures-- > 0) throw new Error("GitHub is down");
      return new Map(
        files.map((f) => {
          const text = commits[f.sha]?.[f.path];
          return [`${f.sha}:${f.path}`, text === undefined ? { kind: "missing" as const } : { kind: "text" as const, text, size: text.length }];
        }),
      );
    },
  } as unknown as GitHubPort;
  return { port, calls };
}

describe("createGitHubSnapshots", () => {
  it("merges reads issued together by both sides into one query, and reads nothing twice", async () => {
    const { port, calls } = recordingPort({ [SHA.base]: { "a.txt": "A0" }, [SHA.head]: { "a.txt": "A1", "b.txt": "B1" } });
    const { base, head } = createGitHubSnapshots(port, repo, { base: SHA.base, head: SHA.head });

    const [b, h] = await Promise.all([base.read(["a.txt"]), head.read(["a.txt", "b.txt", "gone.txt"])]);

    expect(calls.readFiles).toHaveLength(1);
    expect(b.get("a.txt")).toMatchObject({ kind: "text", text: "A0" });
    expect(h.get("b.txt")).toMatchObject({ kind: "text", text: "B1" });
    expect(h.get("gone.txt")).toEqual({ kind: "missing" });
    await head.read(["a.txt"]);
    expect(calls.readFiles).toHaveLength(1);
  });

  it("lists each commit once", async () => {
    const { port, calls } = recordingPort({ [SHA.base]: { "a.txt": "A" } });
    const { base, head } = createGitHubSnapshots(port, repo, { base: SHA.base, head: SHA.base });
    await Promise.all([base.list(), base.list(), head.list()]);
    expect(calls.listTree).toEqual([SHA.base]);
  });

  it.each([1, 40])("loads both workspaces of %i changed prompts in two listings and one content query", async (changed) => {
    const baseTree = baseFiles(40);
    const { port, calls } = recordingPort({ [SHA.base]: baseTree, [SHA.head]: headFiles(baseTree, changed) });
    const { base, head } = createGitHubSnapshots(port, repo, { base: SHA.base, head: SHA.head }, {
      companions: (path) => (path.endsWith(".prompt.yml") ? goldenCandidates({ path, golden: undefined }, DEFAULT_CONFIG) : []),
    });

    // The head lists more slowly; the base's read still waits for it and shares its query.
    const [b, h] = await Promise.all([loadWorkspace(base, DEFAULT_CONFIG), loadWorkspace(head, DEFAULT_CONFIG)]);

    expect(calls.listTree.sort()).toEqual([SHA.base, SHA.head]);
    expect(calls.readFiles).toHaveLength(1);
    expect(b.golden.size).toBe(40);
    expect(h.golden.size).toBe(40);
    expect(h.prompts.get(`prompts/support/summary-${changed}.prompt.yml`)?.version).toBe("1.1.0");
  });

  it("without companions, golden sets cost exactly one more query", async () => {
    const baseTree = baseFiles(3);
    const { port, calls } = recordingPort({ [SHA.base]: baseTree, [SHA.head]: headFiles(baseTree, 3) });
    const { base, head } = createGitHubSnapshots(port, repo, { base: SHA.base, head: SHA.head });
    await Promise.all([loadWorkspace(base, DEFAULT_CONFIG), loadWorkspace(head, DEFAULT_CONFIG)]);
    expect(calls.readFiles).toHaveLength(2);
  });

  it("goes on with the partial listing of a truncated tree and says so", async () => {
    const { port } = recordingPort({ [SHA.base]: { "a.txt": "A", "b.txt": "B" } }, { truncated: SHA.base });
    const truncated: string[] = [];
    const { base } = createGitHubSnapshots(port, repo, { base: SHA.base, head: SHA.head }, { onTreeTruncated: (sha) => truncated.push(sha) });
    expect(await base.list()).toEqual(["a.txt"]);
    expect(truncated).toEqual([SHA.base]);
  });

  it("fails every read of a failed query, and tries again on the next read", async () => {
    const { port, calls } = recordingPort({ [SHA.base]: { "a.txt": "A" } }, { failReads: 1 });
    const { base } = createGitHubSnapshots(port, repo, { base: SHA.base, head: SHA.head });
    await expect(base.read(["a.txt"])).rejects.toThrow("GitHub is down");
    expect((await base.read(["a.txt"])).get("a.txt")).toMatchObject({ text: "A" });
    expect(calls.readFiles).toHaveLength(2);
  });
});
