// What one webhook delivery (or one Action run) knows about a pull request, read once however
// many workflows answer it: the pull request as first seen, its file list, the base rules and
// both workspaces. The review and the ownership sync answer the same events; without this each
// would fetch the pull request, its files, the rules and both trees again.

import type { PromptOpsConfig } from "../core/config/model.js";
import { goldenCandidates } from "../core/golden/locate.js";
import { loadWorkspace, promptMatcher, type Workspace } from "../core/workspace.js";
import type { GitHubPort, PullRef, PullRequestFiles, PullRequestInfo } from "../github/port.js";
import { immutableReadStore, type ImmutableReadStore } from "../github/immutable-reads.js";
import { readBaseRules, type BaseRules } from "./base-rules.js";
import { createGitHubSnapshots, type GitHubSnapshots } from "./github-tree.js";

/** Everything read for one delivery; made by the host when the delivery arrives, dropped with it. */
export interface DeliveryReads {
  /** Tree listings and file contents by commit SHA, behind the GitHub port (`withImmutableReadCache`). */
  immutable: ImmutableReadStore;
  views: Map<string, PullRequestView>;
}

export function deliveryReads(): DeliveryReads {
  return { immutable: immutableReadStore(), views: new Map() };
}

export interface SidesRead {
  trees: GitHubSnapshots;
  base: Workspace;
  head: Workspace;
  /** Commits whose tree listing GitHub cut short (too many files): prompts beyond it were not seen. */
  truncatedTrees: string[];
}

export interface PullRequestView {
  ref: PullRef;
  /**
   * The pull request as this delivery first read it. A workflow that must know the head *now*
   * (the stale-head guard) asks the port itself.
   */
  pr(): Promise<PullRequestInfo>;
  files(): Promise<PullRequestFiles>;
  /** The config and owners file at the base commit. */
  rules(): Promise<BaseRules>;
  /** Readers of both sides (reads issued close together share one query); by default the pull request's base and head. */
  trees(shas?: { base: string; head: string }): Promise<GitHubSnapshots>;
  /** Both sides' workspaces, read with the base rules' config, through `trees`. */
  sides(shas?: { base: string; head: string }): Promise<SidesRead>;
}

/**
 * The view of `ref` for this delivery; without `reads` (a workflow called on its own), a fresh
 * one. `configPath`: where the rules' config lives (default `.github/promptops.yml`).
 */
export function pullRequestView(github: GitHubPort, reads: DeliveryReads | undefined, ref: PullRef, configPath?: string): PullRequestView {
  const key = `${ref.owner}/${ref.repo}#${ref.number}@${configPath ?? ""}`.toLowerCase();
  const known = reads?.views.get(key);
  if (known) return known;
  const view = createView(github, ref, configPath);
  reads?.views.set(key, view);
  return view;
}

function createView(github: GitHubPort, ref: PullRef, configPath: string | undefined): PullRequestView {
  const repo = { owner: ref.owner, repo: ref.repo };
  const pr = once(() => github.getPullRequest(ref));
  const rules = once(async () => readBaseRules(github, repo, (await pr()).base.sha, configPath));
  const reads = new Map<string, { trees: () => Promise<Trees>; sides: () => Promise<SidesRead> }>();
  const at = async (shas?: { base: string; head: string }) => {
    const { base, head } = shas ?? sidesOf(await pr());
    const key = `${base}..${head}`;
    let read = reads.get(key);
    if (!read) {
      const trees = once(async () => openTrees(github, repo, { base, head }, (await rules()).config));
      read = { trees, sides: once(async () => loadSides(await trees(), (await rules()).config)) };
      reads.set(key, read);
    }
    return read;
  };
  return {
    ref,
    pr,
    files: once(() => github.listPullRequestFiles(ref)),
    rules,
    trees: async (shas) => (await (await at(shas)).trees()).trees,
    sides: async (shas) => (await at(shas)).sides(),
  };
}

function sidesOf(pr: PullRequestInfo): { base: string; head: string } {
  return { base: pr.base.sha, head: pr.head.sha };
}

interface Trees {
  trees: GitHubSnapshots;
  truncatedTrees: string[];
}

function openTrees(github: GitHubPort, repo: { owner: string; repo: string }, shas: { base: string; head: string }, config: PromptOpsConfig): Trees {
  const isPrompt = promptMatcher(config);
  const truncatedTrees: string[] = [];
  const trees = createGitHubSnapshots(github, repo, shas, {
    // A prompt's conventional golden set rides along with the prompt, so the usual layout
    // costs one content query instead of two.
    companions: (path) => (isPrompt(path) ? goldenCandidates({ path, golden: undefined }, config) : []),
    onTreeTruncated: (sha) => {
      if (!truncatedTrees.includes(sha)) truncatedTrees.push(sha);
    },
  });
  return { trees, truncatedTrees };
}

async function loadSides({ trees, truncatedTrees }: Trees, config: PromptOpsConfig): Promise<SidesRead> {
  const [base, head] = await Promise.all([loadWorkspace(trees.base, config), loadWorkspace(trees.head, config)]);
  return { trees, base, head, truncatedTrees };
}

/** `load` run at most once at a time; a failure is forgotten, so the next caller asks again. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    if (!pending) {
      const attempt = load();
      pending = attempt;
      attempt.catch(() => {
        if (pending === attempt) pending = undefined;
      });
    }
    return pending;
  };
}
