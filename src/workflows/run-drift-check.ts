// The scheduled drift check: for every environment with a `deployed` source, compare pins, tags
// and the deployed report, and keep one issue per environment: opened (or updated) while it
// drifts, closed with a comment once it is back in sync. Never two open issues for one
// environment: extra ones (a race between two runs) are closed as duplicates.

import { readConfig } from "../core/config/load.js";
import { formatDiagnostic } from "../core/diagnostics.js";
import { environmentDrift, type EnvironmentDrift } from "../core/environments/drift.js";
import { DRIFT_ISSUE_LABEL, driftIssueMarker, driftIssueTitle, renderDriftIssue, renderDriftResolved } from "../core/environments/drift-report.js";
import { driftRecordOf, parseDriftRecords, renderDriftRecord, sameDrift, type DriftRecord } from "../core/environments/drift-record.js";
import { readEnvironments } from "../core/environments/load.js";
import { resolvePins } from "../core/environments/resolve.js";
import { EmptyRepositoryError } from "../github/errors.js";
import type { IssueInfo, RepoRef } from "../github/port.js";
import { readDeployedReport } from "./deployed-report.js";
import type { WorkflowDeps } from "./deps.js";
import { createGitHubSnapshots } from "./github-tree.js";
import { tagPrefix } from "./tags-candidates.js";

export const DRIFT_LABEL = DRIFT_ISSUE_LABEL;

/** Bytes of an issue body or comment, under GitHub's 65,536 with room for the text around the records. */
const DRIFT_BODY_LIMIT = 60_000;

export interface DriftCheckDeps extends Pick<WorkflowDeps, "github" | "log" | "configPath"> {
  /** For deployed reports served over HTTP. */
  fetch: typeof fetch;
  /** Wall-clock time, shown in the issues. */
  clock?: () => Date;
  /** Who runs the check, written in the issue's records for the audit log. */
  source?: "app" | "action";
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
  let sha = target.sha;
  if (sha === undefined) {
    try {
      sha = (await github.getDefaultBranch(repo)).sha;
    } catch (error) {
      // Nothing is pinned in a repository with no commit: nothing to check, nothing failed.
      if (error instanceof EmptyRepositoryError) return { sha: "", skipped: error.message, environments: [] };
      throw error;
    }
  }
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
    const action = await syncIssue(deps, repo, drift, issue, loaded.environments.file, { checkedAt, sha });
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
  at: { checkedAt: string; sha: string },
): Promise<{ action: IssueAction; number?: number }> {
  const { github } = deps;
  const record = driftRecordOf(drift, { ...at, ...(deps.source ? { source: deps.source } : {}) });
  if (drift.status === "in-sync") {
    if (!issue) return { action: "none" };
    await github.createComment({ ...repo, number: issue.number }, renderDriftResolved(drift, at.checkedAt, record));
    await github.updateIssue(repo, issue.number, { state: "closed" });
    return { action: "closed", number: issue.number };
  }
  // The records of this issue so far (only the issue's own author writes its body); a new one
  // only when the drift itself changed, not at every check.
  const history = issue ? parseDriftRecords(issue.body) : [];
  const last = history.at(-1);
  if (!last || !sameDrift(last, record)) history.push(record);
  let body = renderDriftIssue(drift, pinsFile, at.checkedAt, history);
  if (issue && Buffer.byteLength(body) > DRIFT_BODY_LIMIT && history.length > 1) {
    // A drift that keeps changing would outgrow GitHub's limit on an issue body: the older
    // records move to comments of this issue (the audit log reads its author's comments too).
    for (const chunk of recordChunks(history.slice(0, -1))) {
      await github.createComment({ ...repo, number: issue.number }, `Earlier drift records of this issue, moved out of its description to keep it within GitHub's size limit.\n\n${chunk}`);
    }
    body = renderDriftIssue(drift, pinsFile, at.checkedAt, history.slice(-1));
  }
  if (!issue) {
    const created = await github.createIssue(repo, { title: driftIssueTitle(drift.environment), body, labels: [DRIFT_LABEL] });
    return { action: "opened", number: created.number };
  }
  if (issue.body === body) return { action: "unchanged", number: issue.number };
  await github.updateIssue(repo, issue.number, { body });
  return { action: "updated", number: issue.number };
}

/** The records' blocks, grouped into texts of at most DRIFT_BODY_LIMIT bytes each. */
function recordChunks(records: readonly DriftRecord[]): string[] {
  const chunks: string[] = [];
  let current = "";
  for (const block of records.map(renderDriftRecord)) {
    if (current !== "" && Buffer.byteLength(current) + Buffer.byteLength(block) + 1 > DRIFT_BODY_LIMIT) {
      chunks.push(current);
      current = "";
    }
    current += `${block}\n`;
  }
  if (current !== "") chunks.push(current);
  return chunks;
}
