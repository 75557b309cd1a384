// Shares the port's reads that cannot change between the handlers of one webhook delivery: a
// tree listing and a file's contents at a commit SHA. The review and the ownership sync both
// answer `pull_request` events and would otherwise each list both trees and read the same files.

import type { FileBlob } from "../core/files.js";
import type { FileAt, GitHubPort, RepoRef } from "./port.js";

/** What one delivery has read, by repository and commit; drop it with the delivery. */
export interface ImmutableReadStore {
  trees: Map<string, Promise<string[]>>;
  blobs: Map<string, Promise<FileBlob>>;
}

export function immutableReadStore(): ImmutableReadStore {
  return { trees: new Map(), blobs: new Map() };
}

/**
 * `port` with `listTree` and `readFiles` memoised in `store` when the commit is named by its
 * full SHA (a branch name can move, so it is passed through). A read in flight is joined, not
 * repeated; a failed one is forgotten so the next attempt asks GitHub again. Everything else
 * (the pull request, check runs, reviews, comments) goes to `port` every time: the stale-head
 * guard depends on re-reading the pull request.
 */
export function withImmutableReadCache(port: GitHubPort, store: ImmutableReadStore): GitHubPort {
  return {
    ...port,

    listTree(repo, sha) {
      if (!isCommitSha(sha)) return port.listTree(repo, sha);
      const key = `${repoKey(repo)}@${sha}`;
      let listing = store.trees.get(key);
      if (!listing) {
        listing = port.listTree(repo, sha);
        remember(store.trees, key, listing);
      }
      // Each caller gets its own array: a consumer sorting or filtering in place must not reach the others.
      return listing.then((paths) => [...paths]);
    },

    async readFiles(repo, files) {
      // Keys in the order asked; each maps to the blob already read (or being read) or, once the
      // batch below is sent, to its share of that batch.
      const wanted = new Map<string, Promise<FileBlob> | undefined>();
      const toRead: FileAt[] = [];
      for (const file of files) {
        const key = `${file.sha}:${file.path}`;
        if (wanted.has(key)) continue;
        const known = isCommitSha(file.sha) ? store.blobs.get(`${repoKey(repo)}@${key}`) : undefined;
        wanted.set(key, known);
        if (!known) toRead.push(file);
      }
      if (toRead.length > 0) {
        const batch = port.readFiles(repo, toRead);
        for (const file of toRead) {
          const key = `${file.sha}:${file.path}`;
          const blob = batch.then((found) => found.get(key) ?? { kind: "missing" as const });
          wanted.set(key, blob);
          if (isCommitSha(file.sha)) remember(store.blobs, `${repoKey(repo)}@${key}`, blob);
        }
      }
      const keys = [...wanted.keys()];
      const blobs = await Promise.all(wanted.values());
      return new Map(keys.map((key, i) => [key, blobs[i]!]));
    },
  };
}

function remember<T>(map: Map<string, Promise<T>>, key: string, value: Promise<T>): void {
  map.set(key, value);
  value.catch(() => {
    if (map.get(key) === value) map.delete(key);
  });
}

function repoKey(repo: RepoRef): string {
  return `${repo.owner}/${repo.repo}`.toLowerCase();
}

/** A full SHA-1 or SHA-256 object name: what it names never changes. */
function isCommitSha(ref: string): boolean {
  return /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i.test(ref);
}
