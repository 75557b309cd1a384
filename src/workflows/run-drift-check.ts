// The scheduled drift check: for every environment with a `deployed` source, compare pins, tags
// and the deployed report, and keep one issue per environment: opened (or updated) while it
// drifts, closed with a comment once it is back in sync. Never two open issues for one
// environment: extra ones (a race between two runs) are closed as duplicates.

import { readConfig } from "../core/config/load.js";
import { formatDiagnostic } from "../core/diagnostics.js";
import { environmentDrift, type EnvironmentDrift } from "../core/environments/drift.js";
import { driftIssueMarker, driftIssueTitle, renderDriftIssue, renderDriftResolved } from "../core/environments/drift-report.js";
import { readEnvironments } from "../core/environments/load.js";
import { resolvePins } from "../core/environments/resolve.js";
import type { IssueInfo, RepoRef } from "../github/port.js";
import { readDeployedReport } from "./deployed-report.js";
import type { WorkflowDeps } from "./deps.js";
import { createGitHubSnapshots } from "./github-tree.js";
import { tagPrefix } from "./tags-candidates.js";

export const DRIFT_LABEL = "promptops:drift";

export interface DriftCheckDeps extends Pick<WorkflowDeps, "github" | "log" | "configPath"> {
  /** For deployed reports served over HTTP. */
  fetch: typeof fetch;
  /** Wall-clock time, shown in the issues. */
  clock?: () => Date;
}

export interface DriftCheckTarget {
  repo: RepoRef;
  /** The commit whose pins are checked; default: the default branch's head. */
  sha?: string;
}

export type IssueAction = "opened" | "updated" | "unchanged" | "closed" | "none";

export interface DriftCheckResult {
  sha: string;
  /** Set when nothing was checked (no pins file, no environment with a deployed source). */
  skipped?: string;
  environments: (EnvironmentDrift & { issue: { action: IssueAction; number?: number; closedDuplicates: number[] } })[];
}

export async function runDriftCheck(deps: DriftCheckDeps, target: DriftCheckTarget): Promise<DriftCheckResult> {
  const { github, log } = deps;
  const repo = target.repo;
  const sha = target.sha ?? (await github.getDefaultBranch(repo)).sha;
  const tree = createGitHubSnapshots(github, repo, { base: sha, head: sha }).head;
  const { config, diagnostics } = await readConfig(tree, deps.configPath);
  const broken = diagnostics.find((d) => d.severity === "error");
  if (broken) throw new Error(`the config at ${sha.slice(0, 7)} is invalid: ${formatDiagnostic(broken)}`);
  const loaded = await readEnvironments(tree, config.environments.file);
  if (loaded.diagnostics.length > 0) throw new Error(`the environments file at ${sha.slice(0, 7)} is invalid: ${formatDiagnostic(loaded.diagnostics[0]!)}`);
  const watched = loaded.environments.environments.filter((e) => e.deployed !== undefined);
  if (watched.length === 0) {
    return { sha, skipped: loaded.exists ? "no environment has a deployed source" : `${config.environments.file} does not exist`, environments: [] };
  }

  const tags = await github.listTags(repo, tagPrefix(config.versioning.tag));
  const resolved = await resolvePins(
    { file: loaded.environments.file, environments: watched },
    { template: config.versioning.tag, tags, treeAt: (commit) => createGitHubSnapshots(github, repo, { base: commit, head: commit }).head },
  );
  const readFile = async (path: string) => {
    const blob = (await tree.read([path])).get(path);
    return blob?.kind === "text" ? blob.text : undefined;
  };
  const drifts = await Promise.all(
    watched.map(async (env) => {
      const deployed = await readDeployedReport(env.name, env.deployed!, { fetch: deps.fetch, readFile });
      return environmentDrift(env.name, resolved.filter((p) => p.environment === env.name), deployed);
    }),
  );

  const open = await github.listOpenIssues(repo, DRIFT_LABEL);
  const checkedAt = (deps.clock ?? (() => new Date()))().toISOString();
  const environments: DriftCheckResult["environments"] = [];
  for (const drift of drifts) {
    const mine = open.filter((i) => i.body.includes(driftIssueMarker(drift.environment)));
    const [issue, ...duplicates] = mine;
    const closedDuplicates: number[] = [];
    for (const dup of duplicates) {
      await github.createComment({ ...repo, number: dup.number }, `Duplicate of #${issue!.number}: PromptOps keeps one drift issue per environment.`);
      await github.updateIssue(repo, dup.number, { state: "closed" });
      closedDuplicates.push(dup.number);
    }
    const action = await syncIssue(deps, repo, drift, issue, loaded.environments.file, checkedAt);
    if (action.action !== "none" && action.action !== "unchanged") log.info(`Drift issue for ${drift.environment}: ${action.action}${action.number ? ` #${action.number}` : ""}.`);
    environments.push({ ...drift, issue: { ...action, closedDuplicates } });
  }
  return { sha, environments };
}

async function syncIssue(
  deps: DriftCheckDeps,
  repo: RepoRef,
  drift: EnvironmentDrift,
  issue: IssueInfo | undefined,
  pinsFile: string,
  checkedAt: string,
): Promise<{ action: IssueAction; number?: number }> {
  const { github } = deps;
  if (drift.status === "in-sync") {
    if (!issue) return { action: "none" };
    await github.createComment({ ...repo, number: issue.number }, renderDriftResolved(drift, checkedAt));
    await github.updateIssue(repo, issue.number, { state: "closed" });
    return { action: "closed", number: issue.number };
  }
  const body = renderDriftIssue(drift, pinsFile, checkedAt);
  if (!issue) {
    const created = await github.createIssue(repo, { title: driftIssueTitle(drift.environment), body, labels: [DRIFT_LABEL] });
    return { action: "opened", number: created.number };
  }
  if (issue.body === body) return { action: "unchanged", number: issue.number };
  await github.updateIssue(repo, issue.number, { body });
  return { action: "updated", number: issue.number };
}
