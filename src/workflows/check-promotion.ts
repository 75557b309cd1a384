// A pull request that changes the pins file gets the `promptops/promotion` check: each moved
// pin's tag exists and still holds its recorded content, `promoteFrom` holds, the environment's
// gates pass on the eval record stored with that version, and the environment's owners approve
// (they are requested as reviewers; the check fails until they do). Rules, gates and owners
// come from the BASE: a pull request cannot loosen what it is held to.

import type { Diagnostic } from "../core/diagnostics.js";
import { pinChanges, type PinChange } from "../core/environments/changes.js";
import { gateRecord, type RecordGateFinding } from "../core/environments/gates.js";
import { loadEnvironments } from "../core/environments/load.js";
import type { Environment, Environments } from "../core/environments/model.js";
import { promotionProblems, type PromotionProblem } from "../core/environments/promotion.js";
import { resolvePins, type ResolvedPin } from "../core/environments/resolve.js";
import type { FileBlob } from "../core/files.js";
import { currentApprovals, evaluateOwnerApprovals, teamsToCheck } from "../core/owners/approvals.js";
import { planReviewRequests } from "../core/owners/requests.js";
import { escapeInline, inlineCode } from "../core/report/escape.js";
import type { CheckAnnotation, GitHubPort, PullRef, RepoRef } from "../github/port.js";
import type { WorkflowDeps } from "./deps.js";
import { createGitHubSnapshots } from "./github-tree.js";
import { publishOwnersCheck, renderDiagnostics } from "./owners-report.js";
import { pullRequestView } from "./pull-request-view.js";
import { tagNameFor } from "../core/versions/tags.js";
import { tagPrefix } from "./tags-candidates.js";

export const PROMOTION_CHECK_NAME = "promptops/promotion";

export type CheckPromotionDeps = Pick<WorkflowDeps, "github" | "log" | "appId" | "reads" | "configPath">;

export interface PromotionTarget {
  repo: RepoRef;
  number: number;
  /** `event.action`; reviewers are requested on `pull_request.*` only, a review event recomputes the check. */
  trigger: string;
}

export interface PromotionPin extends PinChange {
  tag?: string;
  sha256?: string;
  problems: PromotionProblem[];
  gates: RecordGateFinding[];
  approvers: string[];
  scores: { base?: number; head?: number };
  verdict?: string;
}

export interface PromotionResult {
  /** Set when the pull request does not change the pins file: no check is made. */
  skipped?: string;
  headSha?: string;
  pins: PromotionPin[];
  /** Environments whose owners must approve, with whether they have. */
  owners: { environment: string; owners: string[]; approvedBy: string[]; satisfied: boolean }[];
  requested: { users: string[]; teams: string[] };
  conclusion?: "success" | "failure";
}

export async function checkPromotion(deps: CheckPromotionDeps, target: PromotionTarget): Promise<PromotionResult> {
  const { github, log } = deps;
  const ref: PullRef = { ...target.repo, number: target.number };
  const view = pullRequestView(github, deps.reads, ref, deps.configPath);
  const result: PromotionResult = { pins: [], owners: [], requested: { users: [], teams: [] } };
  // In the order the review reads them: the reads are shared with it for this delivery.
  const pr = await view.pr();
  const rules = await view.rules();
  // A draft cannot be merged; `ready_for_review` checks it then.
  if (pr.draft) return { ...result, skipped: "draft pull request" };
  // Without the base's config the pins file's path is unknown; the review reports the config's errors.
  if (rules.configDiagnostics.some((d) => d.severity === "error")) return { ...result, skipped: "the base branch's config is invalid" };
  const listing = await view.files();
  const file = rules.config.environments.file;
  if (!listing.files.some((f) => f.path === file || f.previousPath === file) && !listing.truncated) {
    return { ...result, skipped: `${file} is not changed` };
  }
  const headSha = pr.head.sha;
  result.headSha = headSha;
  const publish = async (conclusion: "success" | "failure", title: string, summary: string, annotations: CheckAnnotation[] = []) => {
    result.conclusion = conclusion;
    await publishOwnersCheck(github, target.repo, headSha, { status: "completed", conclusion, title, summary, annotations }, deps.appId, PROMOTION_CHECK_NAME);
    return result;
  };

  const blobs = await github.readFiles(target.repo, [
    { sha: pr.base.sha, path: file },
    { sha: headSha, path: file },
  ]);
  const base = loadEnvironments(textOf(blobs.get(`${pr.base.sha}:${file}`)), file);
  const head = loadEnvironments(textOf(blobs.get(`${headSha}:${file}`)), file);
  if (base.diagnostics.length > 0) {
    return publish("failure", "The base branch's environments file is invalid", `Fix ${inlineCode(file)} on the base branch first; its rules hold every promotion:\n\n${renderDiagnostics(base.diagnostics)}\n`);
  }
  if (head.diagnostics.length > 0) {
    return publish("failure", "The environments file has errors", `${renderDiagnostics(head.diagnostics)}\n`, head.diagnostics.map(toAnnotation));
  }

  const changes = pinChanges(base.environments, head.environments);
  const touched = touchedEnvironments(base.environments, head.environments, changes);
  if (changes.length === 0 && touched.length === 0) {
    return publish("success", "No pin or environment rule changed", `${inlineCode(file)} changed, but no pin moved and no environment's rules changed.\n`);
  }

  // The moved pins, resolved against the tags; each checked against the base's rules.
  const moved = changes.filter((c) => c.to !== undefined);
  // Only the moved prompts' tags: one listing per prompt, not every tag of the repository.
  const template = rules.config.versioning.tag;
  const tags = (
    await Promise.all([...new Set(moved.map((c) => c.promptId))].map((id) => github.listTags(target.repo, tagPrefix(tagNameFor(template, id, "{version}")))))
  ).flat();
  const probe: Environments = {
    file,
    environments: [...new Set(moved.map((c) => c.environment))].map((name) => ({
      ...(head.environments.environments.find((e) => e.name === name) as Environment),
      pins: moved.filter((c) => c.environment === name).map((c) => ({ promptId: c.promptId, version: c.to!, line: c.line })),
    })),
  };
  const resolved = await resolvePins(probe, {
    template: rules.config.versioning.tag,
    tags,
    treeAt: (sha) => createGitHubSnapshots(github, target.repo, { base: sha, head: sha }).head,
  });
  for (const change of changes) {
    const pin = resolved.find((r) => r.environment === change.environment && r.promptId === change.promptId);
    const ruled = base.environments.environments.find((e) => e.name === change.environment);
    result.pins.push(describePin(change, pin, base.environments, ruled));
  }

  // Owners of every touched environment, as the base names them.
  const required = touched
    .map((name) => base.environments.environments.find((e) => e.name === name))
    .filter((e): e is Environment => e !== undefined && e.owners.length > 0);
  const entries = required.map((e) => ({ promptId: e.name, path: file, owners: e.owners }));
  if (entries.length > 0) {
    const [reviews, alreadyRequested] = await Promise.all([github.listReviews(ref), github.listRequestedReviewers(ref)]);
    const approving = currentApprovals(reviews, pr.author);
    const members = new Map<string, string[]>();
    await Promise.all(
      teamsToCheck(entries).flatMap(({ org, team }) =>
        approving.map(async (r) => {
          if (!(await github.isTeamMember(org, team, r.user))) return;
          const key = `${org}/${team}`.toLowerCase();
          members.set(key, [...(members.get(key) ?? []), r.user]);
        }),
      ),
    );
    const approvals = evaluateOwnerApprovals({
      prompts: entries,
      reviews,
      headSha,
      dismissStale: rules.config.ownership.dismissStaleApprovals,
      author: pr.author,
      teamMembers: (org, team) => members.get(`${org}/${team}`.toLowerCase()) ?? [],
    });
    result.owners = approvals.prompts.map((p) => ({ environment: p.promptId, owners: p.owners, approvedBy: p.approvedBy, satisfied: p.satisfied }));
    const waiting = entries.filter((_, i) => !approvals.prompts[i]!.satisfied);
    if (target.trigger.startsWith("pull_request.") && pr.state === "open" && !pr.draft && waiting.length > 0) {
      const plan = planReviewRequests({
        prompts: waiting,
        author: pr.author,
        alreadyRequested,
        approvedBy: approving.map((r) => r.user),
        fallbackReviewers: [],
        repoOwner: target.repo.owner,
      });
      if (plan.users.length + plan.teams.length > 0) {
        const outcome = await github.requestReviewers(ref, { users: plan.users, teams: plan.teams });
        result.requested = { users: outcome.requestedUsers, teams: outcome.requestedTeams };
        for (const f of outcome.failures) log.warn(`GitHub did not accept ${f.reviewer} as a reviewer of ${ref.owner}/${ref.repo}#${ref.number}: ${f.message}`);
      }
    }
  }

  const failing = result.pins.filter((p) => p.problems.length > 0 || p.gates.some((g) => !g.passed));
  const waitingOwners = result.owners.filter((o) => !o.satisfied);
  const summary = renderPromotionSummary(file, result);
  const annotations = failing.map((p) => ({
    path: file,
    start_line: p.line,
    end_line: p.line,
    annotation_level: "failure" as const,
    title: `${p.promptId} in ${p.environment}`,
    message: [...p.problems.map((x) => x.message), ...p.gates.filter((g) => !g.passed).map((g) => `gate ${g.message}`)].join("\n"),
  }));
  if (failing.length > 0) return publish("failure", `${failing.length} promotion(s) break the environments' rules`, summary, annotations);
  if (waitingOwners.length > 0) return publish("failure", `Waiting for approval by the owners of ${waitingOwners.map((o) => o.environment).join(", ")}`, summary);
  return publish("success", `Promotion checked: ${changes.length} pin(s) in ${[...new Set([...changes.map((c) => c.environment), ...touched])].join(", ")}`, summary);
}

function describePin(change: PinChange, pin: ResolvedPin | undefined, rules: Environments, env: Environment | undefined): PromotionPin {
  const out: PromotionPin = { ...change, problems: [], gates: [], approvers: [], scores: {} };
  if (change.to === undefined || !pin) return out;
  out.tag = pin.tag;
  if (pin.sha256 !== undefined) out.sha256 = pin.sha256;
  if (pin.record) {
    out.approvers = pin.record.approvers;
    out.scores = pin.record.scores;
    out.verdict = pin.record.verdict;
  }
  out.problems = promotionProblems({ rules, environment: change.environment, promptId: change.promptId, version: change.to, resolved: pin });
  if (pin.status === "ok") out.gates = gateRecord(env?.gates ?? {}, pin.record);
  return out;
}

/** Environments with a moved pin, or whose own rules (owners, gates, promoteFrom, deployed) changed. */
function touchedEnvironments(base: Environments, head: Environments, changes: readonly PinChange[]): string[] {
  const names = new Set(changes.map((c) => c.environment));
  const rulesOf = (e: Environment | undefined) => JSON.stringify(e ? { promoteFrom: e.promoteFrom, owners: e.owners, gates: e.gates, deployed: e.deployed } : null);
  for (const env of [...base.environments, ...head.environments]) {
    const before = base.environments.find((e) => e.name === env.name);
    const after = head.environments.find((e) => e.name === env.name);
    if (rulesOf(before) !== rulesOf(after)) names.add(env.name);
  }
  return [...names].sort();
}

function renderPromotionSummary(file: string, result: PromotionResult): string {
  const score = (n: number | undefined) => (n === undefined ? "—" : n.toFixed(2));
  const lines = [`Pins moved in ${inlineCode(file)}, checked against the base branch's rules.`, ""];
  if (result.pins.length > 0) {
    lines.push("| Environment | Prompt | From | To | Tag | Recorded eval | Approved by (at tagging) | Result |", "| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const p of result.pins) {
      const ok = p.problems.length === 0 && p.gates.every((g) => g.passed);
      const why = [...p.problems.map((x) => x.message), ...p.gates.map((g) => `${g.passed ? "✅" : "❌"} ${g.message}`)].map((m) => escapeInline(m)).join("<br>");
      lines.push(
        `| ${escapeInline(p.environment)} | ${inlineCode(p.promptId, { table: true })} | ${p.from ?? "—"} | ${p.to ?? "removed"} | ${p.tag ? inlineCode(p.tag, { table: true }) : "—"} | ${p.verdict ? `${escapeInline(p.verdict)}, ${score(p.scores.base)} → ${score(p.scores.head)}` : "—"} | ${p.approvers.length > 0 ? p.approvers.map((a) => inlineCode(a, { table: true })).join(", ") : "—"} | ${ok ? "✅" : "❌"}${why ? ` ${why}` : ""} |`,
      );
    }
    lines.push("");
  }
  if (result.owners.length > 0) {
    lines.push("### Environment owners", "");
    for (const o of result.owners) {
      lines.push(`- ${escapeInline(o.environment)}: ${o.owners.map((x) => inlineCode(x)).join(", ")} — ${o.satisfied ? `approved by ${o.approvedBy.map((a) => inlineCode(a)).join(", ")}` : "waiting for approval"}`);
    }
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}

function toAnnotation(d: Diagnostic): CheckAnnotation {
  return { path: d.file, start_line: d.line, end_line: d.line, annotation_level: "failure", message: d.message, title: d.rule };
}

function textOf(blob: FileBlob | undefined): string | undefined {
  return blob?.kind === "text" ? blob.text : undefined;
}

