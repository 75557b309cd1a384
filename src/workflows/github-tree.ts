// The base and head of a pull request as two TreeReaders over the GitHub port. Reads issued close
// together, by either side, go out as one `readFiles` query, so a review costs the same number
// of GitHub calls whether it touches 1 prompt or 50.

import type { FileBlob, TreeReader } from "../core/files.js";
import { TreeTruncatedError } from "../github/errors.js";
import type { FileAt, GitHubPort, RepoRef } from "../github/port.js";

export interface SnapshotOptions {
  /**
   * Files worth fetching together with `path` because they will likely be asked for next (a
   * prompt's conventional golden set). Only files present in the side's listing are fetched.
   */
  companions?: (path: string) => readonly string[];
  /** GitHub cut the tree listing short; the partial list is used. */
  onTreeTruncated?: (sha: string, error: TreeTruncatedError) => void;
}

export interface GitHubSnapshots {
  base: TreeReader;
  head: TreeReader;
}

interface Pending {
  file: FileAt;
  resolve: (blob: FileBlob) => void;
  reject: (error: unknown) => void;
}

export function createGitHubSnapshots(
  github: GitHubPort,
  repo: RepoRef,
  shas: { base: string; head: string },
  options: SnapshotOptions = {},
): GitHubSnapshots {
  // Keyed by sha, so a PR whose base and head are the same commit lists and reads once.
  const listings = new Map<string, Promise<string[]>>();
  const blobs = new Map<string, Promise<FileBlob>>();
  const listsInFlight = new Set<Promise<unknown>>();
  let queue: Pending[] = [];
  let scheduled = false;

  function list(sha: string): Promise<string[]> {
    let listing = listings.get(sha);
    if (!listing) {
      listing = github.listTree(repo, sha).catch((error: unknown) => {
        if (!(error instanceof TreeTruncatedError)) throw error;
        options.onTreeTruncated?.(sha, error);
        return error.paths;
      });
      const done = (): void => {
        listsInFlight.delete(settled);
      };
      const settled: Promise<void> = listing.then(done, done);
      listsInFlight.add(settled);
      listings.set(sha, listing);
    }
    return listing;
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(waitThenFlush);
  }

  // A side still listing its tree is about to read too (list, then read, is how a workspace
  // loads): waiting for it lets both sides share one query instead of racing into two.
  function waitThenFlush(): void {
    if (listsInFlight.size > 0) {
      void Promise.allSettled([...listsInFlight]).then(() => setImmediate(waitThenFlush));
      return;
    }
    scheduled = false;
    const batch = queue;
    queue = [];
    void flush(batch);
  }

  async function flush(batch: Pending[]): Promise<void> {
    try {
      const found = await github.readFiles(repo, batch.map((p) => p.file));
      for (const p of batch) p.resolve(found.get(`${p.file.sha}:${p.file.path}`) ?? { kind: "missing" });
    } catch (error) {
      for (const p of batch) {
        // A failed read must not stick: a later attempt may succeed.
        blobs.delete(`${p.file.sha}:${p.file.path}`);
        p.reject(error);
      }
    }
  }

  function blob(sha: string, path: string): Promise<FileBlob> {
    const key = `${sha}:${path}`;
    let promise = blobs.get(key);
    if (!promise) {
      promise = new Promise<FileBlob>((resolve, reject) => queue.push({ file: { sha, path }, resolve, reject }));
      // Companions nobody asks for must not surface as unhandled rejections.
      promise.catch(() => {});
      blobs.set(key, promise);
      schedule();
    }
    return promise;
  }

  async function prefetchCompanions(sha: string, paths: readonly string[]): Promise<void> {
    if (!options.companions) return;
    const listing = listings.get(sha);
    if (!listing) return;
    const existing = new Set(await listing.catch(() => [] as string[]));
    for (const path of paths) {
      for (const companion of options.companions(path)) if (existing.has(companion)) void blob(sha, companion);
    }
  }

  function reader(sha: string): TreeReader {
    return {
      ref: sha,
      list: () => list(sha),
      async read(paths) {
        const wanted = [...new Set(paths)];
        const reads = wanted.map((path) => blob(sha, path));
        // Queued before the batch goes out (the flush waits a setImmediate), so they ride along.
        await prefetchCompanions(sha, wanted);
        const results = await Promise.all(reads);
        return new Map(wanted.map((path, i) => [path, results[i]!]));
      },
    };
  }

  return { base: reader(shas.base), head: reader(shas.head) };
}
