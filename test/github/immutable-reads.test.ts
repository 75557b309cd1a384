// The per-delivery cache of reads by commit SHA: in-flight reads are joined, only unread files
// are asked for, a branch name is never cached, and a failed read is asked again.

import type { FileBlob } from "../../src/core/files.js";
import { immutableReadStore, withImmutableReadCache } from "../../src/github/immutable-reads.js";
import type { FileAt, GitHubPort } from "../../src/github/port.js";

const BASE = "b".repeat(40);
const HEAD = "c".repeat(40);
const repo = { owner: "acme", repo: "support-bot" };
const fork = { owner: "acme", repo: "other" };

function recordingPort(options: { failTrees?: number; failReads?: number } = {}) {
  const calls = { listTree: [] as string[], readFiles: [] as string[][], getPullRequest: 0 };
  let treeFailures = options.failTrees ?? 0;
  let readFailures = options.failReads ?? 0;
  const port = {
    async getPullRequest() {
      calls.getPullRequest++;
      return { head: { sha: HEAD } };
    },
    async listTree(r: { repo: string }, sha: string) {
      calls.listTree.push(`${r.repo}@${sha}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (treeFailures-- > 0) throw new Error("tree 502");
      return [`${sha.slice(0, 1)}.txt`, "a.txt"];
    },
    async readFiles(r: { repo: string }, files: readonly FileAt[]) {
      calls.readFiles.push(files.map((f) => `${r.repo}@${f.sha.slice(0, 1)}:${f.path}`));
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (readFailures-- > 0) throw new Error("graphql 502");
      return new Map<string, FileBlob>(
        files.filter((f) => f.path !== "gone.txt").map((f) => [`${f.sha}:${f.path}`, { kind: "text", text: `${r.repo} ${f.sha.slice(0, 1)} ${f.path}`, size: 1 }]),
      );
    },
  } as unknown as GitHubPort;
  return { port, calls };
}

describe("withImmutableReadCache", () => {
  it("lists a commit's tree once for every port sharing the store, each caller getting its own array", async () => {
    const { port, calls } = recordingPort();
    const store = immutableReadStore();
    const review = withImmutableReadCache(port, store);
    const owners = withImmutableReadCache(port, store);

    const [a, b] = await Promise.all([review.listTree(repo, BASE), owners.listTree(repo, BASE)]);
    expect(await review.listTree(repo, BASE)).toEqual(["b.txt", "a.txt"]);
    expect(calls.listTree).toEqual([`support-bot@${BASE}`]);
    a.sort();
    expect(b).toEqual(["b.txt", "a.txt"]);

    // Another repository or another commit is another listing.
    await Promise.all([review.listTree(fork, BASE), review.listTree(repo, HEAD)]);
    expect(calls.listTree).toEqual([`support-bot@${BASE}`, `other@${BASE}`, `support-bot@${HEAD}`]);
  });

  it("asks only for the files not already read or being read, and answers every file asked", async () => {
    const { port, calls } = recordingPort();
    const store = immutableReadStore();
    const review = withImmutableReadCache(port, store);
    const owners = withImmutableReadCache(port, store);

    const [first, second] = await Promise.all([
      owners.readFiles(repo, [{ sha: BASE, path: "a.txt" }, { sha: HEAD, path: "a.txt" }]),
      review.readFiles(repo, [{ sha: HEAD, path: "a.txt" }, { sha: HEAD, path: "golden.jsonl" }, { sha: HEAD, path: "gone.txt" }, { sha: HEAD, path: "golden.jsonl" }]),
    ]);
    expect(calls.readFiles).toEqual([
      ["support-bot@b:a.txt", "support-bot@c:a.txt"],
      ["support-bot@c:golden.jsonl", "support-bot@c:gone.txt"],
    ]);
    expect([...first.keys()]).toEqual([`${BASE}:a.txt`, `${HEAD}:a.txt`]);
    expect(Object.fromEntries(second)).toEqual({
      [`${HEAD}:a.txt`]: { kind: "text", text: "support-bot c a.txt", size: 1 },
      [`${HEAD}:golden.jsonl`]: { kind: "text", text: "support-bot c golden.jsonl", size: 1 },
      [`${HEAD}:gone.txt`]: { kind: "missing" },
    });

    expect((await review.readFiles(repo, [{ sha: BASE, path: "a.txt" }])).get(`${BASE}:a.txt`)).toMatchObject({ text: "support-bot b a.txt" });
    await review.readFiles(fork, [{ sha: BASE, path: "a.txt" }]);
    expect(calls.readFiles).toHaveLength(3);
  });

  it("never caches a branch name, which can move, nor the pull request", async () => {
    const { port, calls } = recordingPort();
    const cached = withImmutableReadCache(port, immutableReadStore());
    await cached.listTree(repo, "main");
    await cached.listTree(repo, "main");
    await cached.readFiles(repo, [{ sha: "main", path: "a.txt" }]);
    await cached.readFiles(repo, [{ sha: "main", path: "a.txt" }]);
    await cached.getPullRequest({ ...repo, number: 7 });
    await cached.getPullRequest({ ...repo, number: 7 });
    expect(calls.listTree).toHaveLength(2);
    expect(calls.readFiles).toHaveLength(2);
    expect(calls.getPullRequest).toBe(2);
  });

  it("forgets a failed read, so the next attempt asks GitHub again", async () => {
    const { port, calls } = recordingPort({ failTrees: 1, failReads: 1 });
    const cached = withImmutableReadCache(port, immutableReadStore());
    const [x, y] = await Promise.allSettled([cached.listTree(repo, BASE), cached.listTree(repo, BASE)]);
    expect([x.status, y.status]).toEqual(["rejected", "rejected"]);
    expect(await cached.listTree(repo, BASE)).toEqual(["b.txt", "a.txt"]);
    expect(calls.listTree).toHaveLength(2);

    await expect(cached.readFiles(repo, [{ sha: BASE, path: "a.txt" }])).rejects.toThrow("graphql 502");
    expect((await cached.readFiles(repo, [{ sha: BASE, path: "a.txt" }])).get(`${BASE}:a.txt`)).toMatchObject({ kind: "text" });
    expect(calls.readFiles).toHaveLength(2);
  });
});
